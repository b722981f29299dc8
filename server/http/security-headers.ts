// Response headers that make an injected script, a framing page or a downgraded connection useless
// (helmet). Scripts run only from our origin or with this response's nonce: Remix's inline scripts get it
// through the load context (app/entry.server.tsx, app/root.tsx). HSTS only where the browser reached us over
// https — PUBLIC_URL says https, or a trusted proxy (TRUST_PROXY) forwarded `X-Forwarded-Proto: https`.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import helmet from "helmet";

/** One year, this host only: the operator can add includeSubDomains/preload at the proxy when every subdomain is https. */
export const HSTS = "max-age=31536000";

type Options = { publicUrl: () => string; stripeApiBase?: () => string | undefined };

const nonceOf = (_req: IncomingMessage, res: ServerResponse) =>
  `'nonce-${(res as ServerResponse & { locals: { cspNonce: string } }).locals.cspNonce}'`;

export function securityHeaders(opts: Options): RequestHandler[] {
  const https = () => opts.publicUrl().startsWith("https:");
  // Card payment: a form posted without JavaScript is redirected to Stripe's hosted Checkout (or the local stand-in).
  const checkout = () => {
    const base = opts.stripeApiBase?.();
    return base ? [new URL(base).origin] : ["https://checkout.stripe.com"];
  };
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", nonceOf],
        // style="" attributes (bars, charts) need 'unsafe-inline'; no stylesheet comes from elsewhere.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'", ...checkout()],
        upgradeInsecureRequests: https() ? [] : null,
      },
    },
    strictTransportSecurity: false,
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "same-origin" },
  });
  return [
    (req, res, next) => {
      res.locals.cspNonce = randomBytes(16).toString("base64");
      if (req.secure || (https() && req.headers["x-forwarded-proto"] === undefined))
        res.setHeader("Strict-Transport-Security", HSTS);
      next();
    },
    headers,
  ];
}
