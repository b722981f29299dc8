// One uploaded bank statement: what applying it would do, document by document, grouped by how each
// matched an invoice, with totals per kind; "Apply" pays the matched invoices (admin.billing.applyStatement).
import { Notice } from "~/components/Notice.tsx";
import { Table } from "~/components/Table.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs } from "~/components/workspace/forms.server.ts";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../domain/i18n/index.ts";
import type { loader as adminLoader } from "./admin.tsx";

/** The order the groups are shown in: what will be paid first, then what needs a look. */
const KINDS = ["matched", "amountMismatch", "unknown", "invoiceClosed", "alreadyApplied"] as const;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  return loadWs(context, () => context.trpc.admin.billing.statement({ id }));
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const result = await runWs(context, () => context.trpc.admin.billing.applyStatement({ id }));
  if (!result.ok) return refusedWith(result.response, {});
  return { applied: result.value };
}

export default function AdminStatement() {
  const st = useLoaderData<typeof loader>();
  const admin = useRouteLoaderData<typeof adminLoader>("routes/admin");
  const actionData = useActionData() as Refused<object> | { applied: { paid: number; matched: number } } | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const canApply = admin?.operatorRole === "super_admin" || admin?.operatorRole === "billing";
  const groups = KINDS.map((kind) => {
    const rows = st.rows.filter((r) => r.kind === kind);
    return { kind, rows, sum: rows.reduce((s, r) => s + r.amountTiyn, 0) };
  });
  const matched = groups[0]!.rows.length;
  const applied = actionData && "applied" in actionData ? actionData.applied : null;
  return (
    <main className="ws-main">
      <p>
        <Link to="/admin/statements">{t("billingAdmin:statement.back")}</Link>
      </p>
      <h1 className="break">{st.fileName}</h1>
      <dl className="facts card">
        <dt>{t("billingAdmin:statement.period")}</dt>
        <dd>{st.period.from && st.period.to ? `${fmt.date(st.period.from)} – ${fmt.date(st.period.to)}` : "—"}</dd>
        <dt>{t("billingAdmin:statements.cols.uploaded")}</dt>
        <dd>{fmt.dateTime(st.uploadedAt)}</dd>
        <dt>{t("billingAdmin:statement.documents")}</dt>
        <dd>{t("billingAdmin:statement.documentsValue", { all: st.documents, incoming: st.rows.length })}</dd>
        <dt>{t("billingAdmin:statements.cols.applied")}</dt>
        <dd>
          {st.appliedAt
            ? t("billingAdmin:statement.appliedValue", { date: fmt.dateTime(st.appliedAt), count: st.paidCount ?? 0 })
            : t("billingAdmin:statements.notApplied")}
        </dd>
      </dl>

      {applied && navigation.state === "idle" ? (
        <Notice>{t("billingAdmin:statement.done", { matched: applied.matched, paid: applied.paid })}</Notice>
      ) : null}
      {actionData && "error" in actionData ? <FormAlert message={actionData.error.message} /> : null}

      <section className="card ab-apply">
        <ul className="ab-totals">
          {groups.map((g) => (
            <li key={g.kind} className={`ab-kind-${g.kind}`}>
              <span className="ab-total-label">{t(`billingAdmin:statement.kinds.${g.kind}`)}</span>
              <strong>{g.rows.length}</strong>
              <span className="nowrap">{formatTiyn(g.sum)}</span>
            </li>
          ))}
        </ul>
        {canApply && matched > 0 ? (
          <Form method="post">
            <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
              {t("billingAdmin:statement.apply", { count: matched })}
            </button>
          </Form>
        ) : (
          <p className="muted">
            <strong>
              {matched === 0
                ? st.appliedAt
                  ? t("billingAdmin:statement.alreadyDone")
                  : t("billingAdmin:statement.nothing")
                : t("billingAdmin:statement.noRight")}
            </strong>
          </p>
        )}
        <p className="muted small">{t("billingAdmin:statement.explain")}</p>
      </section>

      {groups
        .filter((g) => g.rows.length > 0)
        .map((g) => (
          <section key={g.kind} className={`ab-group ab-kind-${g.kind}`}>
            <h2>
              {t(`billingAdmin:statement.kinds.${g.kind}`)} <span className="muted">({g.rows.length})</span>
            </h2>
            <p className="muted small">{t(`billingAdmin:statement.kindHints.${g.kind}`)}</p>
            <Table
              rows={g.rows}
              labels="billingAdmin:statement.cols"
              columns={["document", ["amount", "num"], "payer", "purpose", "invoice"]}
              row={(r) => (
                <tr key={r.key}>
                  <td className="nowrap">
                    № {r.number}
                    <div className="muted small">{fmt.date(r.date)}</div>
                  </td>
                  <td className="num nowrap">{formatTiyn(r.amountTiyn)}</td>
                  <td>
                    {r.payerName ?? "—"}
                    {r.payerBin ? (
                      <div className={`small mono${r.payerBinDiffers ? " ab-warn" : " muted"}`}>{r.payerBin}</div>
                    ) : null}
                    {r.payerBinDiffers ? (
                      <div className="small ab-warn">
                        {t("billingAdmin:statement.binDiffers", { bin: r.invoice?.buyerBin ?? "" })}
                      </div>
                    ) : null}
                  </td>
                  <td className="ab-purpose">{r.purpose}</td>
                  <td>
                    {r.invoice ? (
                      <>
                        <Link to={`/admin/invoices?q=${encodeURIComponent(r.invoice.number)}`} className="mono nowrap">
                          {r.invoice.number}
                        </Link>
                        <div className="small">{r.invoice.schoolName}</div>
                        <div className="muted small nowrap">{formatTiyn(r.invoice.amountTiyn)}</div>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              )}
            />
          </section>
        ))}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
