// Cross-site request forgery: the session cookie is SameSite=Lax, so current browsers leave it off a
// form another site posts here; this check refuses such a request on the server too (older browsers,
// sibling subdomains, a cookie sent anyway). Browsers mark every request with Sec-Fetch-Site and a
// POST with Origin; a request carrying neither comes from a script or a server, not a victim's browser.
import type { RequestHandler } from "express";
import { translator } from "../../domain/i18n/index.ts";
import { resolveLocale } from "../trpc.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const SAME_ORIGIN_FETCH = new Set(["same-origin", "none"]);

/** Refuses state-changing requests sent from another site with 403; `exempt` paths carry their own signature. */
export function refuseCrossSite(opts: { publicUrl: () => string; exempt: readonly string[] }): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || opts.exempt.includes(req.path)) return next();
    const site = req.get("sec-fetch-site");
    const origin = req.get("origin");
    const own = [new URL(opts.publicUrl()).origin, `${req.protocol}://${req.get("host")}`];
    const crossSite =
      (site !== undefined && !SAME_ORIGIN_FETCH.has(site)) || (origin !== undefined && !own.includes(origin));
    if (!crossSite) return next();
    const t = translator(resolveLocale(null, req.headers.cookie ?? null, req.headers["accept-language"] ?? null));
    const message = t("errors:forbidden");
    res.status(403);
    if (req.path.startsWith("/api/trpc")) {
      res.json({ error: { json: { message, code: -32003, data: { code: "FORBIDDEN", httpStatus: 403 } } } });
    } else {
      res.type("text/plain; charset=utf-8").send(message);
    }
  };
}
