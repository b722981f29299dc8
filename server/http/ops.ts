// The operations endpoints, shared by the web (mounted in Express: server/web.ts) and the worker (its own
// small HTTP server on METRICS_PORT): /metrics (Prometheus), /readyz (PostgreSQL and Redis answer) and
// /healthz (the process is up; the web keeps its own).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Router } from "express";
import express from "express";
import { translator, type Locale } from "../../domain/i18n/index.ts";
import type { PoolName } from "../db/pools.ts";
import { logger } from "../log.ts";
import { readiness } from "./health.ts";
import { metricsAccess, renderMetrics } from "./metrics.ts";

function locale(req: IncomingMessage): Locale {
  return /\bru\b/i.test(req.headers["accept-language"] ?? "") && !/\bkk\b/i.test(req.headers["accept-language"] ?? "")
    ? "ru"
    : "kk";
}

const REFUSAL: Record<401 | 403 | 404, string> = {
  401: "errors:unauthorized",
  403: "errors:forbidden",
  404: "errors:notFound",
};

async function serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const access = metricsAccess(req);
  res.setHeader("Cache-Control", "no-store");
  if (access !== 200) {
    if (access === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
    res
      .writeHead(access, { "Content-Type": "text/plain; charset=utf-8" })
      .end(translator(locale(req))(REFUSAL[access]));
    return;
  }
  const { contentType, body } = await renderMetrics();
  res.writeHead(200, { "Content-Type": contentType }).end(body);
}

async function serveReadiness(res: ServerResponse, pools: readonly PoolName[]): Promise<void> {
  const r = await readiness(pools);
  res.setHeader("Cache-Control", "no-store");
  res.writeHead(r.ok ? 200 : 503, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(r));
}

/** The web's /readyz and /metrics (it keeps its own /healthz). */
export function opsRoutes(pools: readonly PoolName[] = ["app", "operator", "reports"]): Router {
  const router = express.Router();
  router.get("/readyz", (_req, res, next) => void serveReadiness(res, pools).catch(next));
  router.get("/metrics", (req, res, next) => void serveMetrics(req, res).catch(next));
  return router;
}

/** The worker's endpoints on their own port (METRICS_PORT): the same /metrics, /readyz, and /healthz. */
export async function startOpsServer(port: number, pools: readonly PoolName[], host = "0.0.0.0"): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0];
    const done = (p: Promise<void>) =>
      p.catch((err: unknown) => {
        logger.error({ err }, "ops endpoint failed");
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
        res.end(translator(locale(req))("errors:internal"));
      });
    if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { Allow: "GET, HEAD" }).end();
    if (path === "/metrics") return void done(serveMetrics(req, res));
    if (path === "/readyz") return void done(serveReadiness(res, pools));
    if (path === "/healthz") return void res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}');
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end(translator(locale(req))("errors:notFound"));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
