import { useActionData } from "@remix-run/react";
import type { DescribedError } from "../../../domain/errors.ts";

/** What a refused form action returns (see values.server.ts and runForm). */
export type Refusal = { error: DescribedError; values?: Record<string, string | boolean> };

/**
 * The action's answer, split into a refusal (message, per-field messages, the typed values) or the
 * success payload `Ok`. Typed by hand: the serialized action types don't see through `data()`.
 */
export function useFormResult<Ok extends object = never>() {
  const raw = useActionData() as Refusal | Ok | undefined;
  const refusal = raw && typeof raw === "object" && "error" in raw ? (raw as Refusal) : null;
  const values = refusal?.values ?? {};
  return {
    submitted: raw !== undefined,
    error: refusal?.error ?? null,
    fieldErrors: refusal?.error.fieldErrors ?? ({} as Record<string, string>),
    values,
    /** a submitted text value, or "" */
    value: (name: string) => (typeof values[name] === "string" ? (values[name] as string) : ""),
    ok: raw && !refusal ? (raw as Ok) : null,
  };
}
