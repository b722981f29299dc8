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
