// Procedures discovered from the router, and inputs built from their zod (v4) input schemas: a valid
// sample (ids chosen by the caller) for the tenant walk, and the schema tree the fuzzer mutates.
import { randomUUID } from "node:crypto";
import { appRouter } from "../../server/router.ts";
import type { z } from "zod";
import { makeBin, makeIin } from "../../domain/kz/iin.ts";

type AnySchema = z.ZodType;
type Def = { type: string; [k: string]: unknown };
const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

type Proc = { _def: { type: "query" | "mutation"; inputs: AnySchema[] } };
const table = (appRouter as unknown as { _def: { procedures: Record<string, Proc> } })._def.procedures;

export const procedurePaths = Object.keys(table).sort();
export const procedureType = (path: string) => table[path]!._def.type;
export const inputSchemas = (path: string): AnySchema[] => table[path]!._def.inputs;

/** Calls `path` (e.g. quiz.questions.list) on a tRPC caller. */
export function call(caller: unknown, path: string, input?: unknown): Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    i?: unknown,
  ) => Promise<unknown>;
  return fn(input);
}

/** The field names (at any depth of the input objects) of a procedure's input. */
export function fieldNames(path: string): string[] {
  const names = new Set<string>();
  const walk = (s: AnySchema) => {
    const d = defOf(s);
    switch (d.type) {
      case "object":
        for (const [k, v] of Object.entries(d.shape as Record<string, AnySchema>)) {
          names.add(k);
          walk(v);
        }
        break;
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "nonoptional":
      case "readonly":
      case "catch":
        walk(d.innerType as AnySchema);
        break;
      case "pipe":
        walk(d.in as AnySchema);
        break;
      case "array":
        walk(d.element as AnySchema);
        break;
      case "union":
        for (const o of d.options as AnySchema[]) walk(o);
        break;
    }
  };
  for (const s of inputSchemas(path)) walk(s);
  return [...names];
}

/** A field that names records by id: `id`, `traineeId`, `traineeIds`… and theory.mark's `present` (trainee ids). */
export const isIdField = (name: string) => /(^id|Id|Ids)$/.test(name) || name === "present";

// Values tried for a leaf, by what its name says it holds, before the generic ones.
function hints(name: string): unknown[] {
  const n = name.toLowerCase();
  const out: unknown[] = [];
  if (n === "birthdate") out.push("1990-05-04");
  // Days already past for what has happened (paid on, received on), days ahead for what is planned.
  if (/on$/.test(n) && !/until/.test(n)) out.push(day(-2));
  if (/(date|on|until|from|to|before|effective)$/.test(n) || /date/.test(n)) out.push(day(7));
  // A keyset cursor: `<microseconds>_<id>` (the audit log's pages).
  if (n === "before") out.push("1_1");
  if (/closes/.test(n) || n === "ends") out.push("18:00");
  if (n === "starts") out.push("08:00");
  if (/time$|opens/.test(n)) out.push("10:00");
  if (/email/.test(n)) out.push("walker@test.kz");
  if (/phone/.test(n)) out.push("+7 701 123 45 67");
  if (/plate/.test(n)) out.push("123ABC02");
  if (/price|amount|score/.test(n)) out.push("1000", 1000);
  if (/password|current/.test(n)) out.push("correct-horse-battery");
  if (n === "iin") out.push(makeIin("1990-05-04", "male", 123));
  if (n === "biniin" || n === "bin") out.push(makeBin("2203", 77));
  if (n === "token") out.push("A".repeat(43));
  if (n === "requestkey") out.push("00000000-0000-4000-8000-00000000feed");
  if (n === "period") out.push("2026-12");
  if (n === "knp") out.push("859");
  // Kaspi's settings: an address it calls from, and a blank secret (keeps the current one)
  if (/ips?$/.test(n)) out.push("127.0.0.1");
  if (/secret/.test(n)) out.push("");
  if (n === "kbe") out.push("17");
  if (n === "iik") out.push("KZ123456789012345678");
  if (n === "bik") out.push("KCJBKZKX");
  if (/category/.test(n)) out.push("B");
  if (/minutes/.test(n)) out.push(90);
  if (/year/.test(n)) out.push(2026);
  if (/base64/.test(n)) out.push(PNG_1x1);
  return out;
}
const GENERIC: unknown[] = ["Тест мәтіні", "abc", "1", 1, 60, 0, true, "10:00", "walker@test.kz"];
const PNG_1x1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
/** An Asia/Almaty calendar day `offset` days from today, as YYYY-MM-DD. */
function day(offset: number): string {
  return new Date(Date.now() + 5 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A value for `schema` that the schema accepts, preferring `idFor(name)` for id-like fields and the
 * name's hints for others. Leaves are checked with the leaf's own schema; the caller checks the whole.
 */
export function sample(schema: AnySchema, name: string, idFor: (field: string) => unknown): unknown {
  const d = defOf(schema);
  switch (d.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(d.shape as Record<string, AnySchema>)) {
        const value = sample(v, k, idFor);
        if (value !== undefined) out[k] = value;
      }
      return out;
    }
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
      return sample(d.innerType as AnySchema, name, idFor);
    case "array": {
      const id = isIdField(name) ? idFor(name) : undefined;
      if (Array.isArray(id)) return id;
      // Two elements: some lists have a minimum (a question's answer options).
      const element = sample(d.element as AnySchema, name.replace(/s$/, ""), idFor);
      return [element, structuredClone(element)];
    }
    case "record":
      return {};
    case "enum":
      return Object.values(d.entries as Record<string, unknown>)[0];
    case "literal":
      return (d.values as unknown[])[0];
    case "boolean":
      return true;
  }
  if (isIdField(name)) return idFor(name);
  // A UUID that names no row of the database (a form's submission key, made by the client): a fresh one.
  if (d.type === "string" && d.format === "uuid") return randomUUID();
  const candidates = [...hints(name), ...GENERIC, ...numberBounds(d)];
  for (const c of candidates) if (schema.safeParse(c).success) return c;
  // Unions and pipes: look inside for something to try.
  if (d.type === "pipe") return sample(d.in as AnySchema, name, idFor);
  if (d.type === "union") {
    for (const o of d.options as AnySchema[]) {
      const v = sample(o, name, idFor);
      if (schema.safeParse(v).success) return v;
    }
  }
  return candidates[0];
}

function numberBounds(d: Def): number[] {
  const out: number[] = [];
  for (const c of (d.checks as
    | { _zod: { def: { check: string; value?: number; inclusive?: boolean } } }[]
    | undefined) ?? []) {
    const cd = c._zod.def;
    if (cd.check === "greater_than" && typeof cd.value === "number") out.push(cd.inclusive ? cd.value : cd.value + 1);
  }
  return out;
}

/** Does every input schema of the procedure accept `input`? (i.e. the call reaches the handler) */
export function accepts(path: string, input: unknown): boolean {
  return inputSchemas(path).every((s) => s.safeParse(input).success);
}

export function issues(path: string, input: unknown): string[] {
  return inputSchemas(path).flatMap((s) => {
    const r = s.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  });
}

/** A merged sample over all of a procedure's input schemas. */
export function sampleInput(path: string, idFor: (field: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of inputSchemas(path)) Object.assign(out, sample(s, "", idFor) as Record<string, unknown>);
  return out;
}
