import { data, type AppLoadContext } from "@remix-run/node";
import { load, runForm } from "~/lib/forms.server.ts";
import type { DescribedError } from "../../../domain/errors.ts";

export type WsRefusal = { data: { error: DescribedError }; init: ResponseInit | null };

/** runForm (app/lib/forms.server.ts) in the shape the workspace pages pass to refusedWith. */
export async function runWs<T>(context: AppLoadContext, fn: () => Promise<T>) {
  const r = await runForm(context, fn);
  return r.ok
    ? r
    : {
        ok: false as const,
        response: { data: { error: r.error }, init: { status: r.error.status } } satisfies WsRefusal,
      };
}

export const loadWs = load;

type Workspace = Awaited<ReturnType<AppLoadContext["trpc"]["school"]["shell"]>>;
const workspaces = new WeakMap<AppLoadContext, Map<string, Promise<Workspace>>>();

/**
 * The school's workspace as the signed-in member sees it (the school, its state, the member's roles, their
 * other schools and the banners: server/schools/shell.ts), loaded once per request: the layout (s.$school.tsx)
 * and the child route's loader run for the same request and share one load context, so they share this one
 * read instead of each opening a transaction for it.
 */
export function loadWorkspace(context: AppLoadContext, school: string): Promise<Workspace> {
  let bySchool = workspaces.get(context);
  if (!bySchool) {
    bySchool = new Map();
    workspaces.set(context, bySchool);
  }
  let pending = bySchool.get(school);
  if (!pending) {
    // Called inside a promise: a caller that refuses at once (the maintenance window's) rejects it, never throws
    // past the loader's other pending reads.
    pending = Promise.resolve().then(() => context.trpc.school.shell({ school }));
    bySchool.set(school, pending);
  }
  const shared = pending;
  return load(context, () => shared);
}

/** A refused form, plus what the person typed (so a page without JavaScript can show it again). */
export function refusedWith<V>(response: WsRefusal, values: V, strip?: string) {
  const error = response.data.error;
  let fieldErrors = error.fieldErrors;
  if (fieldErrors && strip) {
    fieldErrors = Object.fromEntries(
      Object.entries(fieldErrors).map(([k, v]) => [k.startsWith(strip) ? k.slice(strip.length) : k, v]),
    );
  }
  return data({ error: { ...error, fieldErrors }, values }, response.init ?? { status: error.status });
}

export function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

/** The named posted fields as text, in the order given ("" for a missing or file field). */
export function texts<K extends string>(form: FormData, names: readonly K[]): Record<K, string> {
  return Object.fromEntries(names.map((name) => [name, text(form, name)])) as Record<K, string>;
}
