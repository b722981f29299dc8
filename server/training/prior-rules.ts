// Training done before the school used Avtomektep (docs/decisions/029-training-before-adoption.md): how the
// office's figures are read and which are refused — shared by the card's form and the XLSX import. Pure.
import { isoDay } from "../../domain/kz/time.ts";

/** Hours done before adoption, theory or driving: at most this many (a category's programme is far less). */
export const MAX_PRIOR_HOURS = 500;
/** No date before this is a school's paper record of a trainee now in training. */
export const EARLIEST_PRIOR_DATE = "2000-01-01";

/** "40", "12,5", "12.5" (hours, at most two decimals) → whole minutes; null when it isn't hours in 0..MAX. */
export function hoursToMinutes(text: string): number | null {
  const v = text.trim();
  if (v === "") return 0;
  if (!/^\d{1,3}([.,]\d{1,2})?$/.test(v)) return null;
  const hours = Number(v.replace(",", "."));
  return hours > MAX_PRIOR_HOURS ? null : Math.round(hours * 60);
}

/**
 * A day as people write it — 14.03.2026 (also 14/03/2026, 14-03-2026), 2026-03-14 — or as Excel stores a date
 * cell (a serial number of days since 30.12.1899) → YYYY-MM-DD; null when it is no real day.
 */
export function parseDay(text: string): string | null {
  const v = text.trim();
  let y: number;
  let m: number;
  let d: number;
  let match = v.match(/^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/);
  if (match) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = v.match(/^(\d{4})-(\d{2})-(\d{2})$/)))
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if (/^\d{5}(\.0+)?$/.test(v))
    return isoDay(new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(v)) * 86_400_000));
  else return null;
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return null;
  return isoDay(day);
}

export type PriorDates = { startedOn: string | null; theoryExamOn: string | null; practicalExamOn: string | null };
export type DateProblem = { field: keyof PriorDates; key: string; params?: Record<string, string> };

/** What is wrong with the dates, per field: none in the future or before 2000, no exam before training started. */
export function priorDateProblems(d: PriorDates, today: string): DateProblem[] {
  const out: DateProblem[] = [];
  for (const field of ["startedOn", "theoryExamOn", "practicalExamOn"] as const) {
    const v = d[field];
    if (!v) continue;
    if (v > today) out.push({ field, key: "adoption.dateInFuture" });
    else if (v < EARLIEST_PRIOR_DATE) out.push({ field, key: "adoption.dateTooEarly" });
    else if (field !== "startedOn" && d.startedOn && v < d.startedOn)
      out.push({ field, key: "adoption.examBeforeStart" });
  }
  return out;
}
