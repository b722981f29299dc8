// The developer's tools (/dev/mail, /dev/sms) show every e-mail and SMS the system sent — reset links too —
// without signing in. They exist for `npm start` on one's own machine: the web server listens on loopback
// there by default (listenHost), and /dev/* answers only a request that comes from this machine, neither
// forwarded by a proxy from elsewhere nor in production. Anything else gets the plain 404 of a missing page.
import type { RequestHandler } from "express";
import { translator } from "../../domain/i18n/index.ts";
import { config } from "../config.ts";
import { resolveLocale } from "../trpc.ts";

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (`::ffff:127.0.0.1`). */
export function isLoopback(address: string | null | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith("::ffff:") ? address.slice(7) : address;
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** Where the web server listens: HOST, else loopback in development and every interface in production. */
export function listenHost(): string {
  const c = config();
  return c.HOST ?? (c.NODE_ENV === "production" ? "0.0.0.0" : "127.0.0.1");
}

/** Mounted on /dev: lets a request through only from this machine, outside production. */
export function devToolsOnLoopback(): RequestHandler {
  return (req, res, next) => {
    // req.ip is the client a trusted proxy names (TRUST_PROXY); the socket is who actually connected. Both must be this machine.
    const local = isLoopback(req.socket.remoteAddress) && isLoopback(req.ip);
    if (local && process.env.NODE_ENV !== "production") return next();
    const t = translator(resolveLocale(null, req.headers.cookie ?? null, req.headers["accept-language"] ?? null));
    res.status(404).type("text/plain; charset=utf-8").send(t("errors:notFound"));
  };
}
