// The Stripe client: Checkout Sessions for invoices (KZT, amounts in tiyn — KZT is a two-decimal currency in
// Stripe, so unit_amount = tiyn) and webhook verification. Always the real `stripe` SDK; only where it connects
// to is chosen by the environment:
//   STRIPE_SECRET_KEY      default "sk_test_avtomektep_local" (the local stand-in accepts any key)
//   STRIPE_WEBHOOK_SECRET  default "whsec_avtomektep_local" — only without a real key and outside production
//                          (server/secrets.ts; there the web and the worker refuse to start without a real one)
//   STRIPE_API_BASE        a URL (e.g. "http://127.0.0.1:2528"): the SDK talks to that server — in dev and tests
//                          the local Stripe of dev/stripe/;
//                          "" (set but empty): real Stripe (api.stripe.com);
//                          unset: real Stripe when STRIPE_SECRET_KEY is a real key, else http://127.0.0.1:2528.
// Variables are read on every call (tests change them per file); the client is cached per configuration.
import Stripe from "stripe";
import { DEV_WEBHOOK_SECRET, LOCAL_STRIPE_KEY, needsRealSecrets } from "../secrets.ts";

const LOCAL_KEY = LOCAL_STRIPE_KEY;
const LOCAL_BASE = "http://127.0.0.1:2528";

let cached: { signature: string; client: Stripe } | undefined;

/** Where the SDK connects: a base URL, or null for real Stripe. */
function apiBase(): string | null {
  const base = process.env.STRIPE_API_BASE;
  if (base === "") return null;
  if (base !== undefined) return base;
  const key = process.env.STRIPE_SECRET_KEY;
  return key && key !== LOCAL_KEY ? null : LOCAL_BASE;
}

export function stripeClient(): Stripe {
  const key = process.env.STRIPE_SECRET_KEY || LOCAL_KEY;
  const base = apiBase();
  const signature = `${key}\n${base ?? ""}`;
  if (cached?.signature === signature) return cached.client;
  let target: Stripe.StripeConfig = {};
  if (base !== null) {
    const u = new URL(base);
    const protocol = u.protocol === "https:" ? "https" : "http";
    target = { host: u.hostname, port: u.port || (protocol === "https" ? 443 : 80), protocol };
  }
  const client = new Stripe(key, { ...target, appInfo: { name: "avtomektep" }, timeout: 20_000 });
  cached = { signature, client };
  return client;
}

/**
 * The webhook signing secret. The public dev value is used only where no real money can arrive (no real key,
 * not production); there, an unset or dev secret is no secret at all: null, and every webhook is refused.
 */
export function webhookSecret(): string | null {
  const secret = process.env.STRIPE_WEBHOOK_SECRET;
  if (needsRealSecrets()) return secret && secret !== DEV_WEBHOOK_SECRET ? secret : null;
  return secret || DEV_WEBHOOK_SECRET;
}

export type CheckoutInput = {
  invoiceId: string;
  invoiceNumber: string;
  schoolId: string;
  amountTiyn: number;
  description: string;
  customerEmail: string;
  locale: "kk" | "ru";
  successUrl: string;
  cancelUrl: string;
};

/**
 * A hosted Checkout page for one invoice. Stripe Checkout has no Kazakh, so both languages get "ru".
 * The idempotency key makes a double click (or a retry) return the same session; a changed amount makes a new one.
 */
export async function createCheckoutSession(input: CheckoutInput): Promise<{ id: string; url: string }> {
  const metadata = { invoiceId: input.invoiceId, invoiceNumber: input.invoiceNumber, schoolId: input.schoolId };
  const session = await stripeClient().checkout.sessions.create(
    {
      mode: "payment",
      line_items: [
        {
          price_data: { currency: "kzt", unit_amount: input.amountTiyn, product_data: { name: input.description } },
          quantity: 1,
        },
      ],
      client_reference_id: input.invoiceId,
      metadata,
      payment_intent_data: { metadata },
      customer_email: input.customerEmail,
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      locale: "ru",
    },
    { idempotencyKey: `checkout-${input.invoiceId}-${input.amountTiyn}` },
  );
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a url`);
  return { id: session.id, url: session.url };
}

/** The event of a webhook request, after checking its Stripe-Signature (5 minutes' tolerance); throws otherwise. */
export function verifyWebhook(rawBody: Buffer | string, signature: string | undefined): Stripe.Event {
  if (!signature) {
    const payload = typeof rawBody === "string" ? rawBody : rawBody.toString("utf8");
    throw new Stripe.errors.StripeSignatureVerificationError("", payload, { message: "No Stripe-Signature header" });
  }
  const secret = webhookSecret();
  if (!secret) {
    const payload = typeof rawBody === "string" ? rawBody : rawBody.toString("utf8");
    throw new Stripe.errors.StripeSignatureVerificationError("", payload, {
      message: "STRIPE_WEBHOOK_SECRET is not configured",
    });
  }
  return stripeClient().webhooks.constructEvent(rawBody, signature, secret, 300);
}

/**
 * Refunds part or all of a card payment in Stripe. The idempotency key is the operator's form key, so a
 * repeated request returns the same refund (`replayed`: Stripe made it before, this call moved no money).
 */
export async function refundCardPayment(input: {
  paymentIntent: string;
  amountTiyn: number;
  requestKey: string;
}): Promise<{ id: string; replayed: boolean }> {
  const refund = await stripeClient().refunds.create(
    { payment_intent: input.paymentIntent, amount: input.amountTiyn },
    { idempotencyKey: `refund-${input.requestKey}` },
  );
  return { id: refund.id, replayed: refund.lastResponse?.headers["idempotent-replayed"] === "true" };
}
