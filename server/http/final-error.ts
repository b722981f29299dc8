// The last Express error handler: whatever a middleware passed on with next(err) is answered with a kk/ru
// message and the request id — Express's own handler would print the stack (with our paths) outside production.
import type { ErrorRequestHandler } from "express";
import { translator } from "../../domain/i18n/index.ts";
import { resolveLocale } from "../trpc.ts";
import { logger } from "../log.ts";

export function finalErrorHandler(): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const given = Number(
      (err as { status?: unknown; statusCode?: unknown } | null)?.status ??
        (err as { statusCode?: unknown } | null)?.statusCode,
    );
    const status = Number.isInteger(given) && given >= 400 && given < 600 ? given : 500;
    if (status >= 500) logger.error({ err, path: req.path }, "request failed");
    else logger.warn({ err: String((err as Error)?.message ?? err), status, path: req.path }, "request refused");
    // Too late to answer: let Express close the connection.
    if (res.headersSent) return next(err);
    const t = translator(resolveLocale(null, req.headers.cookie ?? null, req.headers["accept-language"] ?? null));
    const message = t(status === 404 ? "errors:notFound" : status < 500 ? "errors:unreadable" : "errors:internal");
    const requestId = String(res.locals.requestId ?? "");
    res.status(status);
    if (req.path.startsWith("/api/")) {
      res.json({ error: { json: { message, code: -32603, data: { httpStatus: status, requestId } } } });
    } else {
      res.type("text/plain; charset=utf-8").send(`${message}\n${t("errors:supportCode", { id: requestId })}\n`);
    }
  };
}
