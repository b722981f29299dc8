// The GET filters the operator's billing lists share: a trimmed getter, the date range, the school and the page.
import { isCalendarDay } from "../../domain/kz/time.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads `from`, `to` (real dates), `schoolId` (a UUID) and `page` (0 to 10 000); anything else is "" or 0. */
export function listParams(request: Request) {
  const p = new URL(request.url).searchParams;
  const get = (k: string) => (p.get(k) ?? "").trim();
  const from = isCalendarDay(get("from")) ? get("from") : "";
  const to = isCalendarDay(get("to")) ? get("to") : "";
  const schoolId = UUID.test(get("schoolId")) ? get("schoolId") : "";
  const page = Math.min(Math.max(0, Number.parseInt(get("page"), 10) || 0), 10_000);
  return { get, from, to, schoolId, page };
}
