// The real Stripe SDK against the local Stripe: checkout sessions, the hosted page, signed webhooks with retries,
// refunds and disputes — what the billing code relies on in dev and tests.
import http from "node:http";
import Stripe from "stripe";

import { formatTiyn } from "../../domain/i18n/index.ts";
import { createCheckoutSession, stripeClient, verifyWebhook, type CheckoutInput } from "../../server/billing/stripe.ts";
import { startStripeFake, type StripeFake } from "./index.ts";

type Received = { id: string; type: string; status: number; raw: string; signature: string | undefined };

const SECRET = "whsec_test_fake_suite";
const received: Received[] = [];
let failuresToSend = 0;
let receiver: http.Server;
let fake: StripeFake;
const savedEnv = { ...process.env };

const input = (over: Partial<CheckoutInput> = {}): CheckoutInput => ({
  invoiceId: `inv-${Math.random().toString(36).slice(2)}`,
  invoiceNumber: "AM-2025-0042",
  schoolId: "school-1",
  amountTiyn: 4_500_000,
  description: "Тариф «Стандарт», 3 ай / 3 месяца",
  customerEmail: "director@school.kz",
  locale: "kk",
  successUrl: "http://localhost:3999/billing/paid?session={CHECKOUT_SESSION_ID}",
  cancelUrl: "http://localhost:3999/billing",
  ...over,
});

const deliveriesOf = (id: string) => received.filter((r) => r.id === id);

async function paidSession() {
  const created = await createCheckoutSession(input());
  const event = await fake.complete(created.id);
  const session = event.data.object as Stripe.Checkout.Session;
  return { sessionId: created.id, paymentIntent: session.payment_intent as string, event };
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      const { id, type } = JSON.parse(raw) as { id: string; type: string };
      const status = failuresToSend > 0 ? 500 : 200;
      if (status === 500) failuresToSend--;
      received.push({ id, type, status, raw, signature: req.headers["stripe-signature"] as string | undefined });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/webhooks/stripe`;
  fake = await startStripeFake({ port: 0, webhookUrl, webhookSecret: SECRET });
  Object.assign(process.env, {
    STRIPE_API_BASE: fake.url,
    STRIPE_SECRET_KEY: "sk_test_fake_suite",
    STRIPE_WEBHOOK_SECRET: SECRET,
  });
});

afterAll(async () => {
  await fake?.close();
  receiver?.closeAllConnections();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  for (const k of ["STRIPE_API_BASE", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

describe("checkout sessions through the real SDK", () => {
  it("creates a KZT session for an invoice, pointing at the local hosted page, and reads it back", async () => {
    const data = input();
    const created = await createCheckoutSession(data);
    expect(created.id).toMatch(/^cs_test_/);
    expect(created.url).toBe(`${fake.url}/pay/${created.id}`);

    const session = await stripeClient().checkout.sessions.retrieve(created.id);
    expect(session).toMatchObject({
      id: created.id,
      object: "checkout.session",
      amount_total: 4_500_000,
      currency: "kzt",
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      client_reference_id: data.invoiceId,
      customer_email: "director@school.kz",
      locale: "ru", // Stripe Checkout has no Kazakh
      livemode: false,
      metadata: { invoiceId: data.invoiceId, invoiceNumber: "AM-2025-0042", schoolId: "school-1" },
    });
  });

  it("a double click makes one session; a changed amount makes a new one", async () => {
    const data = input();
    const first = await createCheckoutSession(data);
    const again = await createCheckoutSession(data);
    expect(again.id).toBe(first.id);
    const repriced = await createCheckoutSession({ ...data, amountTiyn: 5_000_000 });
    expect(repriced.id).not.toBe(first.id);
    expect((await stripeClient().checkout.sessions.retrieve(repriced.id)).amount_total).toBe(5_000_000);
  });

  it("refuses a non-KZT currency or a zero amount with Stripe's invalid-request error", async () => {
    const params = (currency: string, unit_amount: number): Stripe.Checkout.SessionCreateParams => ({
      mode: "payment",
      line_items: [{ price_data: { currency, unit_amount, product_data: { name: "Тариф" } }, quantity: 1 }],
      success_url: "http://localhost:3999/ok",
    });
    const usd = stripeClient().checkout.sessions.create(params("usd", 1000));
    await expect(usd).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(usd).rejects.toMatchObject({
      message: expect.stringContaining("currency"),
      param: "line_items[0][price_data][currency]",
    });
    await expect(stripeClient().checkout.sessions.create(params("kzt", 0))).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      param: "line_items[0][price_data][unit_amount]",
    });
  });

  it("an unknown session is resource_missing, and a request without a key is refused", async () => {
    await expect(stripeClient().checkout.sessions.retrieve("cs_test_nope")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "resource_missing",
      statusCode: 404,
    });
    const res = await fetch(`${fake.url}/v1/checkout/sessions/cs_test_nope`);
    expect(res.status).toBe(401);
  });
});

describe("the hosted payment page and webhooks", () => {
  it("shows the amount and a prefilled test card, and paying redirects to success_url with the session id", async () => {
    const data = input();
    const { id, url } = await createCheckoutSession(data);
    const page = await (await fetch(url)).text();
    expect(page).toContain("Test payment page (local Stripe stand-in)");
    expect(page).toContain("Оплатить / Төлеу");
    expect(page).toContain("4242 4242 4242 4242");
    expect(page).toContain(formatTiyn(4_500_000));
    expect(page).toContain(`href="${data.cancelUrl}"`);

    const pay = await fetch(url, { method: "POST", redirect: "manual" });
    expect(pay.status).toBe(303);
    expect(pay.headers.get("location")).toBe(`http://localhost:3999/billing/paid?session=${id}`);

    // The first delivery attempt is over before the customer is redirected.
    const delivered = received.find((r) => r.type === "checkout.session.completed" && r.raw.includes(id));
    expect(delivered).toBeDefined();
    const event = verifyWebhook(delivered!.raw, delivered!.signature);
    expect(event.type).toBe("checkout.session.completed");
    expect(event.data.object).toMatchObject({
      id,
      status: "complete",
      payment_status: "paid",
      amount_total: 4_500_000,
      currency: "kzt",
      client_reference_id: data.invoiceId,
      metadata: { invoiceId: data.invoiceId, invoiceNumber: "AM-2025-0042", schoolId: "school-1" },
      payment_intent: expect.stringMatching(/^pi_/),
    });
    expect((await stripeClient().checkout.sessions.retrieve(id)).payment_status).toBe("paid");
    expect(await (await fetch(url)).text()).toContain("Оплачено / Төленді");
  });

  it("rejects a webhook with a tampered body, a wrong secret or no signature", async () => {
    const { event } = await paidSession();
    const delivered = deliveriesOf(event.id)[0]!;
    expect(() => verifyWebhook(Buffer.from(delivered.raw), delivered.signature).id).not.toThrow();
    const tampered = delivered.raw.replace('"amount_total": 4500000', '"amount_total": 100');
    expect(tampered).not.toBe(delivered.raw);
    expect(() => verifyWebhook(tampered, delivered.signature)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => verifyWebhook(delivered.raw, undefined)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    process.env.STRIPE_WEBHOOK_SECRET = "whsec_someone_else";
    try {
      expect(() => verifyWebhook(delivered.raw, delivered.signature)).toThrow(
        Stripe.errors.StripeSignatureVerificationError,
      );
    } finally {
      process.env.STRIPE_WEBHOOK_SECRET = SECRET;
    }
  });

  it("a receiver answering 500 gets the same event again", async () => {
    const { id } = await createCheckoutSession(input());
    failuresToSend = 1;
    const res = await fetch(`${fake.url}/__fake/sessions/${id}/complete`, { method: "POST" });
    const event = (await res.json()) as Stripe.Event;
    await fake.settle();
    expect(deliveriesOf(event.id).map((d) => d.status)).toEqual([500, 200]);
    expect(verifyWebhook(deliveriesOf(event.id)[1]!.raw, deliveriesOf(event.id)[1]!.signature).id).toBe(event.id);
  });

  it("a receiver that keeps failing gets the first try and five retries, then no more", async () => {
    const { id } = await createCheckoutSession(input());
    failuresToSend = 100;
    try {
      const event = await fake.complete(id);
      await fake.settle();
      expect(deliveriesOf(event.id)).toHaveLength(6);
    } finally {
      failuresToSend = 0;
    }
  });

  it("resend delivers the same event id again", async () => {
    const { event } = await paidSession();
    await fake.resend(event.id);
    const copies = deliveriesOf(event.id);
    expect(copies).toHaveLength(2);
    expect(verifyWebhook(copies[1]!.raw, copies[1]!.signature).id).toBe(event.id);
  });
});

