// The operator's invoices: filters (status incl. overdue, number or school, issue date range), paging,
// the PDF, and per open invoice a bank transfer confirmed by hand (admin.billing.confirmPayment).
import { Notice } from "~/components/Notice.tsx";
import { InvoiceBadge, InvoicePdfCell } from "~/components/admin/InvoiceBadge.tsx";
import { DateRange } from "~/components/admin/DateRange.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Fragment, type InputHTMLAttributes } from "react";
import { Field, FilterForm, FilterSelect, FormAlert, SchoolFilterNote, SearchBox } from "~/components/Field.tsx";
import { listLink, Pager } from "~/components/Pager.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { isOneOf } from "../../domain/trainees.ts";
import { loadWs, refusedWith, runWs, texts } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { listParams } from "~/lib/list-params.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { tengeInput } from "../../domain/kz/money.ts";
import type { loader as adminLoader } from "./admin.tsx";
import { HeadCells } from "~/components/Table.tsx";

const STATUSES = ["open", "overdue", "paid", "void"] as const;
const PAGE_SIZE = 50;
/** The confirm form's visible fields; an error on anything else is shown above them. */
const SHOWN = ["amount", "receivedOn", "reference", "note"] as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const { get, from, to, schoolId, page } = listParams(request);
  const status = isOneOf(STATUSES, get("status")) ? (get("status") as (typeof STATUSES)[number]) : "";
  const q = get("q").slice(0, 60);
  const period = /^\d{4}-(0[1-9]|1[0-2])$/.test(get("period")) ? get("period") : "";
  const list = await loadWs(context, () =>
    context.trpc.admin.billing.invoices({
      status: status || undefined,
      q: q || undefined,
      period: period || undefined,
      from: from || undefined,
      to: to || undefined,
      schoolId: schoolId || undefined,
      page,
    }),
  );
  return { list, filters: { status, q, period, from, to, schoolId }, page, today: almatyDate(new Date()) };
}

type Values = {
  invoiceId: string;
  number: string;
  amount: string;
  receivedOn: string;
  reference: string;
  note: string;
};

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const values: Values = texts(form, ["invoiceId", "number", "amount", "receivedOn", "reference", "note"]);
  const result = await runWs(context, () =>
    context.trpc.admin.billing.confirmPayment({
      invoiceId: values.invoiceId,
      amount: values.amount,
      receivedOn: values.receivedOn,
      reference: values.reference,
      note: values.note.trim() || undefined,
    }),
  );
  if (!result.ok) return refusedWith(result.response, values);
  return { confirmed: { number: values.number, ...result.value } };
}

type Confirmed = { confirmed: { number: string; outcome: "paid" | "partial" | "overpaid"; restoredTo: string | null } };

