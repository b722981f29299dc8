// The local Stripe for dev and tests (this machine has no internet): an HTTP server speaking the subset of
// Stripe's API we use, so the real `stripe` SDK talks to it unchanged (STRIPE_API_BASE, see stripe.ts).
//   API (form-encoded, Bearer key): POST /v1/checkout/sessions (Idempotency-Key honoured),
//     GET /v1/checkout/sessions/:id, POST /v1/refunds.
//   Hosted checkout stand-in: GET /pay/:id (a page), POST /pay/:id (pays, 303 to success_url).
//   Test/dev controls: POST /__fake/sessions/:id/complete, /__fake/refund {payment_intent, amount?},
//     /__fake/dispute {payment_intent}, /__fake/events/:id/resend; GET /__fake/events.
// Webhooks are signed and retried as Stripe does (Stripe-Signature: t=…,v1=HMAC-SHA256("t.body")), up to 5
// retries with 100 ms × 2ⁿ backoff. Completing, disputing and refunding through the fake's own controls wait for
// the first delivery attempt (deterministic tests); POST /v1/refunds answers first and delivers after, as Stripe
// does, so an app that refunds while holding a row lock its webhook handler needs cannot deadlock — call settle().
import { createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import Stripe from "stripe";

import { formatTiyn } from "../../app/i18n/index.ts";
import { logger } from "../../server/log.ts";

export type StripeFake = {
  url: string;
  close(): Promise<void>;
  /** complete a session as if the customer paid: status "complete", payment_status "paid", creates a
   *  payment_intent id "pi_…" and charge "ch_…", sends checkout.session.completed; returns the event */
  complete(sessionId: string): Promise<Stripe.Event>;
  /** refunds the rest of the charge when amountTiyn is omitted; sends charge.refunded */
  refund(paymentIntentId: string, amountTiyn?: number): Promise<Stripe.Event>;
  /** sends charge.dispute.created */
  dispute(paymentIntentId: string): Promise<Stripe.Event>;
  /** delivers the same event (same id) again */
  resend(eventId: string): Promise<void>;
  /** resolves when no webhook delivery (first attempts and retries) is in flight */
  settle(): Promise<void>;
  /** every event created, in order */
  events: Stripe.Event[];
};

type Json = Record<string, unknown>;
type Session = {
  id: string;
  object: "checkout.session";
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string | null;
  client_reference_id: string | null;
  created: number;
  currency: "kzt";
  customer_details: { email: string | null } | null;
  customer_email: string | null;
  expires_at: number;
  livemode: false;
  locale: string | null;
  metadata: Record<string, string>;
  mode: "payment";
  payment_intent: string | null;
  payment_method_types: string[];
  payment_status: "unpaid" | "paid";
  status: "open" | "complete";
  success_url: string;
  url: string | null;
};
type Charge = {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: true;
  created: number;
  currency: "kzt";
  disputed: boolean;
  livemode: false;
  metadata: Record<string, string>;
  paid: true;
  payment_intent: string;
  receipt_email: string | null;
  refunded: boolean;
  status: "succeeded";
};

/** A Stripe API error: the SDK turns `{error: {type, message, param, code}}` with this status into its error class. */
class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: { type: string; message: string; param?: string; code?: string },
  ) {
    super(error.message);
  }
}
const invalid = (message: string, param?: string, code?: string) =>
  new StripeApiError(400, { type: "invalid_request_error", message, ...(param && { param }), ...(code && { code }) });
const missing = (kind: string, id: string, param: string) =>
  new StripeApiError(404, { type: "invalid_request_error", code: "resource_missing", param, message: `No such ${kind}: '${id}'` });

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const newId = (prefix: string) => `${prefix}_${[...randomBytes(24)].map((b) => BASE62[b % 62]).join("")}`;
const now = () => Math.floor(Date.now() / 1000);

