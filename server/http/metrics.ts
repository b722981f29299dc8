// Prometheus metrics (prom-client), one registry per process: the web serves it at /metrics, the worker on
// METRICS_PORT (server/http/ops.ts). What an operator watches (docs/decisions/022):
//   am_http_request_duration_seconds{method,route,status}  route is a template: the Remix route id, the tRPC
//                                                          procedure, "static"… never the raw URL
//   am_trpc_procedure_duration_seconds{procedure,type,code} every procedure call, in-process (loaders) or HTTP
//   am_db_pool_connections{pool,state}, am_db_pool_waiting_clients{pool}, am_db_pool_max{pool}
//   am_queue_jobs{queue,state}, am_queue_metrics_ok            read from Redis at most every METRICS_CACHE_MS
//   am_outbox_pending_events, am_outbox_oldest_pending_age_seconds   the same, from PostgreSQL
//   am_job_duration_seconds{queue,outcome}                  the worker's jobs (jobs/instrument.ts)
// plus prom-client's process and Node.js defaults (./registry.ts).
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import type { Queue } from "bullmq";
import client from "prom-client";
import { matchRoutes, type AgnosticRouteObject as RouteObject } from "@remix-run/router";
import type { ServerBuild } from "@remix-run/node";
import { config } from "../config.ts";
import { livePools } from "../db/pools.ts";
import { operatorDb } from "../db/client.ts";
import { registry } from "./registry.ts";
import { clusterMetrics, isWebWorker } from "./cluster.ts";
import { outsideRequest } from "./request-context.ts";
import { logger } from "../log.ts";
import { openQueues } from "../queues.ts";
import { type QueueName, QUEUES } from "../../domain/queues.ts";

export { registry };

// ---------------------------------------------------------------------------------------------
// HTTP requests and procedure calls

/** A duration histogram in seconds, from 5 ms to 30 s: the same buckets for requests and procedure calls. */
function durationHistogram<L extends string>(name: string, help: string, labelNames: readonly L[]) {
  return new client.Histogram({
    name,
    help,
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
}

const httpDuration = durationHistogram(
  "am_http_request_duration_seconds",
  "HTTP requests by method, route template and status class",
  ["method", "route", "status"],
);

const procedureDuration = durationHistogram(
  "am_trpc_procedure_duration_seconds",
  "tRPC procedure calls (from the browser or a page's loader) by procedure, type and result code",
  ["procedure", "type", "code"],
);

/** Called by every procedure (server/trpc.ts): `code` is "OK" or the tRPC error code, a closed set. */
export function observeProcedure(procedure: string, type: string, code: string, seconds: number): void {
  procedureDuration.observe({ procedure, type, code }, seconds);
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

type RouteLabeler = (path: string, status: number) => string;

/**
 * The route template of a request path, with a bounded set of values: the Remix route id (a page, its
 * `.data` request and a resource route alike), `trpc:<procedure>` for a known procedure, `trpc:(batch)` for
 * several, `static` for files, `(unmatched)` for anything else that failed.
 */
export function routeLabeler(build: Pick<ServerBuild, "routes">, procedures: ReadonlySet<string>): RouteLabeler {
  const children = new Map<string, RouteObject[]>();
  for (const r of Object.values(build.routes)) {
    if (!r) continue;
    const list = children.get(r.parentId ?? "") ?? [];
    list.push({ id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive } as RouteObject);
    children.set(r.parentId ?? "", list);
  }
  const tree = (parent: string): RouteObject[] =>
    (children.get(parent) ?? []).map((r) => (r.index ? r : { ...r, children: tree(r.id!) }) as RouteObject);
  const routes = tree("");
  // matchRoutes ranks every route on each call (~0.1 ms): remember answers, with what varies in a path folded
  // together — UUIDs, and the school of /s/<school>/… and /t/<school>/… (a dynamic segment in every such route).
  const cache = new Map<string, string | null>();
  const remixRoute = (path: string): string | null => {
    const key = path
      .replace(/^\/([st])\/[^/]+/, "/$1/~")
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "~");
    let id: string | null | undefined = cache.get(key);
    if (id === undefined) {
      id = matchRoutes(routes, path)?.at(-1)?.route.id ?? null;
      if (cache.size >= 2_000) cache.delete(cache.keys().next().value!);
      cache.set(key, id);
    }
    return id;
  };
  return (path, status) => {
    if (path === "/healthz" || path === "/readyz" || path === "/metrics" || path === "/webhooks/stripe") return path;
    if (path.startsWith("/api/trpc")) {
      const names = path.slice("/api/trpc/".length).split(",");
      if (names.length > 1) return "trpc:(batch)";
      return procedures.has(names[0]!) ? `trpc:${names[0]}` : "trpc:(unknown)";
    }
    if (path.startsWith("/build/")) return "static";
    // Never the path itself: it may end with the payee's secret.
    if (path.startsWith("/pay/kaspi/")) return "/pay/kaspi/:payee";
    if (path === "/__manifest") return "remix:manifest";
    const page = path === "/_root.data" ? "/" : path.endsWith(".data") ? path.slice(0, -".data".length) : path;
    return remixRoute(page) ?? (status < 400 ? "static" : "(unmatched)");
  };
}

/** Times every request; recorded when the response is finished (or the client went away: `aborted`). */
export function httpMetrics(label: RouteLabeler): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const path = req.originalUrl.split("?", 1)[0]!;
    res.once("close", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished ? `${Math.floor(res.statusCode / 100)}xx` : "aborted";
      const method = METHODS.has(req.method) ? req.method : "other";
      httpDuration.observe({ method, route: label(path, res.statusCode), status }, seconds);
    });
    next();
  };
}

