// The operator's invoices and payments lists as XLSX: the rows the list's filters pick (not just the page shown),
// headers in the operator's language, money as numbers, and a totals row — streamed like the school's registers
// (server/exports/common.ts).
import type { Tx } from "../db/client.ts";
import { translator, type Locale } from "../../domain/i18n/index.ts";
import { addRows, day, fileName, streamedWorkbook, tableSheet, tenge, today, type Column } from "../exports/common.ts";
import { invoicesForExport, type InvoiceFilter } from "./invoices.ts";
import { paymentsForExport, type PaymentFilter } from "./payments-desk.ts";

type Col<R> = Column & { value: (r: R) => string | number };

/** A list's sheet: a row per item, then the totals row — the count in the first column, each money column summed. */
async function sheet<R>(locale: Locale, name: "invoices" | "payments", columns: Col<R>[], rows: R[]) {
  const t = translator(locale);
  const { wb, download } = streamedWorkbook();
  const ws = tableSheet(wb, t(`billingAdmin:export.${name}.sheet`), columns);
  const cells = rows.map((r) => columns.map((c) => c.value(r)));
  // summed in tiyn, so the total is exact whatever the number of rows
  const total = (k: number) => cells.reduce((n, row) => n + Math.round(Number(row[k]) * 100), 0) / 100;
  const totals = columns.map((c, k) =>
    k === 0 ? t("billingAdmin:export.total", { count: rows.length }) : c.money ? total(k) : "",
  );
  addRows(ws, columns, [...cells, totals]);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return download(fileName([t(`billingAdmin:export.${name}.file`), today()], "xlsx"));
}

export async function invoicesXlsx(db: Tx, locale: Locale, filter: InvoiceFilter) {
  const t = translator(locale);
  const rows = await invoicesForExport(db, filter);
  type R = (typeof rows)[number];
  const c = (k: string) => t(`billingAdmin:export.invoices.cols.${k}`);
  const columns: Col<R>[] = [
    { header: c("number"), width: 16, value: (r) => r.number },
    { header: c("school"), width: 32, value: (r) => r.schoolName },
    { header: c("bin"), width: 15, value: (r) => r.schoolBin },
    { header: c("periodStart"), width: 12, value: (r) => day(r.periodStart) },
    { header: c("periodEnd"), width: 12, value: (r) => day(r.periodEnd) },
    { header: c("issued"), width: 12, value: (r) => day(r.issuedOn) },
    { header: c("due"), width: 12, value: (r) => day(r.dueOn) },
    {
      header: c("status"),
      width: 14,
      value: (r) => t(`billingAdmin:invoices.status.${r.overdue ? "overdue" : r.status}`),
    },
    { header: c("amount"), width: 14, money: true, value: (r) => tenge(r.amountTiyn) },
    { header: c("credit"), width: 14, money: true, value: (r) => tenge(r.creditTiyn) },
    { header: c("paid"), width: 14, money: true, value: (r) => tenge(r.paidTiyn) },
  ];
  return sheet(locale, "invoices", columns, rows);
}

export async function paymentsXlsx(db: Tx, locale: Locale, filter: PaymentFilter) {
  const t = translator(locale);
  const rows = await paymentsForExport(db, filter);
  type R = (typeof rows)[number];
  const c = (k: string) => t(`billingAdmin:export.payments.cols.${k}`);
  const columns: Col<R>[] = [
    { header: c("date"), width: 12, value: (r) => day(r.receivedOn) },
    { header: c("school"), width: 32, value: (r) => r.schoolName },
    { header: c("bin"), width: 15, value: (r) => r.schoolBin },
    { header: c("invoice"), width: 16, value: (r) => r.invoiceNumber },
    { header: c("method"), width: 18, value: (r) => t(`billingAdmin:payments.methods.${r.method}`) },
    { header: c("payer"), width: 28, value: (r) => [r.payerName, r.payerBin].filter(Boolean).join(", ") },
    { header: c("reference"), width: 24, value: (r) => r.externalRef },
    { header: c("amount"), width: 14, money: true, value: (r) => tenge(r.amountTiyn) },
    { header: c("refunded"), width: 14, money: true, value: (r) => tenge(r.refundedTiyn) },
  ];
  return sheet(locale, "payments", columns, rows);
}
