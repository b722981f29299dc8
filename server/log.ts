import pino from "pino";
import { currentStore } from "./http/request-context.ts";

/** Which process this is: web, worker, seed… (`npm start` and the tests set AM_SERVICE; the worker sets it at start). */
export function serviceName(): string {
  return process.env.AM_SERVICE ?? "web";
}

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: {},
  // Read per line, not once: the worker names itself after its imports have built this logger. Inside a
  // request every line carries its id (server/http/request-context.ts), inside a job its queue and id.
  mixin() {
    const s = currentStore();
    if (!s) return { service: serviceName() };
    return s.job
      ? { service: serviceName(), queue: s.job.queue, jobId: s.job.id }
      : { service: serviceName(), reqId: s.requestId };
  },
});
