// The web tier during a maintenance window (4.2.4): workspace pages (/s/…, /t/…) and tRPC calls answer
// 503 with Retry-After; the operator console (/admin, admin.* procedures), sign-in and sign-out, the
// public site, static files and /healthz keep working. The window ends by itself at its end time.
import type { NextFunction, Request, Response } from "express";
import { data } from "@remix-run/node";
import { translator } from "../../domain/i18n/index.ts";
import { resolveLocale } from "../trpc.ts";
import type { createCaller } from "../router.ts";
import { almatyDateTime } from "./fanout.ts";
import { maintenanceClock, type Announcement } from "./maintenance.ts";

/** tRPC procedures that still answer: the console, sign-in/out, and the announcement itself. */
const OPEN_PROCEDURES = /^(admin|auth|noticesPublic)\./;

export type MaintenanceInfo = { from: string; to: string; reasonKk: string; reasonRu: string; retryAfter: number };

function info(w: Announcement, now: Date): MaintenanceInfo {
  return {
    from: almatyDateTime(w.startsAt),
    to: almatyDateTime(w.endsAt),
    reasonKk: w.reasonKk,
    reasonRu: w.reasonRu,
    retryAfter: Math.max(1, Math.ceil((w.endsAt.getTime() - now.getTime()) / 1000)),
  };
}

export function maintenanceMiddleware(activeWindow = maintenanceClock()) {
  return (req: Request, res: Response, next: NextFunction) => {
    const p = req.path;
    const trpc = p.startsWith("/api/trpc/");
    const workspace = p.startsWith("/s/") || p.startsWith("/t/");
    if (!trpc && !workspace) return next();
    if (
      trpc &&
      p
        .slice("/api/trpc/".length)
        .split(",")
        .every((name) => OPEN_PROCEDURES.test(name))
    )
      return next();
    const now = new Date();
    activeWindow(now).then((w) => {
      if (!w) return next();
      const m = info(w, now);
      res.setHeader("Retry-After", String(m.retryAfter));
      if (workspace) {
        res.locals.maintenance = m;
        return next();
      }
      const locale = resolveLocale(null, req.headers.cookie ?? null, req.headers["accept-language"] ?? null);
      const message = translator(locale)("errors:notices.underMaintenance", { until: m.to });
      res.status(503).json({
        error: {
          json: { message, code: -32603, data: { code: "SERVICE_UNAVAILABLE", httpStatus: 503, maintenance: m } },
        },
      });
    }, next);
  };
}

/**
 * The caller a workspace page's loaders get during a window: every procedure refuses with a 503 carrying
 * the window, which the workspace layout's error boundary shows as the maintenance page.
 */
export function refusingCaller(m: MaintenanceInfo, _locale: string): ReturnType<typeof createCaller> {
  const refuse = () => {
    throw data({ maintenance: m }, { status: 503, headers: { "Retry-After": String(m.retryAfter) } });
  };
  const proxy: unknown = new Proxy(() => {}, {
    get: (_t, prop) => (prop === "then" ? undefined : proxy),
    apply: refuse,
  });
  return proxy as ReturnType<typeof createCaller>;
}