export default function AdminInvoices() {
  const { list, filters, page, today } = useLoaderData<typeof loader>();
  const admin = useRouteLoaderData<typeof adminLoader>("routes/admin");
  const actionData = useActionData() as Refused<Values> | Confirmed | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const canConfirm = admin?.operatorRole === "super_admin" || admin?.operatorRole === "billing";
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "confirmed" in actionData && navigation.state === "idle" ? actionData.confirmed : null;
  const pages = Math.ceil(list.total / PAGE_SIZE);
  const link = (extra: Record<string, string>) => listLink("/admin/invoices", filters, extra);
  const filtered = Object.values(filters).some(Boolean);
  return (
    <main className="ws-main">
      <h1>{t("billingAdmin:invoices.title")}</h1>
      <FilterForm
        className="toolbar ab-filters"
        search
        submitLabel={t("common:search")}
        filtered={filtered}
        resetTo="/admin/invoices"
        resetLabel={t("admin:schools.reset")}
      >
        {filters.schoolId ? <input type="hidden" name="schoolId" value={filters.schoolId} /> : null}
        <SearchBox
          label={t("billingAdmin:invoices.search")}
          defaultValue={filters.q}
          placeholder={t("billingAdmin:invoices.search")}
          maxLength={60}
        />
        <FilterSelect
          name="status"
          label={t("billingAdmin:invoices.cols.status")}
          value={filters.status}
          allLabel={t("billingAdmin:invoices.statusAll")}
          options={STATUSES}
          optionLabel={(s) => t(`billingAdmin:invoices.status.${s}`)}
        />
        <div className="field">
          <label htmlFor="f-period">{t("billingAdmin:periodFilter")}</label>
          <input id="f-period" name="period" type="month" defaultValue={filters.period} />
        </div>
        <DateRange fromLabel={t("billingAdmin:invoices.issuedFrom")} from={filters.from} to={filters.to} />
      </FilterForm>
      <SchoolFilterNote
        schoolId={filters.schoolId}
        schoolName={list.items[0]?.schoolName}
        clearTo={link({ schoolId: "", page: "" })}
      />

      {done ? (
        <Notice>
          {t(`billingAdmin:confirm.done.${done.outcome}`, { number: done.number })}
          {done.restoredTo ? (
            <> {t("billingAdmin:confirm.restored", { status: t(`billing:status.${done.restoredTo}`) })}</>
          ) : null}
        </Notice>
      ) : null}
      {refused && !list.items.some((i) => i.id === refused.values.invoiceId && i.status === "open") ? (
        <FormAlert message={refused.error.message} />
      ) : null}

      <p className="ab-totals" data-testid="totals">
        {t("billingAdmin:totals.invoices", {
          count: list.totals.count,
          amount: formatTiyn(list.totals.amountTiyn),
          paid: formatTiyn(list.totals.paidTiyn),
        })}{" "}
        <a href={listLink("/admin/invoices.xlsx", filters, {})} download>
          {t("billingAdmin:export.download")}
        </a>
      </p>
      {list.items.length === 0 ? (
        <p className="card muted">{t("billingAdmin:invoices.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="ab-invoices">
            <thead>
              <tr>
                <HeadCells
                  labels="billingAdmin:invoices.cols"
                  columns={[
                    "number",
                    "school",
                    ["period", "hide-phone"],
                    ["due", "hide-phone"],
                    ["amount", "num"],
                    ["status", "hide-phone"],
                    "document",
                  ]}
                />
              </tr>
            </thead>
            <tbody>
              {list.items.map((i) => {
                const mine = refused?.values.invoiceId === i.id ? refused : null;
                const confirmable = i.status === "open" && canConfirm;
                return (
                  <Fragment key={i.id}>
                    <tr className={confirmable ? "ab-has-confirm" : undefined}>
                      <td className="mono nowrap">
                        <Link to={`/admin/invoices/${i.id}`}>{i.number}</Link>
                        <span className="phone-only">
                          <br />
                          <InvoiceBadge status={i.status} overdue={i.overdue} />
                        </span>
                      </td>
                      <td>
                        <Link to={`/admin/schools/${i.schoolId}`}>{i.schoolName}</Link>
                        <div className="muted small mono hide-phone">{i.schoolBin}</div>
                      </td>
                      <td className="hide-phone nowrap">
                        {fmt.date(i.periodStart)} – {fmt.date(i.periodEnd)}
                        <div className="muted small">
                          {t("billingAdmin:invoices.issuedOn", { date: fmt.date(i.issuedOn) })}
                        </div>
                      </td>
                      <td className="nowrap hide-phone">{fmt.date(i.dueOn)}</td>
                      <td className="num nowrap">{formatTiyn(i.amountTiyn)}</td>
                      <td className="hide-phone">
                        <InvoiceBadge status={i.status} overdue={i.overdue} />
                        {i.paidAt ? <div className="muted small nowrap">{fmt.date(i.paidAt)}</div> : null}
                      </td>
                      <InvoicePdfCell id={i.id} />
                    </tr>
                    {confirmable ? (
                      <tr className="ab-confirm-row">
                        <td colSpan={7}>
                          {/* Its own row, so the form gets the table's full width; works without JavaScript. */}
                          <details className="ab-confirm" open={!!mine}>
                            <summary>
                              {t("billingAdmin:confirm.open")} — {i.number}
                            </summary>
                            <ConfirmForm
                              invoice={i}
                              today={today}
                              refused={mine}
                              busy={navigation.state === "submitting"}
                            />
                          </details>
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} link={link} />
    </main>
  );
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["list"]["items"][number];

/** A bank transfer the operator saw in the bank, recorded against one invoice. */
function ConfirmForm({
  invoice,
  today,
  refused,
  busy,
}: {
  invoice: Row;
  today: string;
  refused: Refused<Values> | null;
  busy: boolean;
}) {
  const t = useT();
  const fe = refused?.error.fieldErrors ?? {};
  const v = refused?.values;
  const id = (name: string) => `c-${invoice.id}-${name}`;
  const field = (name: keyof Values, label: string, input: InputHTMLAttributes<HTMLInputElement>, hint?: string) => (
    <Field id={id(name)} name={name} label={label} error={fe[name]} hint={hint} {...input} />
  );
  return (
    <Form method="post" noValidate className="ab-confirm-form">
      <input type="hidden" name="invoiceId" value={invoice.id} />
      <input type="hidden" name="number" value={invoice.number} />
      <FormAlert message={refused && !SHOWN.some((k) => fe[k]) ? refused.error.message : null} />
      {field("amount", t("billingAdmin:confirm.amount"), {
        inputMode: "decimal",
        required: true,
        defaultValue: v?.amount ?? tengeInput(invoice.amountTiyn),
      })}
      {field("receivedOn", t("billingAdmin:confirm.receivedOn"), {
        type: "date",
        required: true,
        max: today,
        defaultValue: v?.receivedOn ?? today,
      })}
      {field(
        "reference",
        t("billingAdmin:confirm.reference"),
        { required: true, maxLength: 100, defaultValue: v?.reference ?? "" },
        t("billingAdmin:confirm.referenceHint"),
      )}
      {field("note", t("billingAdmin:confirm.note"), { maxLength: 500, defaultValue: v?.note ?? "" })}
      <div className="ab-confirm-submit">
        <button type="submit" className="primary" disabled={busy}>
          {t("billingAdmin:confirm.submit")}
        </button>
      </div>
    </Form>
  );
}

export const ErrorBoundary = ErrorPanel;
