// The operator's invoice desk (/admin/invoices/<id>): one invoice with its payments, refunds, documents and
// history, and what the accountant does to it — void it, refund a payment, issue a credit note. (A transfer
// confirmed by hand is ./payments-desk.ts confirmPayment, the same one the invoices list uses.) Every action
// runs in one transaction under the school's row lock, is audited in it, and carries the key of the form that
// asked for it: the key is unique in the database, so a form submitted twice finds its row and changes nothing.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import { AppError, uniqueViolationFields } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { storeDocument } from "../documents/cabinet.ts";
import { logger } from "../log.ts";
import type { FileDownload } from "../../domain/files.ts";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { almatyDate, isoDay } from "../../domain/kz/time.ts";
import { creditNotePdf, type Party, type Requisites } from "./documents.ts";
import { addCredit, creditBalance, invoiceReceived, leftToPay } from "./credit.ts";
import { applyRefund, lockSchool, nextNumber, settlePaid, voidInvoice } from "./ledger.ts";
import { refundCardPayment } from "./stripe.ts";

type Actor = { id: string };

/** One invoice as the desk shows it: header, payments with their refunds, documents, history, the school's credit. */
export async function invoiceCard(db: Tx, input: { id: string }) {
  const inv = await db.invoice.findUnique({
    where: { id: input.id },
    include: {
      school: { select: { id: true, name: true, binIin: true, status: true } },
      plan: { select: { nameKk: true, nameRu: true } },
      payments: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!inv) throw new AppError("NOT_FOUND", "notFound");
  const paymentIds = inv.payments.map((p) => p.id);
  // the acts that cover this invoice's days (acts per month, ADR 041) and what of each is this invoice's
  const actLines = await db.serviceActLine.findMany({ where: { invoiceId: inv.id } });
  const acts = actLines.length
    ? await db.serviceAct.findMany({ where: { id: { in: [...new Set(actLines.map((l) => l.actId))] } } })
    : [];
  const actShare = new Map(
    acts
      .flatMap((a) => (a.documentId ? [a as typeof a & { documentId: string }] : []))
      .map((a) => [
        a.documentId,
        actLines.filter((l) => l.actId === a.id).reduce((n, l) => n + Number(l.amountTiyn), 0),
      ]),
  );
  const [refunds, notes, documents, transitions, events, balance, received] = await Promise.all([
    db.paymentRefund.findMany({ where: { paymentId: { in: paymentIds } }, orderBy: { at: "asc" } }),
    db.creditNote.findMany({ where: { invoiceId: inv.id }, orderBy: { at: "asc" } }),
    db.schoolDocument.findMany({
      where: { OR: [{ invoiceId: inv.id }, { id: { in: [...actShare.keys()] } }] },
      select: { id: true, kind: true, number: true, titleKk: true, titleRu: true, createdAt: true },
    }),
    db.accessTransition.findMany({
      where: { OR: [{ invoiceId: inv.id }, { paymentId: { in: paymentIds } }] },
      orderBy: { at: "asc" },
    }),
    db.$queryRaw<
      { id: bigint; at: Date; action: string; actor_user_id: string | null; details: Record<string, unknown> }[]
    >`
      SELECT id, at, action, actor_user_id, details FROM audit_log
      WHERE school_id = ${inv.schoolId}::uuid AND (details->>'invoice' = ${inv.number} OR details->>'invoiceId' = ${inv.id})
      ORDER BY at, id LIMIT 200`,
    creditBalance(db, inv.schoolId),
    invoiceReceived(db, inv.id),
  ]);
  const noteDocs = notes.length
    ? await db.schoolDocument.findMany({
        where: { id: { in: notes.map((n) => n.documentId) } },
        select: { id: true, kind: true, number: true, titleKk: true, titleRu: true, createdAt: true },
      })
    : [];
  const userIds = [
    ...new Set(
      [...events.map((e) => e.actor_user_id), ...transitions.map((t) => t.actorUserId), inv.voidedBy].filter(
        (x): x is string => !!x,
      ),
    ),
  ];
  const users = userIds.length
    ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, fullName: true } })
    : [];
  const who = (id: string | null) => (id ? (users.find((u) => u.id === id)?.fullName ?? null) : null);
  const amount = Number(inv.amountTiyn);
  const credit = Number(inv.creditTiyn);
  return {
    id: inv.id,
    number: inv.number,
    school: { id: inv.school.id, name: inv.school.name, bin: inv.school.binIin, status: inv.school.status },
    planKk: inv.plan.nameKk,
    planRu: inv.plan.nameRu,
    periodStart: isoDay(inv.periodStart),
    periodEnd: isoDay(inv.periodEnd),
    issuedOn: isoDay(inv.issuedOn),
    dueOn: isoDay(inv.dueOn),
    status: inv.status,
    overdue: inv.status === "open" && isoDay(inv.dueOn) < almatyDate(new Date()),
    amountTiyn: amount,
    creditTiyn: credit,
    receivedTiyn: received,
    /** what is still to pay on an open invoice */
    leftTiyn: leftToPay(inv, received),
    /** the most a new credit note may credit: the invoice's amount less its credit notes (less what is paid, when open) */
    creditableTiyn: Math.max(
      0,
      inv.status === "void"
        ? 0
        : inv.status === "open"
          ? amount - credit - received
          : amount - notes.reduce((s, n) => s + Number(n.amountTiyn), 0),
    ),
    paidAt: inv.paidAt,
    voided: inv.voidedAt ? { at: inv.voidedAt, reason: inv.voidedReason, by: who(inv.voidedBy) } : null,
    schoolCreditTiyn: balance,
    payments: inv.payments.map((p) => ({
      id: p.id,
      method: p.method,
      externalRef: p.externalRef,
      receivedOn: isoDay(p.receivedOn),
      payerName: p.payerName,
      payerBin: p.payerBin,
      note: p.note,
      amountTiyn: Number(p.amountTiyn),
      refundedTiyn: Number(p.refundedTiyn),
      disputedAt: p.disputedAt,
      refunds: refunds
        .filter((r) => r.paymentId === p.id)
        .map((r) => ({ id: r.id, amountTiyn: Number(r.amountTiyn), reference: r.reference, at: r.at })),
    })),
    documents: [...documents, ...noteDocs]
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((d) => ({
        ...d,
        amountTiyn: Number(notes.find((n) => n.documentId === d.id)?.amountTiyn ?? actShare.get(d.id) ?? amount),
      })),
    creditNotes: notes.map((n) => ({
      id: n.id,
      number: n.number,
      amountTiyn: Number(n.amountTiyn),
      reason: n.reason,
      at: n.at,
      documentId: n.documentId,
    })),
    history: [
      ...events.map((e) => ({
        kind: "audit" as const,
        at: e.at,
        action: e.action,
        actor: who(e.actor_user_id),
        details: e.details,
      })),
      ...transitions.map((t) => ({
        kind: "access" as const,
        at: t.at,
        action: t.cause,
        actor: who(t.actorUserId),
        details: { from: t.fromStatus, to: t.toStatus, reason: t.reason } as Record<string, unknown>,
      })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime()),
  };
}

