// One safe error path for the Remix app, whatever NODE_ENV says. Every route's loader and action is wrapped
// once, when the web starts, so that what leaves the server after a failure is a kk/ru message with the
// request id (the "error code for support"), never an exception's text or a stack with our file paths:
// - a page route's refusal thrown as `data({ message }, { status })` gets the request id added;
// - a tRPC refusal nobody caught becomes that too, with its status (403, 404, 409…);
// - anything else is logged (with the request id) and becomes a 500 with the translated "something went wrong";
// - a resource route (a PDF, an XLSX, a photo: no page to show) answers plain text in the user's language.
// Errors while rendering are logged by app/entry.server.tsx's handleError; the ErrorBoundary shows the id.
import { data, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { translator } from "../../domain/i18n/index.ts";
import { logger } from "../log.ts";

type RouteArgs = { request: Request; context: AppLoadContext; params: Record<string, string | undefined> };
type RouteFunction = (args: RouteArgs) => unknown;
type DataWithInit = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };

function isDataWithInit(e: unknown): e is DataWithInit {
  return typeof e === "object" && e !== null && (e as { type?: unknown }).type === "DataWithResponseInit";
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** The refusal or failure as status and message; unexpected failures are logged here. */
function describe(
  e: unknown,
  args: RouteArgs,
  routeId: string,
): { status: number; message: string; headers?: HeadersInit } {
  const t = translator(args.context.ctx.locale);
  if (isDataWithInit(e)) {
    const status = e.init?.status ?? 500;
    const byStatus =
      status === 404
        ? "errors:notFound"
        : status === 503
          ? "errors:unavailable"
          : status < 500
            ? "errors:badRequest"
            : "errors:internal";
    const message = isPlainObject(e.data) && typeof e.data.message === "string" ? e.data.message : t(byStatus);
    return { status, message, ...(e.init?.headers ? { headers: e.init.headers } : {}) };
  }
  const described = args.context.describeError(e);
  if (described) return { status: described.status, message: described.message };
  logger.error({ err: e, route: routeId, method: args.request.method }, "route failed");
  return { status: 500, message: t("errors:internal") };
}

function wrap(fn: RouteFunction, routeId: string, resource: boolean): RouteFunction {
  return async (args) => {
    try {
      return await fn(args);
    } catch (e) {
      // Redirects and responses the route built itself (a 404 for a missing photo) pass as they are.
      if (e instanceof Response) throw e;
      const requestId = args.context.requestId;
      if (resource) {
        const { status, message, headers } = describe(e, args, routeId);
        const t = translator(args.context.ctx.locale);
        const h = new Headers(headers);
        h.set("Content-Type", "text/plain; charset=utf-8");
        h.set("Cache-Control", "private, no-store");
        return new Response(`${message}\n${t("errors:supportCode", { id: requestId })}\n`, { status, headers: h });
      }
      if (isDataWithInit(e)) {
        // The boundary reads { message, requestId } (and the maintenance page its own fields): keep them all.
        if (isPlainObject(e.data) && !("requestId" in e.data)) e.data = { ...e.data, requestId };
        throw e;
      }
      const { status, message } = describe(e, args, routeId);
      throw data({ message, requestId }, { status });
    }
  };
}

/** The build with every loader and action wrapped (route modules themselves are frozen ES modules: copied). */
export function withSafeErrors(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const module = route.module as unknown as Record<string, unknown>;
    const resource = module.default == null && module.ErrorBoundary == null;
    const wrapped: Record<string, unknown> = { ...module };
    if (typeof module.loader === "function") wrapped.loader = wrap(module.loader as RouteFunction, id, resource);
    if (typeof module.action === "function") wrapped.action = wrap(module.action as RouteFunction, id, resource);
    routes[id] = { ...route, module: wrapped as unknown as typeof route.module };
  }
  return { ...build, routes };
}
