// Request bodies are bounded before anything reads them (docs/decisions/025-bounded-work.md). An anonymous
// 300 MB POST to /login grew the web process to 1.2 GB; a 100 MB JSON body to tRPC was parsed before zod
// refused it. Every request with a body gets a limit from its route: a declared Content-Length over it is
// answered 413 at once, without reading a byte; a chunked body is held (at most the limit) and counted,
// and released to the route only when it ended within the limit. The refusal is in the user's language:
// JSON for the API, a Remix error for the app's own fetches (.data), an HTML page for a plain form post.
import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { translator } from "../../domain/i18n/index.ts";
import { resolveLocale } from "../trpc.ts";
import { MAX_FILE_BYTES as IMPORT_FILE_BYTES } from "../import/xlsx.ts";
import { MAX_ATTACHMENTS } from "../support/schema.ts";
import { MAX_ATTACHMENT_BYTES } from "../support/service.ts";
import { MAX_IMAGE_BYTES } from "../documents/image.ts";
import { KASPI_BODY_LIMIT } from "../billing/rails/kaspi.ts";

const KB = 1024;
const MB = 1024 * KB;
/** base64 of `bytes` in a JSON string */
const base64 = (bytes: number) => Math.ceil(bytes / 3) * 4;

/** Forms, sign-in and every API call: the longest text any form takes (a contract template) is ~0.2 MB URL-encoded. */
export const DEFAULT_BODY_LIMIT = 1 * MB;

/** Remix routes that take more, by path (a form post, or its single-fetch twin `<path>.data`): each above its own per-file check. */
const ROUTE_LIMITS: [RegExp, number][] = [
  [/^\/s\/[^/]+\/trainees\/import$/, IMPORT_FILE_BYTES + 1 * MB], // one XLSX ≤ 10 MB (the route answers "too big" itself up to here)
  [/^\/s\/[^/]+\/support$/, MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 1 * MB], // a ticket with up to 3 files ≤ 5 MB
  [/^\/s\/[^/]+\/questions$/, MAX_IMAGE_BYTES + 1 * MB], // a question's picture ≤ 1 MB
  [/^\/s\/[^/]+\/trainees\/[^/]+$/, MAX_IMAGE_BYTES + 1 * MB], // the trainee's photo ≤ 1 MB
  [/^\/admin\/statements$/, 10 * MB + 1 * MB], // a 1C bank statement ≤ 10 MB
  [/^\/admin\/offers$/, 8 * MB], // an offer version: two texts of up to 500,000 characters, URL-encoded
];

/** tRPC procedures that take more (a batch gets the largest of its procedures'). */
const PROCEDURE_LIMITS: Record<string, number> = {
  "traineeImport.upload": base64(IMPORT_FILE_BYTES) + 1 * MB,
  "support.create": MAX_ATTACHMENTS * 7_000_000 + 1 * MB,
  "quiz.questions.create": base64(MAX_IMAGE_BYTES) + 1 * MB,
  "quiz.questions.update": base64(MAX_IMAGE_BYTES) + 1 * MB,
  "trainees.setPhoto": base64(MAX_IMAGE_BYTES) + 1 * MB,
  "admin.billing.uploadStatement": 14_000_000 + 1 * MB,
  "admin.notices.publishOffer": 4 * MB,
  "admin.notices.previewOffer": 4 * MB,
};

/** Stripe's webhook: events are small; Stripe's own limit is far below this. */
const STRIPE_LIMIT = 1 * MB;

/** The body limit of a request path, in bytes. */
export function bodyLimitFor(path: string): number {
  if (path.startsWith("/api/trpc/")) {
    let names = path.slice("/api/trpc/".length);
    try {
      names = decodeURIComponent(names);
    } catch {
      // a malformed escape: the names as they are (tRPC answers 404 for them)
    }
    const procedures = names.split(",");
    return Math.max(DEFAULT_BODY_LIMIT, ...procedures.map((p) => PROCEDURE_LIMITS[p] ?? 0));
  }
  if (path === "/webhooks/stripe") return STRIPE_LIMIT;
  if (path.startsWith("/pay/kaspi/")) return KASPI_BODY_LIMIT;
  const page = path === "/_root.data" ? "/" : path.replace(/\.data$/, "");
  return ROUTE_LIMITS.find(([re]) => re.test(page))?.[1] ?? DEFAULT_BODY_LIMIT;
}

