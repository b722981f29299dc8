// The GET filters the operator's billing lists share: a trimmed getter, the date range, the school and the page.

/** A real calendar date `YYYY-MM-DD` (2026-02-30 is not). */
const isDate = (v: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString().slice(0, 10) === v;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads `from`, `to` (real dates), `schoolId` (a UUID) and `page` (0 to 10 000); anything else is "" or 0. */
export function listParams(request: Request) {
  const p = new URL(request.url).searchParams;
  const get = (k: string) => (p.get(k) ?? "").trim();
  const from = isDate(get("from")) ? get("from") : "";
  const to = isDate(get("to")) ? get("to") : "";
  const schoolId = UUID.test(get("schoolId")) ? get("schoolId") : "";
  const page = Math.min(Math.max(0, Number.parseInt(get("page"), 10) || 0), 10_000);
  return { get, from, to, schoolId, page };
}
