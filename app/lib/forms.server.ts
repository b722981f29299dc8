import { data, redirect, type ActionFunctionArgs, type AppLoadContext } from "@remix-run/node";
import { translator } from "../../domain/i18n/index.ts";
import { safeRedirect } from "~/lib/safe-redirect.ts";
import type { DescribedError } from "../../domain/errors.ts";

export type FormError = { error: DescribedError };

/**
 * Runs a tRPC call for a form action. A refusal (bad input, forbidden, conflict) comes back as the
 * form's data with the right HTTP status and kk/ru messages, so the page shows it beside the fields
 * and keeps what the person typed.
 */
export async function runForm<T>(context: AppLoadContext, fn: () => Promise<T>) {
  try {
    return { ok: true as const, value: await fn() };
  } catch (e) {
    const error = context.describeError(e);
    if (!error) throw e;
    // A refusal for too many requests says when to come back in the header as well as in words (as the API does).
    const headers = error.retryAfter ? { "Retry-After": String(error.retryAfter) } : undefined;
    return {
      ok: false as const,
      error,
      response: data({ error } satisfies FormError, { status: error.status, headers }),
    };
  }
}

/** Loads through tRPC; a refusal becomes an HTTP error response the route's ErrorBoundary shows. */
export async function load<T>(context: AppLoadContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const error = context.describeError(e);
    if (!error) throw e;
    if (error.status === 401) throw redirect("/login");
    throw data({ message: error.message }, { status: error.status });
  }
}

export function requireUser(context: AppLoadContext, request: Request) {
  const user = context.ctx.user;
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

/**
 * The start of a school page's form action: the signed-in check, then the posted fields read as text
 * (`v(name)`, "" when absent), the school's slug from the URL and the form's `intent`.
 */
export async function readSchoolForm(
  context: AppLoadContext,
  request: Request,
  params: ActionFunctionArgs["params"],
): Promise<{ v: (k: string) => string; school: string; intent: string }> {
  requireUser(context, request);
  const form = await request.formData();
  const v = (k: string) => String(form.get(k) ?? "");
  return { v, school: params.school!, intent: v("intent") };
}

/** FormData → plain object; checkboxes arrive as "on" and become true. */
export function formObject(form: FormData): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v !== "string") continue;
    out[k] = v === "on" ? true : v;
  }
  return out;
}

/** Only same-site paths may be redirect targets (no open redirects through ?next=): app/lib/safe-redirect.ts. */
export function safeNext(next: string | null | undefined, fallback = "/"): string {
  return safeRedirect(next, fallback);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A route's `:id` that must be a UUID; anything else is a plain 404 before any query runs. */
export function uuidParam(context: AppLoadContext, id: string | undefined): string {
  if (!id || !UUID.test(id))
    throw data({ message: translator(context.ctx.locale)("errors:notFound") }, { status: 404 });
  return id;
}