const mb = (bytes: number) => String(Math.round((bytes / MB) * 10) / 10).replace(".", ",");
const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * A Remix single-fetch answer that the app shows in the route's error boundary: `{ error: ErrorResponse(413,
 * …, { message }) }` in turbo-stream's encoding (the format of Remix 2's `.data` responses, pinned by a test).
 */
function singleFetchError(status: number, statusText: string, message: string): string {
  return `${JSON.stringify([{ _1: 2 }, "error", ["ErrorResponse", 3, 6, 7], { _4: 5 }, "message", message, status, statusText])}\n`;
}

/** Answers 413 in the form the sender reads, and closes the connection: the rest of the body is never read. */
function refuse(req: Request, res: Response, limit: number): void {
  const locale = resolveLocale(null, req.headers.cookie ?? null, req.headers["accept-language"] ?? null);
  const t = translator(locale);
  const message = t("errors:input.tooLarge", { mb: mb(limit) });
  res.status(413).setHeader("Connection", "close");
  if (req.path.startsWith("/api/")) {
    res.json({
      error: {
        json: {
          message,
          code: -32013,
          data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, fieldErrors: null, field: null },
        },
      },
    });
  } else if (req.path === "/webhooks/stripe") {
    res.json({ received: false, message });
  } else if (req.path.endsWith(".data")) {
    res.type("text/x-script").send(singleFetchError(413, "Payload Too Large", message));
  } else {
    res
      .type("text/html; charset=utf-8")
      .send(
        `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
          `<title>413 — ${escapeHtml(t("common:appName"))}</title><style>body{font-family:"DejaVu Sans",system-ui,sans-serif;background:#f5f7fa;color:#1a2433;margin:0}` +
          `main{max-width:40rem;margin:0 auto;padding:1rem}.alert{background:#fdecec;color:#b3261e;border-radius:8px;padding:.75rem 1rem}</style></head>` +
          `<body><main><h1>413</h1><p class="alert">${escapeHtml(message)}</p><p><a href="/">${escapeHtml(t("common:appName"))}</a></p></main></body></html>`,
      );
  }
}

type Push = IncomingMessage["push"];

/**
 * Holds a body of unknown length as it arrives, counting it; `done(true)` once it passed `limit` (the rest is
 * dropped), `done(false)` once it ended within it — then the held bytes are handed back to the stream, so
 * whatever reads the request next (Remix, tRPC, Stripe's raw body) reads it as if nothing had happened.
 */
function holdBody(req: IncomingMessage, limit: number, done: (tooLarge: boolean) => void): void {
  // Bytes the stream took in before this middleware ran are in its buffer already (nothing has read them).
  if (req.complete) {
    done(req.readableLength > limit);
    return;
  }
  let size = req.readableLength;
  if (size > limit) {
    done(true);
    return;
  }
  const push: Push = req.push;
  const held: unknown[] = [];
  // The HTTP parser hands each piece of the body to the request's push() (and null at its end).
  req.push = function hold(this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding) {
    if (chunk === null) {
      req.push = push;
      for (const c of held) push.call(this, c, encoding);
      held.length = 0;
      const more = push.call(this, null);
      done(false);
      return more;
    }
    size += (chunk as Buffer).length;
    if (size > limit) {
      held.length = 0;
      req.push = () => true; // drop the rest until the connection closes
      done(true);
      return true;
    }
    held.push(chunk);
    return true;
  } as Push;
}

/** The middleware: in front of every route, before anything reads a body. */
export function bodyLimit(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const length = req.headers["content-length"];
    const chunked = req.headers["transfer-encoding"] !== undefined;
    if (length === undefined && !chunked) return next(); // no body
    const limit = bodyLimitFor(req.path);
    if (length !== undefined) {
      // Node reads no more than the declared length, so checking the declaration is enough.
      return Number(length) > limit ? refuse(req, res, limit) : next();
    }
    holdBody(req, limit, (tooLarge) => (tooLarge ? refuse(req, res, limit) : next()));
  };
}
