// Stripe's REST API, the part we use (form-encoded, Bearer key): POST /v1/checkout/sessions (Idempotency-Key
// honoured), GET /v1/checkout/sessions/:id, POST /v1/refunds. A refund answers first and delivers its webhook
// after, as Stripe does, so an app that refunds while holding a row lock its webhook handler needs cannot deadlock.
import type http from "node:http";
import type Stripe from "stripe";

import { createRefund, createSession, str } from "./payments.ts";
import { missing, newId, StripeApiError, type Json, type Store } from "./state.ts";
import type { Webhooks } from "./webhooks.ts";

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

/** A JSON answer as Stripe gives it, with a request id; a string body is sent as it is. */
export function send(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
  res.writeHead(status, { "content-type": "application/json", "request-id": newId("req"), ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/** Answers a request under /v1/; a StripeApiError thrown here is the caller's to send. */
export async function handleApi(
  store: Store,
  webhooks: Webhooks,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  body: string,
) {
  if (!/^Bearer \S+$/.test(req.headers.authorization ?? "")) {
    throw new StripeApiError(401, {
      type: "invalid_request_error",
      message: "You did not provide an API key. Provide it in the Authorization header (Bearer auth).",
    });
  }
  const sessionMatch = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
  if (req.method === "GET" && sessionMatch) {
    const record = store.sessions.get(decodeURIComponent(sessionMatch[1]!));
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
  const prior = typeof key === "string" ? store.idempotent.get(key) : undefined;
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
    response = JSON.stringify(createSession(store, params));
  } else {
    const { refund, event } = createRefund(store, str(params.payment_intent), params.amount);
    response = JSON.stringify(refund);
    after = event;
  }
  if (typeof key === "string") store.idempotent.set(key, { path, body, response });
  send(res, 200, response);
  if (after) void webhooks.deliver(after);
}
