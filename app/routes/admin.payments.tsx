// The operator's payments: every card, bank-statement and hand-confirmed payment, filtered by method,
// school and date received, with refunds and disputes (admin.billing.payments).
import { FilterForm, FilterSelect, SchoolFilterNote, SearchBox } from "~/components/Field.tsx";
import { Table } from "~/components/Table.tsx";
import { DateRange } from "~/components/admin/DateRange.tsx";
import { Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { listLink, Pager } from "~/components/Pager.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { isOneOf } from "../../domain/trainees.ts";
import { loadWs } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { listParams } from "~/lib/list-params.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../domain/i18n/index.ts";

const METHODS = ["card", "bank", "manual", "kaspi"] as const;
const PAGE_SIZE = 50;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const { get, from, to, schoolId, page } = listParams(request);
  const method = isOneOf(METHODS, get("method")) ? (get("method") as (typeof METHODS)[number]) : "";
  const q = get("q").slice(0, 60);
  const list = await loadWs(context, () =>
    context.trpc.admin.billing.payments({
      method: method || undefined,
      q: q || undefined,
      from: from || undefined,
      to: to || undefined,
      schoolId: schoolId || undefined,
      page,
    }),
  );
  return { list, filters: { method, q, from, to, schoolId }, page };
}

export default function AdminPayments() {
  const { list, filters, page } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  const pages = Math.ceil(list.total / PAGE_SIZE);
  const link = (extra: Record<string, string>) => listLink("/admin/payments", filters, extra);
  return (
    <main className="ws-main">
      <h1>{t("billingAdmin:payments.title")}</h1>
      <FilterForm
        className="toolbar ab-filters"
        submitLabel={t("billingAdmin:common.show")}
        filtered={Object.values(filters).some(Boolean)}
        resetTo="/admin/payments"
        resetLabel={t("admin:schools.reset")}
      >
        {filters.schoolId ? <input type="hidden" name="schoolId" value={filters.schoolId} /> : null}
        <SearchBox
          label={t("billingAdmin:paymentSearch")}
          defaultValue={filters.q}
          placeholder={t("billingAdmin:paymentSearch")}
          maxLength={60}
        />
        <FilterSelect
          name="method"
          label={t("billingAdmin:payments.cols.method")}
          value={filters.method}
          allLabel={t("billingAdmin:payments.methodAll")}
          options={METHODS}
          optionLabel={(m) => t(`billingAdmin:payments.methods.${m}`)}
        />
        <DateRange fromLabel={t("billingAdmin:payments.receivedFrom")} from={filters.from} to={filters.to} />
      </FilterForm>
      <SchoolFilterNote
        schoolId={filters.schoolId}
        schoolName={list.items[0]?.schoolName}
        clearTo={link({ schoolId: "", page: "" })}
      />

      <p className="ab-totals" data-testid="totals">
        {t("billingAdmin:totals.payments", {
          count: list.totals.count,
          amount: formatTiyn(list.totals.amountTiyn),
          refunded: formatTiyn(list.totals.refundedTiyn),
          paid: formatTiyn(list.totals.paidTiyn),
        })}{" "}
        <a href={listLink("/admin/payments.xlsx", filters, {})} download>
          {t("billingAdmin:export.download")}
        </a>
      </p>
      <Table
        rows={list.items}
        empty={t("billingAdmin:payments.empty")}
        emptyClassName="card muted"
        className="ab-payments"
        labels="billingAdmin:payments.cols"
        columns={[
          "date",
          "school",
          "invoice",
          "method",
          ["amount", "num"],
          ["refunded", "num"],
          ["payer", "hide-phone"],
          ["reference", "hide-phone"],
        ]}
        row={(p) => (
          <tr key={p.id} className={p.disputedAt ? "ab-disputed" : undefined}>
            <td>
              <span className="nowrap">{fmt.date(p.receivedOn)}</span>
              <div className="muted small">
                {t("billingAdmin:payments.recorded", { date: fmt.dateTime(p.createdAt) })}
              </div>
            </td>
            <td>
              <Link to={`/admin/schools/${p.schoolId}`}>{p.schoolName}</Link>
            </td>
            <td className="mono nowrap">
              <Link to={`/admin/invoices/${p.invoiceId}`}>{p.invoiceNumber}</Link>
            </td>
            <td>
              <span className={`badge pay-${p.method}`}>{t(`billingAdmin:payments.methods.${p.method}`)}</span>
              {p.disputedAt ? (
                <div>
                  <span className="badge suspended" title={fmt.dateTime(p.disputedAt)}>
                    {t("billingAdmin:payments.disputed")}
                  </span>
                </div>
              ) : null}
            </td>
            <td className="num nowrap">{formatTiyn(p.amountTiyn)}</td>
            <td className="num nowrap">{p.refundedTiyn > 0 ? formatTiyn(p.refundedTiyn) : "—"}</td>
            <td className="hide-phone">
              {p.payerName ?? "—"}
              {p.payerBin ? <div className="muted small mono">{p.payerBin}</div> : null}
            </td>
            <td className="hide-phone mono small break ab-ref">{p.externalRef}</td>
          </tr>
        )}
      />
      <Pager page={page} pages={pages} link={link} />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
