// The API as the web app sees it: the one module of server/ that app/ imports, and only its types
// (.dependency-cruiser.cjs holds it to that). Loaders and actions call the procedures through the
// caller Remix's load context carries (app/context.ts); components that fetch after load use AppRouter.
import type { createCaller } from "./router.ts";

export type { AppRouter } from "./router.ts";
export type { Context } from "./trpc.ts";
export type Caller = ReturnType<typeof createCaller>;
