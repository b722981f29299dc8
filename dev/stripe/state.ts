// What the local Stripe keeps in memory, and what its parts share: Stripe's ids, timestamps and API errors.
import { randomBytes } from "node:crypto";
import type Stripe from "stripe";

export type Json = Record<string, unknown>;

export type Session = {
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

export type Charge = {
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

export type Store = {
  /** the fake's own address, known once it listens; a session's hosted page is under it */
  url: string;
  /** by session id, with the line items' names (the page's title) and the metadata its charge will carry */
  sessions: Map<string, { session: Session; description: string; chargeMetadata: Record<string, string> }>;
  /** by payment intent id */
  charges: Map<string, Charge>;
  /** by Idempotency-Key: the request it was first used with and the answer given */
  idempotent: Map<string, { path: string; body: string; response: string }>;
  /** every event created, in order */
  events: Stripe.Event[];
};

export const createStore = (): Store => ({
  url: "",
  sessions: new Map(),
  charges: new Map(),
  idempotent: new Map(),
  events: [],
});

/** A Stripe API error: the SDK turns `{error: {type, message, param, code}}` with this status into its error class. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: { type: string; message: string; param?: string; code?: string },
  ) {
    super(error.message);
  }
}
export const invalid = (message: string, param?: string, code?: string) =>
  new StripeApiError(400, { type: "invalid_request_error", message, ...(param && { param }), ...(code && { code }) });
export const missing = (kind: string, id: string, param: string) =>
  new StripeApiError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    param,
    message: `No such ${kind}: '${id}'`,
  });

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const newId = (prefix: string) => `${prefix}_${[...randomBytes(24)].map((b) => BASE62[b % 62]).join("")}`;
export const now = () => Math.floor(Date.now() / 1000);
