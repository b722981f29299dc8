// Invoices as people reach them: a school paying ahead or by card, an invoice's PDF, and the operator's
// list of every school's invoices with filters.
import { operatorDb, type Tx } from "../db/client.ts";
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
  const inv = await tx.invoice.findUnique({ where: { id: input.id }, include: { plan: true } });
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
  const inv = await tx.invoice.findUnique({ where: { id: input.id }, include: { plan: true } });
  if (!inv) throw new AppError("NOT_FOUND", "notFound");
  return invoiceDocument(inv);
}

/** The operator's invoices: by status (overdue = open past its due date), school, number or school name, and issue dates; 50 a page. */
export async function listInvoices(
  db: Tx,
  input: {
    status?: "open" | "paid" | "void" | "overdue";
    schoolId?: string;
    q?: string;
    from?: string;
    to?: string;
    page: number;
  },
) {
  const today = almatyDate(new Date());
  const where = {
    schoolId: input.schoolId,
    ...(input.status === "overdue"
      ? { status: "open" as const, dueOn: { lt: dbDay(today) } }
      : input.status
        ? { status: input.status }
        : {}),
    ...(input.q
      ? {
          OR: [
            { number: { contains: likeText(input.q.toUpperCase()) } },
            { school: { name: { contains: likeText(input.q), mode: "insensitive" as const } } },
          ],
        }
      : {}),
    issuedOn: dayRange(input.from, input.to),
  };
  const [rows, total] = await Promise.all([
    db.invoice.findMany({
      where,
      orderBy: [{ issuedOn: "desc" }, { number: "desc" }],
      skip: input.page * 50,
      take: 50,
      include: { school: { select: { name: true, binIin: true } } },
    }),
    db.invoice.count({ where }),
  ]);
  return {
    total,
    items: rows.map((i) => ({
      id: i.id,
      number: i.number,
      schoolId: i.schoolId,
      schoolName: i.school.name,
      schoolBin: i.school.binIin,
      status: i.status,
      amountTiyn: Number(i.amountTiyn),
      issuedOn: isoDay(i.issuedOn),
      dueOn: isoDay(i.dueOn),
      periodStart: isoDay(i.periodStart),
      periodEnd: isoDay(i.periodEnd),
      paidAt: i.paidAt,
      overdue: i.status === "open" && isoDay(i.dueOn) < today,
    })),
  };
}