describe("refunds and disputes", () => {
  it("a partial refund through the SDK, then the rest, each send charge.refunded with the invoice metadata", async () => {
    const { paymentIntent } = await paidSession();
    const refund = await stripeClient().refunds.create({ payment_intent: paymentIntent, amount: 1_000_000 });
    expect(refund).toMatchObject({
      object: "refund",
      amount: 1_000_000,
      status: "succeeded",
      payment_intent: paymentIntent,
    });
    await fake.settle();
    const partial = verifyWebhook(received.at(-1)!.raw, received.at(-1)!.signature);
    expect(partial.type).toBe("charge.refunded");
    expect(partial.data.object).toMatchObject({
      payment_intent: paymentIntent,
      amount: 4_500_000,
      amount_refunded: 1_000_000,
      refunded: false,
      metadata: { invoiceNumber: "AM-2025-0042", schoolId: "school-1" },
    });

    const rest = await fake.refund(paymentIntent);
    expect(rest.data.object).toMatchObject({ amount_refunded: 4_500_000, refunded: true });
    expect(deliveriesOf(rest.id)).toHaveLength(1);

    await expect(stripeClient().refunds.create({ payment_intent: paymentIntent })).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "charge_already_refunded",
    });
    await expect(stripeClient().refunds.create({ payment_intent: "pi_unknown" })).rejects.toMatchObject({
      code: "resource_missing",
      statusCode: 404,
    });
  });

  it("a refund larger than what is left is refused", async () => {
    const { paymentIntent } = await paidSession();
    const res = await fetch(`${fake.url}/__fake/refund`, {
      method: "POST",
      body: JSON.stringify({ payment_intent: paymentIntent, amount: 4_500_001 }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe("amount");
  });

  it("a dispute sends charge.dispute.created for the payment", async () => {
    const { paymentIntent } = await paidSession();
    const res = await fetch(`${fake.url}/__fake/dispute`, {
      method: "POST",
      body: JSON.stringify({ payment_intent: paymentIntent }),
    });
    const event = (await res.json()) as Stripe.Event;
    const delivered = deliveriesOf(event.id);
    expect(delivered).toHaveLength(1);
    const verified = verifyWebhook(delivered[0]!.raw, delivered[0]!.signature);
    expect(verified.type).toBe("charge.dispute.created");
    expect(verified.data.object).toMatchObject({
      object: "dispute",
      payment_intent: paymentIntent,
      charge: expect.stringMatching(/^ch_/),
      amount: 4_500_000,
      reason: "fraudulent",
      status: "needs_response",
    });
    expect(fake.events.at(-1)!.id).toBe(event.id);
  });
});
