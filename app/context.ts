// What the web server hands every Remix loader and action (server/web.ts).
import type { Context } from "../server/trpc.ts";
import type { createCaller } from "../server/router.ts";

declare module "@remix-run/node" {
  interface AppLoadContext {
    ctx: Context;
    trpc: ReturnType<typeof createCaller>;
  }
}
declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    ctx: Context;
    trpc: ReturnType<typeof createCaller>;
  }
}
export {};
