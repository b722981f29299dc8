// The operator's payments desk: every school's payments with filters, a bank transfer confirmed by hand,
// and bank statements uploaded, listed and applied (the matching itself is in ./statement.ts).
import type { Tx } from "../db/client.ts";
import type { Prisma, PrismaClient } from "../db/generated/prisma/client.ts";
import type { PaymentMethod } from "../db/generated/prisma/enums.ts";
import { AppError } from "../errors.ts";
import { dayRange } from "../db/day-range.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { almatyDate, isoDay } from "../../domain/kz/time.ts";
import { applyPayment } from "./ledger.ts";
import { billingSearch, EXPORT_ROWS } from "./invoices.ts";
import { applyStatement, uploadStatement } from "./statement.ts";

type Actor = { id: string };

export type PaymentFilter = {
  method?: PaymentMethod;
  schoolId?: string;
  q?: string;
  from?: string;
  to?: string;
};

/** The payments filter as a Prisma where: the search finds a payment by its invoice's number, school name or BIN. */
function paymentWhere(input: PaymentFilter): Prisma.PaymentWhereInput {
  const search = billingSearch(input.q).map(({ school, number }) => (number ? { invoice: { number } } : { school }));
  return {
    method: input.method,
    schoolId: input.schoolId,
    receivedOn: dayRange(input.from, input.to),
    ...(search.length ? { OR: search } : {}),
  };
}

const paymentInclude = {
  school: { select: { name: true, binIin: true } },
  invoice: { select: { number: true } },
} as const;
const paymentRow = (p: Prisma.PaymentGetPayload<{ include: typeof paymentInclude }>) => ({
  id: p.id,
  method: p.method,
  amountTiyn: Number(p.amountTiyn),
  refundedTiyn: Number(p.refundedTiyn),
  receivedOn: isoDay(p.receivedOn),
  schoolId: p.schoolId,
  schoolName: p.school.name,
  schoolBin: p.school.binIin,
  invoiceId: p.invoiceId,
  invoiceNumber: p.invoice.number,
  payerName: p.payerName,
  payerBin: p.payerBin,
  externalRef: p.externalRef,
  disputedAt: p.disputedAt,
  createdAt: p.createdAt,
});

/** Payments by method, school, search and receipt dates, newest first; 50 a page, with the totals of all the filter picks. */
export async function listPayments(db: Tx, input: PaymentFilter & { page: number }) {
  const where = paymentWhere(input);
  const [rows, sum] = await Promise.all([
    db.payment.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: input.page * 50,
      take: 50,
      include: paymentInclude,
    }),
    db.payment.aggregate({ where, _count: true, _sum: { amountTiyn: true, refundedTiyn: true } }),
  ]);
  const amountTiyn = Number(sum._sum.amountTiyn ?? 0n);
  const refundedTiyn = Number(sum._sum.refundedTiyn ?? 0n);
  return {
    total: sum._count,
    totals: { count: sum._count, amountTiyn, refundedTiyn, paidTiyn: amountTiyn - refundedTiyn },
    items: rows.map(paymentRow),
  };
}

/** Every payment the filter picks (up to EXPORT_ROWS), for the XLSX export. */
export async function paymentsForExport(db: Tx, input: PaymentFilter) {
  const rows = await db.payment.findMany({
    where: paymentWhere(input),
    orderBy: { createdAt: "desc" },
    take: EXPORT_ROWS,
    include: paymentInclude,
  });
  return rows.map(paymentRow);
}

/**
 * A bank transfer confirmed by hand (the operator saw it in the bank): applied like any payment, under the
 * bank's reference as its key — the same reference twice is refused.
 */
export async function confirmPayment(
  db: PrismaClient,
  actor: Actor,
  meta: RequestMeta,
  input: { invoiceId: string; amount: number; receivedOn: string; reference: string; payer?: string; note?: string },
) {
  if (input.receivedOn > almatyDate(new Date()))
    throw new AppError("BAD_REQUEST", "billing.futureDate", {}, "receivedOn");
  const result = await db.$transaction(
    async (tx) => {
      // A paid or voided invoice takes no more money by hand (a voided one is never paid later).
      const target = await tx.invoice.findUnique({ where: { id: input.invoiceId }, select: { status: true } });
      if (target && target.status !== "open") throw new AppError("CONFLICT", "billing.desk.invoiceNotOpen");
      const r = await applyPayment(tx, {
        invoiceId: input.invoiceId,
        method: "manual",
        externalRef: input.reference,
        amountTiyn: input.amount,
        receivedOn: input.receivedOn,
        payerName: input.payer ?? null,
        note: input.note ?? null,
        recordedBy: actor.id,
      });
      if (r.outcome === "duplicate") throw new AppError("CONFLICT", "billing.duplicateReference", {}, "reference");
      const inv = await tx.invoice.findUniqueOrThrow({
        where: { id: input.invoiceId },
        select: { schoolId: true, number: true },
      });
      await audit(tx, meta, {
        action: "billing.payment_confirmed",
        schoolId: inv.schoolId,
        actorUserId: actor.id,
        details: {
          invoice: inv.number,
          invoiceId: input.invoiceId,
          amountTiyn: input.amount,
          reference: input.reference,
          outcome: r.outcome,
          ...(input.payer ? { payer: input.payer } : {}),
        },
      });
      return r;
    },
    { timeout: 30_000 },
  );
  return { outcome: result.outcome, restoredTo: result.restoredTo };
}

/** An uploaded statement file (base64) stored for review. */
export async function importStatement(db: PrismaClient, actor: Actor, input: { fileName: string; base64: string }) {
  const id = await uploadStatement(db, { name: input.fileName, bytes: Buffer.from(input.base64, "base64") }, actor.id);
  return { id };
}

/** The last 30 statements uploaded, newest first. */
export function recentStatements(db: Tx) {
  return db.bankStatement.findMany({
    orderBy: { uploadedAt: "desc" },
    take: 30,
    select: { id: true, fileName: true, uploadedAt: true, appliedAt: true, paidCount: true },
  });
}

/** Applies a statement's matched documents, then records who did it. */
export async function applyBankStatement(db: PrismaClient, actor: Actor, meta: RequestMeta, input: { id: string }) {
  const result = await applyStatement(db, input.id, actor.id);
  await audit(db, meta, {
    action: "billing.statement_applied",
    actorUserId: actor.id,
    details: { statementId: input.id, ...result },
  });
  return result;
}
