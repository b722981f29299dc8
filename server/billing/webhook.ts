// Stripe's webhook: verified by signature, stored by event id, applied once. A redelivery finds the event
// stored and changes nothing; a refund or dispute that arrives before its payment waits, stored, and is
// applied right after that payment is.
import type Stripe from "stripe";
import { operatorDb, type Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { logger } from "../log.ts";
import { applyPayment, applyRefund, lockSchool } from "./ledger.ts";
import { notifyOperator } from "./notices.ts";
import { verifyWebhook } from "./stripe.ts";

const HANDLED = new Set([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "charge.refunded",
  "charge.dispute.created",
]);

type Outcome = { status: number; outcome: string };

function paymentIntentOf(event: Stripe.Event): string | null {
  const o = event.data.object as { payment_intent?: string | { id: string } | null };
  const pi = o.payment_intent;
  return typeof pi === "string" ? pi : (pi?.id ?? null);
}

/** The HTTP side: raw body and signature in, status out (400 for a bad signature — Stripe shows it). */
export async function handleStripeWebhook(rawBody: Buffer, signature: string | undefined): Promise<Outcome> {
  let event: Stripe.Event;
  try {
    event = verifyWebhook(rawBody, signature);
  } catch (err) {
    logger.warn(
      { reason: String((err as Error).message).split("\n")[0] },
      "stripe webhook with a bad signature refused",
    );
    return { status: 400, outcome: "bad signature" };
  }
  return { status: 200, outcome: await receiveEvent(event) };
}

export async function receiveEvent(event: Stripe.Event): Promise<string> {
  if (!HANDLED.has(event.type)) return "ignored";
  const pi = paymentIntentOf(event);
  // A burst of deliveries queues for the pool behind those waiting on the lock: wait for a connection longer
  // than Prisma's default 2 s rather than answer 500 and have Stripe send them all again.
  return operatorDb().$transaction(
    async (tx) => {
      // One payment's events are applied one at a time: a refund racing its payment either sees the payment
      // committed, or is stored before the payment's transaction looks for waiting events — never neither.
      if (pi) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`stripe:${pi}`}, 0))`;
      const inserted = await tx.stripeEvent.createMany({
        data: [
          { id: event.id, type: event.type, paymentIntent: pi, payload: event as unknown as Prisma.InputJsonValue },
        ],
        skipDuplicates: true,
      });
      if (inserted.count === 0) return "duplicate";
      const outcome = await applyEvent(tx, event);
      if (outcome !== "waiting")
        await tx.stripeEvent.update({ where: { id: event.id }, data: { appliedAt: new Date(), outcome } });
      return outcome;
    },
    { timeout: 30_000, maxWait: 15_000 },
  );
}

async function applyEvent(tx: Tx, event: Stripe.Event): Promise<string> {
  const pi = paymentIntentOf(event);
  if (event.type === "checkout.session.completed" || event.type === "checkout.session.async_payment_succeeded") {
    const session = event.data.object as Stripe.Checkout.Session;
    if (session.payment_status !== "paid") return "not paid yet";
    const invoiceId = session.metadata?.invoiceId ?? session.client_reference_id;
    if (!invoiceId || !pi || session.currency !== "kzt" || !session.amount_total) return "not ours";
    const invoice = await tx.invoice.findUnique({ where: { id: invoiceId }, select: { id: true } });
    if (!invoice) return "unknown invoice";
    const r = await applyPayment(tx, {
      invoiceId,
      method: "card",
      externalRef: pi,
      amountTiyn: session.amount_total,
      receivedOn: almatyDate(new Date(event.created * 1000)),
      payerName: session.customer_details?.name ?? null,
      note: `Stripe ${session.id}`,
    });
    await applyWaiting(tx, pi);
    return r.outcome;
  }
  if (!pi) return "no payment intent";
  const payment = await tx.payment.findUnique({
    where: { method_externalRef: { method: "card", externalRef: pi } },
    select: { id: true, schoolId: true, invoice: { select: { number: true } } },
  });
  if (!payment) return "waiting";
  if (event.type === "charge.refunded") {
    const charge = event.data.object as Stripe.Charge;
    return applyRefund(tx, payment.id, charge.amount_refunded);
  }
  // charge.dispute.created: the money may be taken back; the operator answers it in Stripe.
  await lockSchool(tx, payment.schoolId);
  await tx.payment.update({ where: { id: payment.id }, data: { disputedAt: new Date() } });
  await notifyOperator(tx, `dispute-${event.id}`, "operatorDispute", {
    number: payment.invoice.number,
    schoolId: payment.schoolId,
  });
  return "disputed";
}

/** Events that came before their payment, applied now in the order Stripe created them. */
async function applyWaiting(tx: Tx, paymentIntent: string): Promise<void> {
  const waiting = await tx.stripeEvent.findMany({
    where: { paymentIntent, appliedAt: null },
    orderBy: { receivedAt: "asc" },
  });
  for (const row of waiting) {
    const event = row.payload as unknown as Stripe.Event;
    if (event.type.startsWith("checkout.")) continue;
    const outcome = await applyEvent(tx, event);
    await tx.stripeEvent.update({ where: { id: row.id }, data: { appliedAt: new Date(), outcome } });
  }
}
