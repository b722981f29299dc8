// What a test or a developer can make happen that Stripe's API cannot: a customer pays, refunds from the
// dashboard, disputes, an event is sent again. As methods (for tests in this process) and over HTTP:
// POST /__fake/sessions/:id/complete, /__fake/refund {payment_intent, amount?}, /__fake/dispute {payment_intent},
// /__fake/events/:id/resend; GET /__fake/events. Each waits for the webhook's first delivery attempt, so tests
// can look at its effect right after.
import type http from "node:http";
import type Stripe from "stripe";

import { send } from "./api.ts";
import { completeSession, createDispute, createRefund } from "./payments.ts";
import { missing, type Json, type Store } from "./state.ts";
import type { Webhooks } from "./webhooks.ts";

export type Controls = {
  /** complete a session as if the customer paid: status "complete", payment_status "paid", creates a
   *  payment_intent id "pi_…" and charge "ch_…", sends checkout.session.completed; returns the event */
  complete(sessionId: string): Promise<Stripe.Event>;
  /** refunds the rest of the charge when amountTiyn is omitted; sends charge.refunded */
  refund(paymentIntentId: string, amountTiyn?: number): Promise<Stripe.Event>;
  /** sends charge.dispute.created */
  dispute(paymentIntentId: string): Promise<Stripe.Event>;
  /** delivers the same event (same id) again */
  resend(eventId: string): Promise<void>;
};

export function createControls(store: Store, webhooks: Webhooks): Controls {
  return {
    async complete(sessionId) {
      const event = completeSession(store, sessionId);
      await webhooks.deliver(event);
      return event;
    },
    async refund(paymentIntentId, amountTiyn) {
      const { event } = createRefund(store, paymentIntentId, amountTiyn);
      await webhooks.deliver(event);
      return event;
    },
    async dispute(paymentIntentId) {
      const event = createDispute(store, paymentIntentId);
      await webhooks.deliver(event);
      return event;
    },
    async resend(eventId) {
      const event = store.events.find((e) => e.id === eventId);
      if (!event) throw missing("event", eventId, "id");
      await webhooks.deliver(event);
    },
  };
}

/** Answers a request under /__fake/; false when it is none of the controls. */
export async function handleControl(
  store: Store,
  controls: Controls,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  body: string,
): Promise<boolean> {
  const json = () => (body ? (JSON.parse(body) as Json) : {});
  if (req.method === "GET" && path === "/__fake/events") {
    send(res, 200, store.events);
    return true;
  }
  if (req.method !== "POST") return false;
  const complete = /^\/__fake\/sessions\/([^/]+)\/complete$/.exec(path);
  if (complete) {
    send(res, 200, await controls.complete(decodeURIComponent(complete[1]!)));
    return true;
  }
  if (path === "/__fake/refund") {
    const p = json();
    const amount = p.amount === undefined || p.amount === null ? undefined : Number(p.amount);
    send(res, 200, await controls.refund(String(p.payment_intent ?? ""), amount));
    return true;
  }
  if (path === "/__fake/dispute") {
    send(res, 200, await controls.dispute(String(json().payment_intent ?? "")));
    return true;
  }
  const resend = /^\/__fake\/events\/([^/]+)\/resend$/.exec(path);
  if (resend) {
    await controls.resend(decodeURIComponent(resend[1]!));
    send(res, 200, { resent: decodeURIComponent(resend[1]!) });
    return true;
  }
  return false;
}
