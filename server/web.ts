// The web process: Express serves static assets, the tRPC HTTP endpoint for the browser, and the
// Remix app, whose loaders and actions call the same routers in-process through a caller.
import cluster from "node:cluster";
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import type { ServerBuild } from "@remix-run/node";
import { appRouter, createCaller } from "./router.ts";
import { TRPCError } from "@trpc/server";
import { createContext, describeError, pageReads, retryAfterSeconds, type RequestInput } from "./trpc.ts";
import { config } from "./config.ts";
import { logger } from "./log.ts";
import { loadCalendar } from "./contract/calendar.ts";
import { handleStripeWebhook } from "./billing/webhook.ts";
import { kaspiEndpoint } from "./billing/rails/http.ts";
import { closeAdminQueues } from "./billing/job-queues.ts";
import { disconnectDb, operatorDb } from "./db/client.ts";
import { disconnectRedis } from "./redis.ts";
import { maintenanceMiddleware, refusingCaller } from "./notices/web-maintenance.ts";
import { refuseCrossSite } from "./http/same-origin.ts";
import { archiveDownloads } from "./archive/http.ts";
import { bodyLimit } from "./http/body-limit.ts";
import { withReadableForms } from "./http/unreadable-forms.ts";
import { requestContext } from "./http/request-context.ts";
import { closeMetricsQueues, httpMetrics, routeLabeler } from "./http/metrics.ts";
import { opsRoutes } from "./http/ops.ts";
import { joinMetrics } from "./http/cluster.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { withSafeErrors } from "./http/remix-errors.ts";
import { finalErrorHandler } from "./http/final-error.ts";
import { devToolsOnLoopback, listenHost } from "./http/dev-tools.ts";
import { refuseDevSecrets } from "./secrets.ts";
import { projectRoot } from "./root.ts";

const root = projectRoot;

function requestInput(req: express.Request, res: express.Response): RequestInput {
  return {
    cookieHeader: req.headers.cookie ?? null,
    acceptLanguage: req.headers["accept-language"] ?? null,
    ip: req.ip ?? null,
    userAgent: req.headers["user-agent"] ?? null,
    setCookie: (cookie) => res.append("Set-Cookie", cookie),
  };
}