/** A unique-key clash of this form's key (two submits racing): the other one did the work. */
const isRequestKeyClash = (e: unknown) => uniqueViolationFields(e)?.some((f) => f.includes("request_key")) ?? false;

/** Void an open invoice with a reason (ledger.voidInvoice); audited once, when it is voided. */
export async function voidInvoiceByOperator(
  db: PrismaClient,
  actor: Actor,
  meta: RequestMeta,
  input: { invoiceId: string; reason: string },
) {
  return db.$transaction(
    async (tx) => {
      const r = await voidInvoice(tx, input.invoiceId, actor.id, input.reason);
      if (r.outcome === "voided")
        await audit(tx, meta, {
          action: "billing.invoice_voided",
          schoolId: r.schoolId,
          actorUserId: actor.id,
          details: { invoice: r.number, invoiceId: input.invoiceId, reason: input.reason, restoredTo: r.restoredTo },
        });
      return { outcome: r.outcome, restoredTo: r.restoredTo };
    },
    { timeout: 30_000 },
  );
}

/**
 * Refund a payment, whole or in part, never more than is left of it. A card payment is refunded in Stripe (the
 * form's key is Stripe's idempotency key) and applied at once through the ledger's refund (the webhook that
 * follows finds it applied); a bank or hand-confirmed payment is recorded as a bank refund with its reference.
 */
