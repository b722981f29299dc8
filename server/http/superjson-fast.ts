// tRPC's output transformer (ADR 054): superjson's wire format, written by one quick walk for what the procedures
// return — plain objects, arrays, strings, finite numbers, booleans, null and Dates — and by superjson itself for
// anything else. superjson's own walk tries every one of its types on every value and copies the tree: 35 % of the
// lesson week's CPU over HTTP (docs/bench/PROFILE-http.md). The browser reads both with superjson.deserialize.
import superjson from "superjson";
import type { SuperJSONResult } from "superjson";

/** superjson's path escaping: a key's backslashes doubled and its dots escaped, keys joined by dots. */
const escapeKey = (key: string) =>
  key.includes("\\") || key.includes(".") ? key.replace(/\\/g, "\\\\").replace(/\./g, "\\.") : key;

/** Where each Date of `data` is, or null when `data` holds anything superjson writes another way. */
function datePaths(data: unknown): string[] | null {
  const dates: string[] = [];
  // superjson writes an object met twice as a reference: only trees get the quick way.
  const seen = new Set<object>();
  const walk = (value: unknown, path: string): boolean => {
    if (value === null) return true;
    switch (typeof value) {
      case "string":
      case "boolean":
        return true;
      case "number":
        return Number.isFinite(value) && !Object.is(value, -0);
      case "object":
        break;
      default:
        // undefined, bigint, symbol, function
        return false;
    }
    const object = value as object;
    if (seen.has(object)) return false;
    seen.add(object);
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++)
        if (!walk(object[i], path === "" ? String(i) : `${path}.${i}`)) return false;
      return true;
    }
    if (object instanceof Date) {
      if (path === "" || Number.isNaN(object.getTime())) return false;
      dates.push(path);
      return true;
    }
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) return false;
    for (const key of Object.keys(object)) {
      const at = path === "" ? escapeKey(key) : `${path}.${escapeKey(key)}`;
      if (!walk((object as Record<string, unknown>)[key], at)) return false;
    }
    return true;
  };
  return walk(data, "") ? dates : null;
}

/**
 * What superjson.serialize(data) gives. The tree itself is the JSON part: JSON.stringify writes a Date as
 * superjson does (toISOString), and nothing else in such a tree is written differently.
 */
export function serialize(data: unknown): SuperJSONResult {
  const dates = datePaths(data);
  if (dates === null) return superjson.serialize(data);
  if (dates.length === 0) return { json: data as SuperJSONResult["json"] };
  const values: Record<string, ["Date"]> = {};
  for (const path of dates) values[path] = ["Date"];
  return { json: data as SuperJSONResult["json"], meta: { values, v: 1 } as SuperJSONResult["meta"] };
}

/** The transformer for initTRPC: superjson for what comes in, the quick walk for what goes out. */
export const transformer = {
  input: superjson,
  output: { serialize, deserialize: superjson.deserialize.bind(superjson) },
};
