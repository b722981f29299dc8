// What the web server hands every Remix loader and action (server/web.ts).
import type { Caller, Context } from "../server/api.ts";
import type { DescribedError } from "../domain/errors.ts";

/** The load context, declared once for both modules Remix reads AppLoadContext from. */
interface LoadContext {
  ctx: Context;
  trpc: Caller;
  /** A tRPC refusal as the person will read it (kk/ru message, per-field messages, HTTP status); null for other errors. */
  describeError: (e: unknown) => DescribedError | null;
  /** X-Request-Id of this request: in every log line, shown on error pages as the code for support */
  requestId: string;
  /** this response's Content-Security-Policy nonce for Remix's inline scripts (app/entry.server.tsx) */
  cspNonce: string;
  /** logs a failure of rendering (entry.server's handleError) with the request id */
  logError: (error: unknown) => void;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends LoadContext {}
  interface Future {
    v3_singleFetch: true;
  }
}
declare module "@remix-run/server-runtime" {
  interface AppLoadContext extends LoadContext {}
}
