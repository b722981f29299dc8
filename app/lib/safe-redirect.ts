// The one check for redirect targets that come from input (`?next=`, a form's `next`/`redirectTo`): only a
// path on our own origin passes. Browsers "repair" URLs before following them — a backslash becomes a
// slash, TAB/CR/LF vanish, leading spaces are trimmed — so `/\evil.example` and `/<TAB>/evil.example` are
// `//evil.example`, another host. The check therefore looks at the target as given AND decoded once more
// (a `next` is often encoded twice on its way through a login link).

const BASE = "http://same-origin.invalid";
/** C0 and C1 control characters (TAB, CR, LF among them) and DEL. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Whitespace (Unicode-wide) or a backslash in the path part; the query may carry an encoded space. */
const PATH_TRAP = /[\s\\]/;

function pathPart(s: string): string {
  return s.split(/[?#]/, 1)[0]!;
}

function acceptable(s: string): boolean {
  if (!s.startsWith("/") || s.startsWith("//")) return false;
  if (CONTROL.test(s) || PATH_TRAP.test(pathPart(s))) return false;
  try {
    return new URL(s, BASE).origin === BASE;
  } catch {
    return false;
  }
}

/** `target` when it is a path on this site, else `fallback`. */
export function safeRedirect(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || target.length === 0 || target.length > 2048) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    return fallback;
  }
  return acceptable(target) && acceptable(decoded) ? target : fallback;
}