// ---------------------------------------------------------------------------------------------
// Database pools: read from node-postgres at scrape time

new client.Gauge({
  name: "am_db_pool_connections",
  help: "Connections of each database pool of this process (app, operator, reports), open in total and idle",
  labelNames: ["pool", "state"] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [pool, p] of livePools()) {
      this.set({ pool, state: "total" }, p.totalCount);
      this.set({ pool, state: "idle" }, p.idleCount);
    }
  },
});

new client.Gauge({
  name: "am_db_pool_waiting_clients",
  help: "Queries waiting for a free connection of the pool",
  labelNames: ["pool"] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [pool, p] of livePools()) this.set({ pool }, p.waitingCount);
  },
});

new client.Gauge({
  name: "am_db_pool_max",
  help: "The pool's size (DB_POOL_SIZE)",
  labelNames: ["pool"] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [pool, p] of livePools()) this.set({ pool }, p.options.max ?? 10);
  },
});

// ---------------------------------------------------------------------------------------------
// Queue depths and the outbox: read on scrape, cached, bounded in time

/** One read at a time, reused for METRICS_CACHE_MS; a read slower than `timeoutMs` counts as failed. */
function cachedRead<T>(read: () => Promise<T>, timeoutMs = 2_000): () => Promise<T | null> {
  let last: { at: number; value: T | null } | undefined;
  let inFlight: Promise<T | null> | undefined;
  return () => {
    if (last && Date.now() - last.at < config().METRICS_CACHE_MS) return Promise.resolve(last.value);
    inFlight ??= new Promise<T | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      read().then(
        (v) => (clearTimeout(timer), resolve(v)),
        (err: unknown) => (clearTimeout(timer), logger.warn({ err }, "metrics: read failed"), resolve(null)),
      );
    }).then((value) => {
      last = { at: Date.now(), value };
      inFlight = undefined;
      return value;
    });
    return inFlight;
  };
}

let queues: Record<QueueName, Queue> | undefined;
const QUEUE_STATES = ["waiting", "prioritized", "waiting-children", "active", "delayed", "failed"] as const;

const queueDepths = cachedRead(async () => {
  queues ??= outsideRequest(openQueues);
  const q = queues;
  return Promise.all(QUEUES.map(async (name) => ({ name, counts: await q[name].getJobCounts(...QUEUE_STATES) })));
});

/** For shutdown and tests: closes the connection the queue gauges read through. */
export async function closeMetricsQueues(): Promise<void> {
  const q = queues;
  queues = undefined;
  if (q) await Promise.all(Object.values(q).map((x) => x.close()));
}

// Each gauge awaits the same cached read in its own collect: the registry collects them concurrently.
// Several web processes (./cluster.ts) each read the same queues and outbox: their figures are not added up.
new client.Gauge({
  name: "am_queue_metrics_ok",
  help: "1 when the last read of the queue depths from Redis succeeded, 0 when Redis did not answer in time",
  registers: [registry],
  aggregator: "min",
  async collect() {
    this.set((await queueDepths()) ? 1 : 0);
  },
});

new client.Gauge({
  name: "am_queue_jobs",
  aggregator: "max",
  help: "Jobs in each BullMQ queue by state (failed: failed for good, kept 30 days)",
  labelNames: ["queue", "state"] as const,
  registers: [registry],
  async collect() {
    const depths = await queueDepths();
    this.reset();
    for (const { name, counts } of depths ?? []) {
      for (const state of QUEUE_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
    }
  },
});

const outboxLag = cachedRead(async () => {
  const [row] = await operatorDb().$queryRaw<{ pending: number; oldest: number | null }[]>`
    SELECT count(*)::int AS pending,
           EXTRACT(EPOCH FROM now() - (SELECT created_at FROM outbox_event WHERE dispatched_at IS NULL ORDER BY id LIMIT 1))::float8 AS oldest
      FROM outbox_event WHERE dispatched_at IS NULL`;
  return row!;
});

new client.Gauge({
  name: "am_outbox_oldest_pending_age_seconds",
  aggregator: "max",
  help: "Age of the oldest outbox event not yet handed to its queue (0 when none waits)",
  registers: [registry],
  async collect() {
    const lag = await outboxLag();
    this.reset();
    if (lag) this.set(lag.oldest ?? 0);
  },
});

new client.Gauge({
  name: "am_outbox_pending_events",
  aggregator: "max",
  help: "Outbox events not yet handed to their queue by the relay",
  registers: [registry],
  async collect() {
    const lag = await outboxLag();
    this.reset();
    if (lag) this.set(lag.pending);
  },
});

// ---------------------------------------------------------------------------------------------
// Who may read it

const digest = (s: string) => createHash("sha256").update(s).digest();
const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * /metrics is not public: with METRICS_TOKEN set, only `Authorization: Bearer <token>` reads it (from
 * anywhere); without one, only a direct connection from this machine does (nothing forwarded by a proxy),
 * and in production nobody — there the token is required.
 */
export function metricsAccess(
  req: Pick<IncomingMessage, "headers" | "socket">,
  opts: { token?: string | undefined; production: boolean } = {
    token: config().METRICS_TOKEN,
    production: config().NODE_ENV === "production",
  },
): 200 | 401 | 403 | 404 {
  if (opts.token) {
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    return given !== undefined && timingSafeEqual(digest(given), digest(opts.token)) ? 200 : 401;
  }
  if (opts.production) return 404;
  const forwarded = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined;
  return LOOPBACK.has(req.socket.remoteAddress ?? "") && !forwarded ? 200 : 403;
}

/** This process's metrics; in one of several web processes, all of theirs together (./cluster.ts). */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: isWebWorker() ? await clusterMetrics() : await registry.metrics() };
}