export async function createWebApp() {
  const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
  const app = express();
  // Request id and log context first, then the timing for /metrics (docs/decisions/022).
  app.use(requestContext());
  app.use(httpMetrics(routeLabeler(build, new Set(Object.keys(appRouter._def.procedures)))));
  app.disable("x-powered-by");
  // Nothing reads req.query (tRPC and Remix parse the URL themselves): don't parse it on every request.
  app.set("query parser", false);
  app.set("trust proxy", process.env.TRUST_PROXY ?? "loopback");
  // nosniff, same-origin referrer, no framing, Content-Security-Policy with a nonce, HSTS over https.
  app.use(securityHeaders({ publicUrl: () => config().publicUrl, stripeApiBase: () => config().STRIPE_API_BASE }));
  // Request bodies: a limit per route before anything reads them; over it → 413 in kk/ru (docs/decisions/025).
  app.use(bodyLimit());
  app.get("/healthz", (_req, res) => res.json({ ok: true }));
  // /readyz (PostgreSQL and Redis answer) and /metrics (token or loopback only).
  app.use(opsRoutes());
  // Stripe's webhook needs the raw body for its signature. A failure answers 500 so Stripe delivers again.
  app.post("/webhooks/stripe", express.raw({ type: "*/*", limit: "1mb" }), (req, res) => {
    handleStripeWebhook(req.body as Buffer, req.header("stripe-signature"))
      .then((r) => res.status(r.status).json({ received: r.status === 200, outcome: r.outcome }))
      .catch((err: unknown) => {
        logger.error({ err }, "stripe webhook not applied; Stripe will retry");
        res.status(500).json({ received: false });
      });
  });
  // Kaspi's check/pay: its own secret and address allowlist (server/billing/rails/http.ts).
  app.use(kaspiEndpoint());
  // Cross-site posts are refused (CSRF); Stripe's webhook is signed instead (above, but listed to be explicit).
  app.use(refuseCrossSite({ publicUrl: () => config().publicUrl, exempt: ["/webhooks/stripe"] }));
  app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
  // Public files; the API is never a file, so its requests skip the file-system lookup (a stat per call).
  const publicFiles = express.static(path.join(root, "public"), { maxAge: "1h" });
  app.use((req, res, next) => (req.path.startsWith("/api/") ? next() : publicFiles(req, res, next)));
  // Maintenance windows (4.2.4): workspaces and the API answer 503 while the console keeps working.
  app.use(maintenanceMiddleware());
  // A school's archive, streamed from PostgreSQL chunk by chunk after the procedure checked the right (server/archive/http.ts).
  app.use(archiveDownloads((req, res) => createContext(requestInput(req, res))));
  // The dev mail/SMS pages: this machine only, never in production (server/http/dev-tools.ts).
  app.use("/dev", devToolsOnLoopback());
  app.use(
    "/api/trpc",
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req, res }) => createContext(requestInput(req, res)),
      // A refusal for too many requests (or a database gone for a moment) says when to come back, in the header as well as in words.
      responseMeta: ({ errors }) => {
        const seconds = errors.map(retryAfterSeconds).find((s) => s !== null);
        return seconds === undefined ? {} : { headers: new Headers({ "Retry-After": String(seconds) }) };
      },
    }),
  );
  app.all(
    "*",
    createRequestHandler({
      // Failures answer a kk/ru message with the request id, never a stack: the same in every mode.
      build: withSafeErrors(withReadableForms(build)),
      mode: "production",
      getLoadContext: async (req, res) => {
        // A page's loaders run together: their school reads share a transaction (ADR 049).
        const ctx = { ...(await createContext(requestInput(req, res))), reads: pageReads() };
        return {
          ctx,
          // In a maintenance window a workspace page's loaders get a caller that refuses with the 503 page.
          trpc: res.locals.maintenance ? refusingCaller(res.locals.maintenance, ctx.locale) : createCaller(ctx),
          // The Remix bundle must not carry its own copy of the server's error classes: it asks here.
          describeError: (e: unknown) => (e instanceof TRPCError ? describeError(e, ctx.locale) : null),
          requestId: String(res.locals.requestId),
          cspNonce: String(res.locals.cspNonce),
          logError: (err: unknown) => logger.error({ err }, "page failed"),
        };
      },
    }),
  );
  app.use(finalErrorHandler());
  return app;
}

export async function startWeb(port = config().PORT) {
  // Working days (claims, support deadlines) as the operator last saved them; a failure keeps the built-in data.
  await loadCalendar(operatorDb()).catch((err: unknown) =>
    logger.warn({ err }, "work calendar not loaded; using the built-in one"),
  );
  const app = await createWebApp();
  const server = await new Promise<import("node:http").Server>((resolve) => {
    const s = app.listen(port, listenHost(), () => resolve(s));
  });
  // A proxy in front (nginx's upstream keep-alive, a cloud balancer's 60 s idle timeout) reuses its idle
  // connections: the server must not close one first, or a request sent as it closes is reset (Node's 5 s
  // default showed as ECONNRESET in the pages bench). Headers may take no longer than that.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return {
    server,
    async stop() {
      await new Promise<void>((r) => server.close(() => r()));
      await closeAdminQueues();
      await closeMetricsQueues();
      await disconnectDb();
      await disconnectRedis();
    },
  };
}

// Run as a script: `tsx server/web.ts` (one process), or one of several that server/web-main.ts forks.
if (import.meta.url === `file://${process.argv[1]}`) {
  // In production (or with a real Stripe key) no public dev secret may be in use: one line per variable, exit 1.
  // A forked process's primary checked already.
  if (cluster.isPrimary) refuseDevSecrets("web");
  await serveWeb();
}

/** Serves until SIGTERM or SIGINT, then finishes the requests in flight and closes the pools. */
export async function serveWeb() {
  if (cluster.isWorker) joinMetrics();
  const web = await startWeb();
  logger.info({ url: config().publicUrl }, "web started");
  let stopping = false;
  // Ctrl-C reaches both this process and `npm start`, which then sends SIGTERM too: stop once.
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await web.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
