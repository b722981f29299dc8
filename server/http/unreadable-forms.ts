// A form post the app can't read is the sender's mistake, not ours: `request.formData()` throws a TypeError
// for a body that isn't a form (text/plain, JSON), a multipart body without its boundary or cut short — and
// every action that read its form that way answered 500. Each action gets a request whose formData() turns
// that into a refusal the page shows: 415 for a body that isn't a form at all, 400 for a broken one, in kk/ru.
// (Upload pages read multipart themselves: app/lib/upload.server.ts.)
import { data, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { translator } from "../../domain/i18n/index.ts";

type ActionArgs = { request: Request; context: AppLoadContext };
type Action = (args: ActionArgs) => unknown;

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

function readableForms(action: Action): Action {
  return (args) => {
    const { request } = args;
    const formData = request.formData.bind(request);
    request.formData = async () => {
      try {
        return await formData();
      } catch (e) {
        if (request.signal.aborted) throw e; // the client went away: nobody to answer
        const isForm = FORM_TYPES.test(request.headers.get("content-type") ?? "");
        const message = translator(args.context.ctx.locale)("errors:input.unreadableForm");
        throw data({ message }, { status: isForm ? 400 : 415 });
      }
    };
    return action(args);
  };
}

/** The build with every action's request.formData() refusing unreadable bodies with 400/415 instead of failing. */
export function withReadableForms(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const module = route.module as unknown as Record<string, unknown>;
    routes[id] =
      typeof module.action === "function"
        ? {
            ...route,
            module: { ...module, action: readableForms(module.action as Action) } as unknown as typeof route.module,
          }
        : route;
  }
  return { ...build, routes };
}
