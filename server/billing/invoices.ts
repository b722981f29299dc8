// Invoices as people reach them: a school paying ahead or by card, an invoice's PDF, and the operator's
// list of every school's invoices with filters.
import { operatorDb, type Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { dayRange } from "../db/day-range.ts";
import { config } from "../config.ts";
import { logger } from "../log.ts";
import type { SchoolCtx } from "../trpc.ts";
import { likeText } from "../db/like.ts";
import { almatyDate, dbDay, isoDay } from "../../domain/kz/time.ts";
import type { Locale } from "../../domain/i18n/index.ts";
import type { FileDownload } from "../../domain/files.ts";
import { issueNextInvoice, lockSchool } from "./ledger.ts";
import { billingSettings } from "./settings.ts";
import { createCheckoutSession } from "./stripe.ts";
import { invoiceDocument } from "./invoice-doc.ts";

/** Pay ahead: issues the next period's invoice now instead of waiting for the daily run (or returns the open one). */
export async function issueInvoiceAhead(schoolId: string) {
  const today = almatyDate(new Date());
  const result = await operatorDb().$transaction(async (tx) => {
    await lockSchool(tx, schoolId);
    const open = await tx.invoice.findFirst({
      where: { schoolId, status: "open" },
      orderBy: { dueOn: "asc" },
      select: { id: true, number: true },
    });
    if (open) return { ...open, created: false };
    return issueNextInvoice(tx, schoolId, today, await billingSettings(tx));
  });
  return { id: result.id, number: result.number, created: result.created };
}

/** Card payment: a Stripe Checkout session for an open invoice; the webhook, not the redirect, confirms it. */
export async function cardCheckout(
  tx: Tx,
  school: SchoolCtx,
  actor: { email: string; locale: Locale },
  input: { id: string },
): Promise<{ url: string }> {
  const inv = await tx.invoice.findUnique({
    where: { id: input.id },
    include: { plan: true, planChange: { select: { fromPlan: true } } },
  });
  if (!inv) throw new AppError("NOT_FOUND", "notFound");
  if (inv.status !== "open") throw new AppError("CONFLICT", "billing.invoiceNotOpen");
  const base = `${config().publicUrl}/s/${school.slug}/billing`;
  const session = await createCheckoutSession({
    invoiceId: inv.id,
    invoiceNumber: inv.number,
    schoolId: school.id,
    amountTiyn: Number(inv.amountTiyn) - Number(inv.creditTiyn),
    description: `Avtomektep — ${inv.plan.nameRu}, ${isoDay(inv.periodStart)} – ${isoDay(inv.periodEnd)} (${inv.number})`,
    customerEmail: actor.email,
    locale: actor.locale,
    successUrl: `${base}?paid=${inv.id}`,
    cancelUrl: base,
  }).catch((err: unknown) => {
    logger.warn({ err, invoice: inv.number }, "stripe checkout session not created");
    throw new AppError("BAD_REQUEST", "billing.cardUnavailable");
  });
  return { url: session.url };
}

/** An invoice as a PDF (the school sees its own through row-level security; the operator any). */
export async function invoicePdf(tx: Tx, input: { id: string }): Promise<FileDownload> {
  const inv = await tx.invoice.findUnique({
    where: { id: input.id },
    include: { plan: true, planChange: { select: { fromPlan: true } } },
  });
  if (!inv) throw new AppError("NOT_FOUND", "notFound");
  return invoiceDocument(inv);
}

export type InvoiceFilter = {
  status?: "open" | "paid" | "void" | "overdue";
  schoolId?: string;
  q?: string;
  from?: string;
  to?: string;
  /** YYYY-MM: invoices for a billing period that starts in that month */
  period?: string;
};

/**
 * What the operator types into a list's search: an invoice number, a school's name, or a BIN/IIN as the list
 * shows it (spaces or not, whole or a part of at least 4 digits).
 */
export function billingSearch(q: string | undefined) {
  if (!q) return [];
  const digits = q.replace(/[\s-]/g, "");
  return [
    { number: { contains: likeText(q.replace(/\s/g, "").toUpperCase()) } },
    { school: { name: { contains: likeText(q), mode: "insensitive" as const } } },
    ...(/^\d{4,12}$/.test(digits) ? [{ school: { binIin: { contains: digits } } }] : []),
  ];
}

/** The operator's invoice filter as a Prisma where (overdue = open past its due date on `today`). */
export function invoiceWhere(input: InvoiceFilter, today: string): Prisma.InvoiceWhereInput {
  const search = billingSearch(input.q);
  return {
    schoolId: input.schoolId,
    ...(input.status === "overdue"
      ? { status: "open" as const, dueOn: { lt: dbDay(today) } }
      : input.status
        ? { status: input.status }
        : {}),
    ...(search.length ? { OR: search } : {}),
    issuedOn: dayRange(input.from, input.to),
    ...(input.period ? { periodStart: monthRange(input.period) } : {}),
  };
}

/** The first and last day of a month "YYYY-MM". */
function monthRange(month: string) {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { gte: dbDay(`${month}-01`), lte: dbDay(`${month}-${String(last).padStart(2, "0")}`) };
}

/** Totals of every invoice the filter picks: how many, their amount, and what they received net of refunds. */
async function invoiceTotals(db: Tx, where: Prisma.InvoiceWhereInput) {
  const [sum, paid] = await Promise.all([
    db.invoice.aggregate({ where, _count: true, _sum: { amountTiyn: true } }),
    db.payment.aggregate({ where: { invoice: where }, _sum: { amountTiyn: true, refundedTiyn: true } }),
  ]);
  return {
    count: sum._count,
    amountTiyn: Number(sum._sum.amountTiyn ?? 0n),
    paidTiyn: Number(paid._sum.amountTiyn ?? 0n) - Number(paid._sum.refundedTiyn ?? 0n),
  };
}

const invoiceRow = (
  i: Prisma.InvoiceGetPayload<{ include: { school: { select: { name: true; binIin: true } } } }>,
  today: string,
) => ({
  id: i.id,
  number: i.number,
  schoolId: i.schoolId,
  schoolName: i.school.name,
  schoolBin: i.school.binIin,
  status: i.status,
  amountTiyn: Number(i.amountTiyn),
  creditTiyn: Number(i.creditTiyn),
  issuedOn: isoDay(i.issuedOn),
  dueOn: isoDay(i.dueOn),
  periodStart: isoDay(i.periodStart),
  periodEnd: isoDay(i.periodEnd),
  paidAt: i.paidAt,
  overdue: i.status === "open" && isoDay(i.dueOn) < today,
});

/** The operator's invoices: by status (overdue = open past its due date), school, number, school name or BIN, issue dates and billing period; 50 a page, with the totals of all the filter picks. */
export async function listInvoices(db: Tx, input: InvoiceFilter & { page: number }) {
  const today = almatyDate(new Date());
  const where = invoiceWhere(input, today);
  const [rows, totals] = await Promise.all([
    db.invoice.findMany({
      where,
      orderBy: [{ issuedOn: "desc" }, { number: "desc" }],
      skip: input.page * 50,
      take: 50,
      include: { school: { select: { name: true, binIin: true } } },
    }),
    invoiceTotals(db, where),
  ]);
  return { total: totals.count, totals, items: rows.map((i) => invoiceRow(i, today)) };
}

/** At most this many rows in one export (ADR 025: bounded work); the filters narrow a bigger one. */
export const EXPORT_ROWS = 20_000;

/** Every invoice the filter picks (up to EXPORT_ROWS), for the XLSX export, with what each received. */
export async function invoicesForExport(db: Tx, input: InvoiceFilter) {
  const today = almatyDate(new Date());
  const where = invoiceWhere(input, today);
  const rows = await db.invoice.findMany({
    where,
    orderBy: [{ issuedOn: "desc" }, { number: "desc" }],
    take: EXPORT_ROWS,
    include: {
      school: { select: { name: true, binIin: true } },
      payments: { select: { amountTiyn: true, refundedTiyn: true } },
    },
  });
  return rows.map((i) => ({
    ...invoiceRow(i, today),
    paidTiyn: i.payments.reduce((s, p) => s + Number(p.amountTiyn) - Number(p.refundedTiyn), 0),
  }));
}
