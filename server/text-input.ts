// Text that PostgreSQL can't store: a NUL byte (U+0000) in any string of any input used to reach the
// database and come back as a 500 ("invalid byte sequence for encoding UTF8: 0x00"). One zod refinement
// for all text inputs, applied by the procedure builders (server/trpc.ts) to every procedure's raw input
// before its own schema: each string holding a NUL is a field error "input.nul" at its path, in kk/ru.
import { TRPCError } from "@trpc/server";
import { z } from "zod";

export const NUL_MESSAGE = "input.nul";

/** Nesting deeper than any form goes is left to the procedure's own schema (which refuses it). */
const MAX_DEPTH = 32;

/** Paths of the strings under `value` that contain a NUL, walked without recursion. */
export function nulPaths(value: unknown): (string | number)[][] {
  const found: (string | number)[][] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\u0000")) found.push(path);
    } else if (v !== null && typeof v === "object" && path.length < MAX_DEPTH) {
      if (Array.isArray(v)) for (const [i, x] of v.entries()) stack.push({ v: x, path: [...path, i] });
      else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
        for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: [...path, k] });
      }
    }
  }
  return found.reverse();
}

/** The refinement over a whole input: one issue per string with a NUL. */
export const noNulAnywhere = z.unknown().superRefine((value, ctx) => {
  for (const path of nulPaths(value)) ctx.addIssue({ code: "custom", message: NUL_MESSAGE, path });
});

/** Refuses an input holding a NUL anywhere: 400 with per-field messages, like any other schema's refusal. */
export function refuseNulInput(raw: unknown): void {
  const result = noNulAnywhere.safeParse(raw);
  if (!result.success) throw new TRPCError({ code: "BAD_REQUEST", message: NUL_MESSAGE, cause: result.error });
}
