// One uploaded bank statement: every document of the file in exactly one category, with counts and sums per
// category that add up to the file's (and the bank's own totals checked against them); "Apply" pays the
// matched invoices (admin.billing.applyStatement), and an unmatched receipt can be assigned to an invoice by
// hand (admin.billing.assignStatementDocument).
import { Notice } from "~/components/Notice.tsx";
import { Table } from "~/components/Table.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../domain/i18n/index.ts";
import type { loader as adminLoader } from "./admin.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  return loadWs(context, () => context.trpc.admin.billing.statement({ id }));
}

type Assigned = { document: string; invoice: string };
type ActionData =
  | (Refused<{ line: string; invoiceNumber: string }> & { intent: string })
  | { applied: { paid: number; matched: number } }
  | { assigned: Assigned };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const form = await request.formData();
  if (text(form, "intent") === "assign") {
    const values = { line: text(form, "line"), invoiceNumber: text(form, "invoiceNumber") };
    const result = await runWs(context, () =>
      context.trpc.admin.billing.assignStatementDocument({
        id,
        line: Number(values.line),
        invoiceNumber: values.invoiceNumber,
      }),
    );
    if (!result.ok) {
      const refused = refusedWith(result.response, values);
      return data({ ...refused.data, intent: "assign" }, refused.init ?? undefined);
    }
    return { assigned: { document: result.value.document, invoice: result.value.invoice } };
  }
  const result = await runWs(context, () => context.trpc.admin.billing.applyStatement({ id }));
  if (!result.ok) {
    const refused = refusedWith(result.response, { line: "", invoiceNumber: "" });
    return data({ ...refused.data, intent: "apply" }, refused.init ?? undefined);
  }
  return { applied: result.value };
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["rows"][number];

export default function AdminStatement() {
  const st = useLoaderData<typeof loader>();
  const admin = useRouteLoaderData<typeof adminLoader>("routes/admin");
  const actionData = useActionData() as ActionData | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const canApply = admin?.operatorRole === "super_admin" || admin?.operatorRole === "billing";
  const groups = st.categories.map((c) => ({ ...c, rows: st.rows.filter((r) => r.kind === c.kind) }));
  const toApply = st.rows.filter((r) => r.kind === "matched" && r.payment === null).length;
  const receipts = st.rows.filter((r) => r.key !== null).length;
  const applied = actionData && "applied" in actionData ? actionData.applied : null;
  const assigned = actionData && "assigned" in actionData ? actionData.assigned : null;
  const refused = actionData && "error" in actionData ? actionData : null;
  const idle = navigation.state === "idle";
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
        <dd>{t("billingAdmin:statement.documentsValue", { all: st.documents, incoming: receipts })}</dd>
        <dt>{t("billingAdmin:statements.cols.applied")}</dt>
        <dd>
          {st.appliedAt
            ? t("billingAdmin:statement.appliedValue", { date: fmt.dateTime(st.appliedAt), count: st.paidCount ?? 0 })
            : t("billingAdmin:statements.notApplied")}
        </dd>
      </dl>

      {applied && idle ? (
        <Notice>{t("billingAdmin:statement.done", { matched: applied.matched, paid: applied.paid })}</Notice>
      ) : null}
      {assigned && idle ? (
        <Notice>
          {t("billingAdmin:statement.assign.done", { number: assigned.document, invoice: assigned.invoice })}
        </Notice>
      ) : null}
      {refused && refused.intent === "apply" ? <FormAlert message={refused.error.message} /> : null}

      <section className="card ab-apply">
        <h2>{t("billingAdmin:statement.totals.title")}</h2>
        <table className="ab-categories">
          <thead>
            <tr>
              <th scope="col">{t("billingAdmin:statement.totals.category")}</th>
              <th scope="col" className="num">
                {t("billingAdmin:statement.totals.count")}
              </th>
              <th scope="col" className="num">
                {t("billingAdmin:statement.totals.sum")}
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.kind} className={`ab-kind-${g.kind}`} data-kind={g.kind}>
                <th scope="row">{t(`billingAdmin:statement.kinds.${g.kind}`)}</th>
                <td className="num">{g.count}</td>
                <td className="num nowrap">{formatTiyn(g.sumTiyn)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-kind="total">
              <th scope="row">{t("billingAdmin:statement.totals.total")}</th>
              <td className="num">{st.totals.count}</td>
              <td className="num nowrap">
                {formatTiyn(st.totals.sumTiyn)}
                {st.totals.unknownAmounts > 0 ? (
                  <div className="muted small">
                    {t("billingAdmin:statement.totals.unknownAmounts", { count: st.totals.unknownAmounts })}
                  </div>
                ) : null}
              </td>
            </tr>
          </tfoot>
        </table>
        <div className={st.file.mismatch ? "ab-warn" : "muted small"} data-file-check>
          {st.file.bankCredited === null && st.file.bankDebited === null ? (
            <p>{t("billingAdmin:statement.totals.none")}</p>
          ) : (
            <>
              <p>
                <strong>{t("billingAdmin:statement.totals.bank")}</strong>
              </p>
              {st.file.bankCredited !== null ? (
                <p>
                  {t("billingAdmin:statement.totals.credited", {
                    bank: formatTiyn(st.file.bankCredited),
                    docs: formatTiyn(st.file.credited),
                  })}
                </p>
              ) : null}
              {st.file.bankDebited !== null ? (
                <p>
                  {t("billingAdmin:statement.totals.debited", {
                    bank: formatTiyn(st.file.bankDebited),
                    docs: formatTiyn(st.file.debited),
                  })}
                </p>
              ) : null}
              <p>
                <strong>
                  {st.file.mismatch
                    ? t("billingAdmin:statement.totals.mismatch")
                    : t("billingAdmin:statement.totals.agree")}
                </strong>
              </p>
            </>
          )}
        </div>
        {canApply && toApply > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="apply" />
            <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
              {t("billingAdmin:statement.apply", { count: toApply })}
            </button>
          </Form>
        ) : (
          <p className="muted">
            <strong>
              {toApply === 0
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
          <section key={g.kind} className={`ab-group ab-kind-${g.kind}`} data-group={g.kind}>
            <h2>
              {t(`billingAdmin:statement.kinds.${g.kind}`)} <span className="muted">({g.rows.length})</span>
            </h2>
            <p className="muted small">{t(`billingAdmin:statement.kindHints.${g.kind}`)}</p>
            <Table
              rows={g.rows}
              labels="billingAdmin:statement.cols"
              columns={["document", ["amount", "num"], "payer", "purpose", "invoice"]}
              row={(r) => (
                <DocumentRow
                  key={r.line}
                  r={r}
                  canAssign={canApply}
                  refused={
                    refused && refused.intent === "assign" && refused.values.line === String(r.line) ? refused : null
                  }
                />
              )}
            />
          </section>
        ))}
    </main>
  );
}