export async function refundPayment(
  db: PrismaClient,
  actor: Actor,
  meta: RequestMeta,
  input: { paymentId: string; amount: number; reference?: string; reason?: string; requestKey: string },
) {
  try {
    return await db.$transaction(
      async (tx) => {
        const found = await tx.payment.findUnique({ where: { id: input.paymentId }, select: { schoolId: true } });
        if (!found) throw new AppError("NOT_FOUND", "notFound");
        await lockSchool(tx, found.schoolId);
        const done = await tx.paymentRefund.findUnique({ where: { requestKey: input.requestKey } });
        if (done) return { outcome: "already" as const, refundedTiyn: Number(done.amountTiyn) };
        const p = await tx.payment.findUniqueOrThrow({
          where: { id: input.paymentId },
          include: { invoice: { select: { number: true } } },
        });
        const left = Number(p.amountTiyn) - Number(p.refundedTiyn);
        if (left <= 0) throw new AppError("CONFLICT", "billing.desk.refundNothing", {}, "amount");
        if (input.amount > left)
          throw new AppError("BAD_REQUEST", "billing.desk.refundTooMuch", { max: formatTiyn(left) }, "amount");
        let reference = input.reference ?? "";
        // A Stripe refund replayed for this key was made by an attempt that did not commit here: its webhook
        // (Stripe's cumulative sum) applies or has applied it — adding it again would count it twice.
        let replayed = false;
        if (p.method === "card") {
          ({ id: reference, replayed } = await refundCardPayment({
            paymentIntent: p.externalRef,
            amountTiyn: input.amount,
            requestKey: input.requestKey,
          }).catch((err: unknown) => {
            logger.warn({ err, payment: p.id }, "stripe refund refused");
            throw new AppError("BAD_REQUEST", "billing.desk.cardRefundFailed");
          }));
        } else if (!reference) throw new AppError("BAD_REQUEST", "billing.desk.refundReference", {}, "reference");
        if (!replayed) await applyRefund(tx, p.id, Number(p.refundedTiyn) + input.amount);
        await tx.paymentRefund.create({
          data: {
            id: randomUUID(),
            requestKey: input.requestKey,
            schoolId: p.schoolId,
            paymentId: p.id,
            amountTiyn: input.amount,
            reference,
            reason: input.reason ?? null,
            actorUserId: actor.id,
          },
        });
        await audit(tx, meta, {
          action: "billing.payment_refunded",
          schoolId: p.schoolId,
          actorUserId: actor.id,
          details: {
            invoice: p.invoice.number,
            invoiceId: p.invoiceId,
            method: p.method,
            amountTiyn: input.amount,
            reference,
            ...(input.reason ? { reason: input.reason } : {}),
          },
        });
        return { outcome: "refunded" as const, refundedTiyn: input.amount };
      },
      { timeout: 30_000 },
    );
  } catch (e) {
    if (isRequestKeyClash(e)) return { outcome: "already" as const, refundedTiyn: input.amount };
    throw e;
  }
}

/**
 * A credit note against an invoice: its PDF in the school's cabinet, and the sum on the school's credit balance.
 * Against an open invoice the credit is taken off that invoice at once (paying it when that covers it); against a
 * paid one it stays on the balance for the next invoice.
 */
