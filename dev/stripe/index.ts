// The local Stripe for dev and tests (this machine has no internet): an HTTP server speaking the subset of
// Stripe's API we use, so the real `stripe` SDK talks to it unchanged (STRIPE_API_BASE, see server/billing/stripe.ts).
//   API (form-encoded, Bearer key): POST /v1/checkout/sessions (Idempotency-Key honoured),
//     GET /v1/checkout/sessions/:id, POST /v1/refunds — api.ts.
//   Hosted checkout stand-in: GET /pay/:id (a page), POST /pay/:id (pays, 303 to success_url) — pages.ts.
//   Test/dev controls: POST /__fake/sessions/:id/complete, /__fake/refund {payment_intent, amount?},
//     /__fake/dispute {payment_intent}, /__fake/events/:id/resend; GET /__fake/events — controls.ts.
// Webhooks are signed and retried as Stripe does (webhooks.ts). Completing, disputing and refunding through the
// fake's own controls wait for the first delivery attempt (deterministic tests); POST /v1/refunds answers first
// and delivers after, as Stripe does, so an app that refunds while holding a row lock its webhook handler needs
// cannot deadlock — call settle().
import http from "node:http";
import type Stripe from "stripe";

import { logger } from "../../server/log.ts";
import { handleApi, send } from "./api.ts";
import { createControls, handleControl, type Controls } from "./controls.ts";
import { handlePage } from "./pages.ts";
import { createStore, StripeApiError, type Store } from "./state.ts";
import { createWebhooks, type Webhooks } from "./webhooks.ts";

export type StripeFake = Controls & {
  url: string;
  close(): Promise<void>;
  /** resolves when no webhook delivery (first attempts and retries) is in flight */
  settle(): Promise<void>;
  /** every event created, in order */
  events: Stripe.Event[];
};

export async function startStripeFake(opts: {
  port: number;
  host?: string;
  webhookUrl: string | null;
  webhookSecret: string;
}): Promise<StripeFake> {
  const host = opts.host ?? "127.0.0.1";
  const store = createStore();
  const webhooks = createWebhooks(opts);
  const controls = createControls(store, webhooks);
  const server = http.createServer((req, res) => {
    handle({ store, webhooks, controls }, req, res).catch((err: unknown) => {
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
  store.url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    ...controls,
    url: store.url,
    events: store.events,
    settle: webhooks.settle,
    async close() {
      webhooks.stop();
      await webhooks.settle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(
  { store, webhooks, controls }: { store: Store; webhooks: Webhooks; controls: Controls },
  req: http.IncomingMessage,
  res: http.ServerResponse,
) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  const path = new URL(req.url ?? "/", "http://x").pathname;
  try {
    if (path.startsWith("/v1/")) return await handleApi(store, webhooks, req, res, path, body);
    if (await handlePage(store, controls, req, res, path)) return;
    if (await handleControl(store, controls, req, res, path, body)) return;
    send(res, 404, { error: { type: "invalid_request_error", message: `Unknown path ${req.method} ${path}` } });
  } catch (err) {
    if (err instanceof StripeApiError) return send(res, err.status, { error: err.error });
    if (err instanceof SyntaxError)
      return send(res, 400, { error: { type: "invalid_request_error", message: "Invalid JSON" } });
    throw err;
  }
}
