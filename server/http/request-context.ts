// Every request carries an id: taken from the client's X-Request-Id when it is a sane token (a load balancer
// or another service already named the request), made up otherwise. It is returned in X-Request-Id, sits in
// every log line written while the request is handled (AsyncLocalStorage: server/log.ts reads it), and is
// shown on error pages and in the API's JSON errors, so a user can quote it to support.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";

export type RequestStore =
  | { requestId: string; job?: undefined }
  /** a background job instead of a request (jobs/bull-worker.ts) */
  | { requestId?: undefined; job: { queue: string; id: string | undefined } };

const store = new AsyncLocalStorage<RequestStore>();

/** Letters, digits and `._:-`, 8–128 characters: what load balancers and tracing systems send, nothing that breaks a log or a header. */
const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function acceptRequestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && INCOMING_ID.test(value) ? value : randomUUID();
}

/** The id of the request (or job) being handled, if any. */
export function currentRequestId(): string | undefined {
  return store.getStore()?.requestId;
}

export function currentStore(): RequestStore | undefined {
  return store.getStore();
}

/** Runs `fn` with `value` as the current request/job (log lines written inside carry it). */
export function runWithStore<T>(value: RequestStore, fn: () => T): T {
  return store.run(value, fn);
}

/**
 * Runs `fn` outside any request: for connections shared by all requests, whose later events (a lost
 * connection) would otherwise be logged under the id of the request that happened to open them.
 */
export function outsideRequest<T>(fn: () => T): T {
  return store.exit(fn);
}

/** First middleware of the web: the id, the response header, and the context for everything after it. */
export function requestContext(): RequestHandler {
  return (req, res, next) => {
    const requestId = acceptRequestId(req.headers["x-request-id"]);
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    store.run({ requestId }, next);
  };
}