/** Parses a form body as the SDK encodes it (`a[b][0][c]=v`) into nested objects and arrays. */
export function parseForm(body: string): Json {
  const root: Json = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!m) continue;
    const path = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
    if (path.some((p) => p === "__proto__" || p === "constructor" || p === "prototype")) continue;
    let node = root as Record<string, unknown>;
    path.forEach((seg, i) => {
      const k = seg === "" && Array.isArray(node) ? String(node.length) : seg;
      if (i === path.length - 1) {
        node[k] = value;
        return;
      }
      if (typeof node[k] !== "object" || node[k] === null) node[k] = /^\d*$/.test(path[i + 1]!) ? [] : {};
      node = node[k] as Record<string, unknown>;
    });
  }
  return root;
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
const positiveInt = (v: unknown) => (typeof v === "string" && /^\d{1,15}$/.test(v) && Number(v) > 0 ? Number(v) : undefined);
const stringMap = (v: unknown): Record<string, string> =>
  isObject(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string")) : {};
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export async function startStripeFake(opts: {
  port: number;
  host?: string;
  webhookUrl: string | null;
  webhookSecret: string;
}): Promise<StripeFake> {
  const host = opts.host ?? "127.0.0.1";
  const sessions = new Map<string, { session: Session; description: string; chargeMetadata: Record<string, string> }>();
  const charges = new Map<string, Charge>(); // by payment intent id
  const idempotent = new Map<string, { path: string; body: string; response: string }>();
  const events: Stripe.Event[] = [];
  const deliveries = new Set<Promise<void>>();
  const sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  let closed = false;
  let url = "";

  // ---- domain ----

  function createSession(p: Json): Session {
    if (p.mode !== "payment") throw invalid("Only mode \"payment\" is supported by the local Stripe.", "mode");
    const items = Array.isArray(p.line_items) ? p.line_items : [];
    if (items.length === 0) throw invalid("You must provide at least one line item.", "line_items");
    let total = 0;
    const names: string[] = [];
    items.forEach((item: unknown, i) => {
      const at = `line_items[${i}]`;
      const pd = isObject(item) && isObject(item.price_data) ? item.price_data : undefined;
      if (!isObject(item) || !pd) throw invalid("Each line item needs price_data.", `${at}[price_data]`);
      if (pd.currency !== "kzt")
        throw invalid(`Invalid currency: ${String(pd.currency ?? "")}. This account only charges in kzt.`, `${at}[price_data][currency]`);
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
    if (p.currency !== undefined && p.currency !== "kzt") throw invalid(`Invalid currency: ${String(p.currency)}.`, "currency");
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
      url: `${url}/pay/${id}`,
    };
    const piMetadata = isObject(p.payment_intent_data) ? stringMap(p.payment_intent_data.metadata) : {};
    sessions.set(id, { session, description: names.join(", "), chargeMetadata: { ...session.metadata, ...piMetadata } });
    return session;
  }

  function createEvent(type: string, object: object, previous?: Json): Stripe.Event {
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
    events.push(event);
    return event;
  }

  function completeSession(sessionId: string): Stripe.Event {
    const record = sessions.get(sessionId);
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
    charges.set(paymentIntent, {
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
    return createEvent("checkout.session.completed", session);
  }

  function createRefund(paymentIntent: string | undefined, amount: unknown): { refund: Json; event: Stripe.Event } {
    if (!paymentIntent) throw invalid("Missing required param: payment_intent.", "payment_intent");
    const charge = charges.get(paymentIntent);
    if (!charge) throw missing("payment_intent", paymentIntent, "payment_intent");
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining === 0)
      throw invalid(`Charge ${charge.id} has already been refunded.`, undefined, "charge_already_refunded");
    const refundAmount = amount === undefined ? remaining : positiveInt(typeof amount === "number" ? String(amount) : amount);
    if (refundAmount === undefined) throw invalid("amount must be a positive integer (in tiyn).", "amount");
    if (refundAmount > remaining)
      throw invalid(`Refund amount (${refundAmount}) is greater than unrefunded amount on charge (${remaining}).`, "amount");
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
    return { refund, event: createEvent("charge.refunded", charge, previous) };
  }

  function createDispute(paymentIntent: string | undefined): Stripe.Event {
    const charge = paymentIntent ? charges.get(paymentIntent) : undefined;
    if (!paymentIntent || !charge) throw missing("payment_intent", paymentIntent ?? "", "payment_intent");
    charge.disputed = true;
    return createEvent("charge.dispute.created", {
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

  // ---- webhooks ----

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => wake(), ms), wake: () => wake() };
      const wake = () => {
        clearTimeout(entry.timer);
        sleepers.delete(entry);
        resolve();
      };
      sleepers.add(entry);
    });

  async function attempt(event: Stripe.Event): Promise<boolean> {
    const body = JSON.stringify(event, null, 2);
    const t = now();
    const v1 = createHmac("sha256", opts.webhookSecret).update(`${t}.${body}`).digest("hex");
    try {
      const res = await fetch(opts.webhookUrl!, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": `t=${t},v1=${v1}`,
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Delivers with retries in the background; the returned promise settles after the first attempt. */
  function deliver(event: Stripe.Event): Promise<void> {
    if (!opts.webhookUrl || closed) return Promise.resolve();
    let firstDone = () => {};
    const first = new Promise<void>((resolve) => (firstDone = resolve));
    const all = (async () => {
      for (let n = 0; n <= 5; n++) {
        if (n > 0) await sleep(100 * 2 ** (n - 1));
        if (closed) break;
        const ok = await attempt(event);
        firstDone();
        if (ok) return;
      }
      firstDone();
      if (!closed) logger.warn({ eventId: event.id, type: event.type }, "local Stripe gave up delivering a webhook");
    })();
    deliveries.add(all);
    void all.finally(() => deliveries.delete(all));
    return first;
  }

  const fake = {
    events,
    async complete(sessionId: string) {
      const event = completeSession(sessionId);
      await deliver(event);
      return event;
    },
    async refund(paymentIntentId: string, amountTiyn?: number) {
      const { event } = createRefund(paymentIntentId, amountTiyn);
      await deliver(event);
      return event;
    },
    async dispute(paymentIntentId: string) {
      const event = createDispute(paymentIntentId);
      await deliver(event);
      return event;
    },
    async resend(eventId: string) {
      const event = events.find((e) => e.id === eventId);
      if (!event) throw missing("event", eventId, "id");
      await deliver(event);
    },
    async settle() {
      while (deliveries.size > 0) await Promise.all([...deliveries]);
    },
    async close() {
      closed = true;
      for (const s of [...sleepers]) s.wake();
      await fake.settle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  // ---- HTTP ----

  function send(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
    res.writeHead(status, { "content-type": "application/json", "request-id": newId("req"), ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: string) {
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? "")) {
      throw new StripeApiError(401, {
        type: "invalid_request_error",
        message: "You did not provide an API key. Provide it in the Authorization header (Bearer auth).",
      });
    }
    const sessionMatch = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (req.method === "GET" && sessionMatch) {
      const record = sessions.get(decodeURIComponent(sessionMatch[1]!));
      if (!record) throw missing("checkout.session", decodeURIComponent(sessionMatch[1]!), "id");
      return send(res, 200, record.session);
    }
    if (req.method !== "POST" || (path !== "/v1/checkout/sessions" && path !== "/v1/refunds")) {
      throw new StripeApiError(404, {
        type: "invalid_request_error",
        message: `Unrecognized request URL (${req.method}: ${path}). The local Stripe only knows the endpoints we use.`,
      });
    }
    const key = req.headers["idempotency-key"];
    const prior = typeof key === "string" ? idempotent.get(key) : undefined;
    if (prior) {
      if (prior.path !== path || prior.body !== body) {
        throw new StripeApiError(400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${String(key)}' if you meant to execute a different request.`,
        });
      }
      return send(res, 200, prior.response, { "idempotent-replayed": "true" });
    }
    const params = parseForm(body);
    let response: string;
    let after: Stripe.Event | undefined;
    if (path === "/v1/checkout/sessions") {
      response = JSON.stringify(createSession(params));
    } else {
      const { refund, event } = createRefund(str(params.payment_intent), params.amount);
      response = JSON.stringify(refund);
      after = event;
    }
    if (typeof key === "string") idempotent.set(key, { path, body, response });
    send(res, 200, response);
    if (after) void deliver(after);
  }

  function payPage(res: http.ServerResponse, id: string) {
    const record = sessions.get(id);
    res.setHeader("content-type", "text/html; charset=utf-8");
    if (!record) {
      res.writeHead(404).end("<!doctype html><meta charset=utf-8><p>Сессия оплаты не найдена / Төлем сессиясы табылмады</p>");
      return;
    }
    const { session, description } = record;
    const e = escapeHtml;
    const back = session.cancel_url ? `<p><a href="${e(session.cancel_url)}">← Назад / Артқа</a></p>` : "";
    const successUrl = session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id);
    const body =
      session.status === "open"
        ? `<form method="post" action="/pay/${e(id)}">
  <label>Email <input name="email" value="${e(session.customer_email ?? "")}" readonly></label>
  <label>Номер карты / Карта нөмірі <input name="card" value="4242 4242 4242 4242" inputmode="numeric"></label>
  <label>Срок действия / Жарамдылық мерзімі <input name="exp" value="12 / 34"></label>
  <label>CVC <input name="cvc" value="123"></label>
  <button type="submit">Оплатить / Төлеу</button>
</form>${back}`
        : `<p><strong>Оплачено / Төленді</strong></p><p><a href="${e(successUrl)}">Вернуться на сайт / Сайтқа оралу</a></p>`;
    res.writeHead(200).end(`<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Оплата / Төлем — ${e(description)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}
.note{background:#fff3cd;border:1px solid #e0c36c;padding:.5rem .75rem;border-radius:6px}
label{display:block;margin:.6rem 0}input{display:block;width:100%;padding:.4rem;box-sizing:border-box}
button{margin-top:1rem;width:100%;padding:.7rem;font-size:1rem;background:#635bff;color:#fff;border:0;border-radius:6px}</style>
</head><body>
<p class="note">Test payment page (local Stripe stand-in) — Тестовая страница оплаты / Сынақ төлем беті</p>
<h1>${e(description)}</h1>
<p>Сумма / Сомасы: <strong class="amount">${e(formatTiyn(session.amount_total))}</strong></p>
${body}
</body></html>`);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const json = () => (body ? (JSON.parse(body) as Json) : {});
    try {
      if (path.startsWith("/v1/")) return await api(req, res, path, body);

      const pay = /^\/pay\/([^/]+)$/.exec(path);
      if (pay && req.method === "GET") return payPage(res, decodeURIComponent(pay[1]!));
      if (pay && req.method === "POST") {
        const record = sessions.get(decodeURIComponent(pay[1]!));
        if (!record) return payPage(res, decodeURIComponent(pay[1]!));
        if (record.session.status === "open") await fake.complete(record.session.id); // a second click only redirects
        const location = record.session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", record.session.id);
        return res.writeHead(303, { location }).end();
      }

      if (req.method === "GET" && path === "/__fake/events") return send(res, 200, events);
      if (req.method === "POST") {
        const complete = /^\/__fake\/sessions\/([^/]+)\/complete$/.exec(path);
        if (complete) return send(res, 200, await fake.complete(decodeURIComponent(complete[1]!)));
        if (path === "/__fake/refund") {
          const p = json();
          const amount = p.amount === undefined || p.amount === null ? undefined : Number(p.amount);
          return send(res, 200, await fake.refund(String(p.payment_intent ?? ""), amount));
        }
        if (path === "/__fake/dispute") return send(res, 200, await fake.dispute(String(json().payment_intent ?? "")));
        const resend = /^\/__fake\/events\/([^/]+)\/resend$/.exec(path);
        if (resend) {
          await fake.resend(decodeURIComponent(resend[1]!));
          return send(res, 200, { resent: decodeURIComponent(resend[1]!) });
        }
      }
      send(res, 404, { error: { type: "invalid_request_error", message: `Unknown path ${req.method} ${path}` } });
    } catch (err) {
      if (err instanceof StripeApiError) return send(res, err.status, { error: err.error });
      if (err instanceof SyntaxError) return send(res, 400, { error: { type: "invalid_request_error", message: "Invalid JSON" } });
      throw err;
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, "local Stripe failed a request");
      if (!res.headersSent) send(res, 500, { error: { type: "api_error", message: "Local Stripe failed" } });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return Object.assign(fake, { url });
}
