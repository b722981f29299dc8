// Kazakhstan is on one time zone, UTC+5 (Asia/Almaty, since 1 March 2024), with no daylight saving.
export const ALMATY_OFFSET = "+05:00";

/** A wall-clock date and time in Astana/Almaty (`2026-11-26`, `10:30`) as an instant. */
export function almatyToInstant(date: string, time: string): Date {
  return new Date(`${date}T${time}:00${ALMATY_OFFSET}`);
}

/** Today's date in Almaty, `YYYY-MM-DD`, for a given instant. */
export function almatyDate(now: Date): string {
  return isoDay(new Date(now.getTime() + 5 * 3600_000));
}

/** `HH:MM` in Almaty for an instant. */
export function almatyTime(at: Date): string {
  return new Date(at.getTime() + 5 * 3600_000).toISOString().slice(11, 16);
}

/** Whether `s` (`YYYY-MM-DD`) names a real day: February 30th and November 36th don't. */
export function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A DATE column as it is read (midnight UTC) as `YYYY-MM-DD`. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** isoDay for a column that may be empty. */
export function isoDayOrNull(d: Date | null | undefined): string | null {
  return d ? isoDay(d) : null;
}

/** `YYYY-MM-DD` as the Date a DATE column takes (midnight UTC). */
export function dbDay(s: string): Date {
  return new Date(`${s}T00:00:00Z`);
}

/** Does a lesson from `time` (`HH:MM`) lasting `minutes` end on the day it starts? Ending at midnight does. */
export function endsSameDay(time: string, minutes: number): boolean {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)) + minutes <= 24 * 60;
}

/** `YYYY-MM-DD` plus n calendar days. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDay(d);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The Monday of the week a date falls in. */
export function mondayOf(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, dow === 0 ? -6 : 1 - dow);
}

/** A day as a person writes it, `DD.MM.YYYY` (or `YYYY-MM-DD`), as `YYYY-MM-DD`; null for a day the calendar lacks. */
export function parseDay(value: string): string | null {
  const dmy = value.trim().match(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/);
  const ymd = value.trim().match(/^(\d{4})-(\d{2})-(\d{2})$/);
  const [y, m, d] = dmy ? [dmy[3], dmy[2], dmy[1]] : ymd ? [ymd[1], ymd[2], ymd[3]] : [];
  if (!y || !m || !d) return null;
  const iso = `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && isoDay(parsed) === iso ? iso : null;
}
