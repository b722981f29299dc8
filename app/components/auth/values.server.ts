import { data } from "@remix-run/node";
import { load, runForm } from "~/lib/forms.server.ts";
import type { DescribedError } from "../../../domain/errors.ts";

type Failed = { data: { error: DescribedError }; init: ResponseInit | null };

/**
 * A refused form, with what the person typed, so the page can show it again (also without
 * JavaScript). Secrets (passwords) must be left out of `values` by the caller.
 */
export function failWithValues(response: Failed, values: Record<string, string | boolean>) {
  return data({ error: response.data.error, values }, response.init ?? undefined);
}

/** The submitted values minus the named secrets. */
export function withoutSecrets(obj: Record<string, string | boolean>, ...secrets: string[]) {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(obj)) if (!secrets.includes(k)) out[k] = v;
  return out;
}

/** runForm (app/lib/forms.server.ts), named for the auth pages. */
export const runAuthForm = runForm;

/** load (app/lib/forms.server.ts), named for the auth pages. */
export const loadAuth = load;
