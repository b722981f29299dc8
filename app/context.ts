// What the web server hands every Remix loader and action (server/web.ts).
import type { Context, DescribedError } from "../server/trpc.ts";
import type { createCaller } from "../server/router.ts";

declare module "@remix-run/node" {
  interface AppLoadContext {
    ctx: Context;
    trpc: ReturnType<typeof createCaller>;
    /** A tRPC refusal as the person will read it (kk/ru message, per-field messages, HTTP status); null for other errors. */
    describeError: (e: unknown) => DescribedError | null;
  }
  interface Future {
    v3_singleFetch: true;
  }
}
declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    ctx: Context;
    trpc: ReturnType<typeof createCaller>;
    describeError: (e: unknown) => DescribedError | null;
  }
}
export {};
