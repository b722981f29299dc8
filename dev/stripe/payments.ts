// The payment objects as Stripe changes them — a checkout session is created and paid, its charge refunded or
// disputed — each change recorded as the event Stripe would send. The REST API, the hosted page and the controls
// all go through these; none of them delivers anything (webhooks.ts does).
import Stripe from "stripe";

import { invalid, missing, newId, now, type Json, type Session, type Store } from "./state.ts";

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
export const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
const positiveInt = (v: unknown) =>
  typeof v === "string" && /^\d{1,15}$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
const stringMap = (v: unknown): Record<string, string> =>
  isObject(v)
    ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"))
    : {};

/** POST /v1/checkout/sessions with the parsed form `p`: one-off KZT payments from price_data line items. */
export function createSession(store: Store, p: Json): Session {
  if (p.mode !== "payment") throw invalid('Only mode "payment" is supported by the local Stripe.', "mode");
  const items = Array.isArray(p.line_items) ? p.line_items : [];
  if (items.length === 0) throw invalid("You must provide at least one line item.", "line_items");
  let total = 0;
  const names: string[] = [];
  items.forEach((item: unknown, i) => {
    const at = `line_items[${i}]`;
    const pd = isObject(item) && isObject(item.price_data) ? item.price_data : undefined;
    if (!isObject(item) || !pd) throw invalid("Each line item needs price_data.", `${at}[price_data]`);
    if (pd.currency !== "kzt")
      throw invalid(
        `Invalid currency: ${String(pd.currency ?? "")}. This account only charges in kzt.`,
        `${at}[price_data][currency]`,
      );
    const unit = positiveInt(pd.unit_amount);
    if (unit === undefined)
      throw invalid("unit_amount must be a positive integer (in tiyn).", `${at}[price_data][unit_amount]`);
    const name = isObject(pd.product_data) ? str(pd.product_data.name) : undefined;
    if (!name) throw invalid("Missing required param: product_data[name].", `${at}[price_data][product_data][name]`);
    const quantity = item.quantity === undefined ? 1 : positiveInt(item.quantity);
    if (quantity === undefined) throw invalid("quantity must be a positive integer.", `${at}[quantity]`);
    total += unit * quantity;
    names.push(name);
  });
  if (p.currency !== undefined && p.currency !== "kzt")
    throw invalid(`Invalid currency: ${String(p.currency)}.`, "currency");
  const successUrl = str(p.success_url);
  if (!successUrl) throw invalid("Missing required param: success_url.", "success_url");
  const id = newId("cs_test");
  const created = now();
  const session: Session = {
    id,
    object: "checkout.session",
    amount_subtotal: total,
    amount_total: total,
    cancel_url: str(p.cancel_url) ?? null,
    client_reference_id: str(p.client_reference_id) ?? null,
    created,
    currency: "kzt",
    customer_details: null,
    customer_email: str(p.customer_email) ?? null,
    expires_at: created + 24 * 3600,
    livemode: false,
    locale: str(p.locale) ?? null,
    metadata: stringMap(p.metadata),
    mode: "payment",
    payment_intent: null,
    payment_method_types: ["card"],
    payment_status: "unpaid",
    status: "open",
    success_url: successUrl,
    url: `${store.url}/pay/${id}`,
  };
  const piMetadata = isObject(p.payment_intent_data) ? stringMap(p.payment_intent_data.metadata) : {};
  store.sessions.set(id, {
    session,
    description: names.join(", "),
    chargeMetadata: { ...session.metadata, ...piMetadata },
  });
  return session;
}

function createEvent(store: Store, type: string, object: object, previous?: Json): Stripe.Event {
  const event = {
    id: newId("evt"),
    object: "event",
    api_version: Stripe.API_VERSION,
    created: now(),
    data: { object: structuredClone(object), ...(previous && { previous_attributes: previous }) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  } as unknown as Stripe.Event;
  store.events.push(event);
  return event;
}

/** The customer paid: the session completes with a new payment intent and its charge; checkout.session.completed. */
export function completeSession(store: Store, sessionId: string): Stripe.Event {
  const record = store.sessions.get(sessionId);
  if (!record) throw missing("checkout.session", sessionId, "id");
  const { session } = record;
  if (session.status !== "open") throw invalid(`Checkout session ${sessionId} is already ${session.status}.`, "id");
  const paymentIntent = newId("pi");
  Object.assign(session, {
    status: "complete",
    payment_status: "paid",
    payment_intent: paymentIntent,
    customer_details: { email: session.customer_email },
    url: null, // Stripe drops the url once the session is no longer open
  });
  store.charges.set(paymentIntent, {
    id: newId("ch"),
    object: "charge",
    amount: session.amount_total,
    amount_captured: session.amount_total,
    amount_refunded: 0,
    captured: true,
    created: now(),
    currency: "kzt",
    disputed: false,
    livemode: false,
    metadata: record.chargeMetadata,
    paid: true,
    payment_intent: paymentIntent,
    receipt_email: session.customer_email,
    refunded: false,
    status: "succeeded",
  });
  return createEvent(store, "checkout.session.completed", session);
}

/** Refunds `amount` (the rest of the charge when undefined); charge.refunded. */
export function createRefund(
  store: Store,
  paymentIntent: string | undefined,
  amount: unknown,
): { refund: Json; event: Stripe.Event } {
  if (!paymentIntent) throw invalid("Missing required param: payment_intent.", "payment_intent");
  const charge = store.charges.get(paymentIntent);
  if (!charge) throw missing("payment_intent", paymentIntent, "payment_intent");
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining === 0)
    throw invalid(`Charge ${charge.id} has already been refunded.`, undefined, "charge_already_refunded");
  const refundAmount =
    amount === undefined ? remaining : positiveInt(typeof amount === "number" ? String(amount) : amount);
  if (refundAmount === undefined) throw invalid("amount must be a positive integer (in tiyn).", "amount");
  if (refundAmount > remaining)
    throw invalid(
      `Refund amount (${refundAmount}) is greater than unrefunded amount on charge (${remaining}).`,
      "amount",
    );
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += refundAmount;
  charge.refunded = charge.amount_refunded === charge.amount;
  const refund = {
    id: newId("re"),
    object: "refund",
    amount: refundAmount,
    charge: charge.id,
    created: now(),
    currency: "kzt",
    metadata: {},
    payment_intent: paymentIntent,
    reason: null,
    status: "succeeded",
  };
  return { refund, event: createEvent(store, "charge.refunded", charge, previous) };
}

/** The cardholder disputes the payment; charge.dispute.created. */
export function createDispute(store: Store, paymentIntent: string | undefined): Stripe.Event {
  const charge = paymentIntent ? store.charges.get(paymentIntent) : undefined;
  if (!paymentIntent || !charge) throw missing("payment_intent", paymentIntent ?? "", "payment_intent");
  charge.disputed = true;
  return createEvent(store, "charge.dispute.created", {
    id: newId("dp"),
    object: "dispute",
    amount: charge.amount - charge.amount_refunded,
    charge: charge.id,
    created: now(),
    currency: "kzt",
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: paymentIntent,
    reason: "fraudulent",
    status: "needs_response",
  });
}