export async function issueCreditNote(
  db: PrismaClient,
  actor: Actor,
  meta: RequestMeta,
  input: { invoiceId: string; amount: number; reason: string; requestKey: string },
) {
  try {
    return await db.$transaction(
      async (tx) => {
        const found = await tx.invoice.findUnique({ where: { id: input.invoiceId }, select: { schoolId: true } });
        if (!found) throw new AppError("NOT_FOUND", "notFound");
        await lockSchool(tx, found.schoolId);
        const done = await tx.creditNote.findUnique({ where: { requestKey: input.requestKey } });
        if (done) return { outcome: "already" as const, number: done.number, paid: false };
        const inv = await tx.invoice.findUniqueOrThrow({ where: { id: input.invoiceId } });
        if (inv.status === "void") throw new AppError("CONFLICT", "billing.desk.invoiceVoid");
        const amount = Number(inv.amountTiyn);
        const credited = await tx.creditNote.aggregate({ where: { invoiceId: inv.id }, _sum: { amountTiyn: true } });
        const max =
          inv.status === "open"
            ? amount - Number(inv.creditTiyn) - (await invoiceReceived(tx, inv.id))
            : amount - Number(credited._sum.amountTiyn ?? 0n);
        if (input.amount > max)
          throw new AppError(
            "BAD_REQUEST",
            "billing.desk.creditTooMuch",
            { max: formatTiyn(Math.max(0, max)) },
            "amount",
          );

        const today = almatyDate(new Date());
        const number = await nextNumber(tx, "credit_note", Number(today.slice(0, 4)));
        const id = randomUUID();
        const doc = await storeDocument(tx, {
          schoolId: inv.schoolId,
          kind: "credit_note",
          number,
          fileName: `${number}.pdf`,
          content: await creditNotePdf({
            number,
            date: today,
            executor: inv.supplier as unknown as Requisites,
            customer: inv.buyer as unknown as Party,
            offer: inv.offer as { version: number; date: string },
            invoiceNumber: inv.number,
            invoiceDate: isoDay(inv.issuedOn),
            amountTiyn: input.amount,
            reason: input.reason,
            vat: inv.vatRateBp ? { rateBp: inv.vatRateBp } : null,
          }),
          titleKk: `Кредит-нота № ${number} (шот № ${inv.number})`,
          titleRu: `Кредит-нота № ${number} (счёт № ${inv.number})`,
        });
        await tx.creditNote.create({
          data: {
            id,
            requestKey: input.requestKey,
            schoolId: inv.schoolId,
            invoiceId: inv.id,
            number,
            amountTiyn: input.amount,
            reason: input.reason,
            documentId: doc.id,
            actorUserId: actor.id,
          },
        });
        const base = { schoolId: inv.schoolId, invoiceId: inv.id, creditNoteId: id };
        await addCredit(tx, { ...base, key: `credit-note:${id}`, kind: "credit_note", amountTiyn: input.amount });
        let paid = false;
        if (inv.status === "open") {
          await addCredit(tx, { ...base, key: `applied-note:${id}`, kind: "applied", amountTiyn: -input.amount });
          await tx.invoice.update({ where: { id: inv.id }, data: { creditTiyn: { increment: input.amount } } });
          if (input.amount === max) {
            await settlePaid(tx, inv.id, inv.schoolId, {
              kind: "operator",
              actorUserId: actor.id,
              reason: input.reason,
            });
            paid = true;
          }
        }
        await audit(tx, meta, {
          action: "billing.credit_note_issued",
          schoolId: inv.schoolId,
          actorUserId: actor.id,
          details: {
            invoice: inv.number,
            invoiceId: inv.id,
            creditNote: number,
            amountTiyn: input.amount,
            reason: input.reason,
          },
        });
        return { outcome: "issued" as const, number, paid };
      },
      { timeout: 30_000 },
    );
  } catch (e) {
    if (isRequestKeyClash(e)) return { outcome: "already" as const, number: null, paid: false };
    throw e;
  }
}

/** A billing document of a school's cabinet (an act, a credit note) as the operator downloads it; not a reading. */
export async function billingDocument(db: Tx, input: { id: string }): Promise<FileDownload> {
  const doc = await db.schoolDocument.findUnique({
    where: { id: input.id },
    select: { kind: true, fileName: true, contentType: true, content: true },
  });
  if (!doc || (doc.kind !== "act" && doc.kind !== "credit_note")) throw new AppError("NOT_FOUND", "notFound");
  return { fileName: doc.fileName, contentType: doc.contentType, base64: Buffer.from(doc.content).toString("base64") };
}