function DocumentRow({
  r,
  canAssign,
  refused,
}: {
  r: Row;
  canAssign: boolean;
  refused: (Refused<{ line: string; invoiceNumber: string }> & { intent: string }) | null;
}) {
  const t = useT();
  const fmt = useFormat();
  return (
    <tr data-line={r.line}>
      <td className="nowrap">
        № {r.number || "—"}
        <div className="muted small">{r.date ? fmt.date(r.date) : "—"}</div>
        {r.reason ? (
          <div className={`small${r.kind === "unreadable" ? " ab-warn" : " muted"}`}>
            {t(`billingAdmin:statement.reasons.${r.reason}`, { line: r.reasonLine ?? r.line })}
          </div>
        ) : null}
      </td>
      <td className="num nowrap">{r.amountTiyn === null ? "—" : formatTiyn(r.amountTiyn)}</td>
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
            <Link to={`/admin/invoices/${r.invoice.id}`} className="mono nowrap">
              {r.invoice.number}
            </Link>
            <div className="small">{r.invoice.schoolName}</div>
            <div className="muted small nowrap">{formatTiyn(r.invoice.amountTiyn)}</div>
          </>
        ) : (
          "—"
        )}
        {r.payment ? (
          <div className="small">{t("billingAdmin:statement.appliedTo", { invoice: r.payment.invoiceNumber })}</div>
        ) : null}
        {r.assignable && canAssign ? (
          <Form method="post" className="ab-assign">
            <input type="hidden" name="intent" value="assign" />
            <input type="hidden" name="line" value={r.line} />
            <label>
              <span className="small">{t("billingAdmin:statement.assign.label")}</span>
              <input
                name="invoiceNumber"
                required
                maxLength={40}
                className="mono"
                placeholder={t("billingAdmin:statement.assign.placeholder")}
                defaultValue={refused?.values.invoiceNumber ?? r.invoice?.number ?? ""}
                aria-invalid={refused ? true : undefined}
              />
            </label>
            <button type="submit">{t("billingAdmin:statement.assign.submit")}</button>
            {refused ? (
              <div className="small ab-warn" role="alert">
                {refused.error.fieldErrors?.invoiceNumber ?? refused.error.message}
              </div>
            ) : null}
          </Form>
        ) : null}
      </td>
    </tr>
  );
}

export const ErrorBoundary = ErrorPanel;
