// Working days and support hours: the pure functions every contract deadline is counted with.
// Dates are Almaty calendar dates `YYYY-MM-DD`. The calendar (holidays, decree transfers) is data: built-in per
// year (calendar-data.ts), replaced per year by the operator's table work_calendar through loadCalendar(db),
// which the web and worker processes call at start and after the operator saves a year.
import { addDays, almatyDate, almatyToInstant } from "../../domain/kz/time.ts";
import { BUILTIN_CALENDAR, defaultYear, type YearCalendar } from "./calendar-data.ts";

export type { YearCalendar } from "./calendar-data.ts";

type Derived = { holidays: Set<string>; daysOff: Set<string>; workingDays: Set<string>; carried: Map<string, string> };

let overrides = new Map<number, YearCalendar>();
let derived = new Map<number, Derived>();

/** Replaces the operator's overrides (the years not listed use the built-in data). */
export function setCalendar(years: YearCalendar[]): void {
  overrides = new Map(years.map((y) => [y.year, y]));
  derived = new Map();
}

/** The effective data for a year: the operator's version if saved, else the built-in one. */
export function calendarYear(year: number): YearCalendar {
  return overrides.get(year) ?? defaultYear(year);
}

export function isBuiltinYear(year: number): boolean {
  return BUILTIN_CALENDAR.some((y) => y.year === year);
}

type CalendarDb = { $queryRaw<T>(q: TemplateStringsArray, ...v: unknown[]): PromiseLike<T> };

let loaded: { at: number; done: Promise<void> } | undefined;

/**
 * Loads the operator's calendar if this process has not in the last minute (a year saved on another web
 * instance reaches this one within a minute; a save here reloads at once).
 */
export function ensureCalendar(db: CalendarDb, maxAgeMs = 60_000): Promise<void> {
  if (!loaded || Date.now() - loaded.at > maxAgeMs) {
    const done = loadCalendar(db);
    loaded = { at: Date.now(), done };
    done.catch(() => (loaded = undefined));
  }
  return loaded.done;
}

/** Refreshes the module's calendar from the work_calendar table (call at start and after a save). */
export async function loadCalendar(db: CalendarDb): Promise<void> {
  const rows = await db.$queryRaw<{ year: number; holidays: unknown; days_off: unknown; working_days: unknown }[]>`
    SELECT year, holidays, days_off, working_days FROM work_calendar`;
  setCalendar(
    rows.map((r) => ({
      year: r.year,
      holidays: r.holidays as YearCalendar["holidays"],
      daysOff: r.days_off as YearCalendar["daysOff"],
      workingDays: r.working_days as YearCalendar["workingDays"],
    })),
  );
}

const yearOf = (date: string) => Number(date.slice(0, 4));
const dow = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday

function base(year: number): Omit<Derived, "carried"> {
  const y = calendarYear(year);
  return {
    holidays: new Set(y.holidays.map((h) => h.date)),
    daysOff: new Set(y.daysOff.map((t) => t.date)),
    workingDays: new Set(y.workingDays.map((t) => t.date)),
  };
}

/**
 * A year's sets plus its carry-overs: a national or state holiday falling on a Saturday or Sunday moves the
 * next working day off (religious holidays are not carried). A carry may land in the next year.
 */
function derive(year: number): Derived {
  const hit = derived.get(year);
  if (hit) return hit;
  const own = base(year);
  const next = base(year + 1);
  const carried = new Map<string, string>();
  const blocked = (d: string) => {
    const s = yearOf(d) === year ? own : next;
    return (
      s.holidays.has(d) ||
      s.daysOff.has(d) ||
      carried.has(d) ||
      ((dow(d) === 0 || dow(d) === 6) && !s.workingDays.has(d))
    );
  };
  for (const h of [...calendarYear(year).holidays].sort((a, b) => a.date.localeCompare(b.date))) {
    if (h.religious || !(dow(h.date) === 0 || dow(h.date) === 6) || own.workingDays.has(h.date)) continue;
    let d = addDays(h.date, 1);
    while (blocked(d)) d = addDays(d, 1);
    carried.set(d, h.date);
  }
  const out = { ...own, carried };
  derived.set(year, out);
  return out;
}

/** Why a date is a day off other than the weekend: a holiday, a carry-over, or a decree; null if none. */
export function dayOffReason(date: string): "holiday" | "carried" | "decree" | null {
  const y = derive(yearOf(date));
  if (y.holidays.has(date)) return "holiday";
  if (y.daysOff.has(date)) return "decree";
  if (y.carried.has(date) || derive(yearOf(date) - 1).carried.has(date)) return "carried";
  return null;
}

function isDecreeWorkingDay(date: string): boolean {
  return derive(yearOf(date)).workingDays.has(date);
}

/** A working day under the Labour Code: not a weekend (unless a decree made it working), holiday or day off. */
export function isWorkingDay(date: string): boolean {
  if (isDecreeWorkingDay(date)) return true;
  const d = dow(date);
  if (d === 0 || d === 6) return false;
  return dayOffReason(date) === null;
}

/**
 * The date n working days after `date` (day 1 is the first working day after it; the date itself does not
 * count, whatever it is). A negative n counts back: -2 is the second working day before `date`.
 */
export function addWorkingDays(date: string, n: number): string {
  const step = n < 0 ? -1 : 1;
  let d = date;
  for (let left = Math.abs(n); left > 0; ) {
    d = addDays(d, step);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** `YYYY-MM-DD` plus n calendar days. */
export function addCalendarDays(date: string, n: number): string {
  return addDays(date, n);
}

/** Support hours of a date, minutes from midnight Almaty, or null: Mon–Fri 09–18, Sat 09–13, not Sunday or a holiday. */
export function supportHours(date: string): { open: number; close: number } | null {
  if (isDecreeWorkingDay(date)) return { open: 9 * 60, close: 18 * 60 };
  const d = dow(date);
  if (d === 0 || dayOffReason(date) !== null) return null;
  return { open: 9 * 60, close: d === 6 ? 13 * 60 : 18 * 60 };
}

/**
 * When `businessHours` of support time have passed since `openedAt`, counting only support hours
 * (opened outside them, the clock starts at the next opening). Saturday 12:30 + 4 h → Monday 12:30.
 */
export function supportDeadline(openedAt: Date, businessHours: number): Date {
  let left = Math.round(businessHours * 60);
  let date = almatyDate(openedAt);
  const local = new Date(openedAt.getTime() + 5 * 3600_000);
  let from = local.getUTCHours() * 60 + local.getUTCMinutes() + local.getUTCSeconds() / 60;
  for (let guard = 0; guard < 3700; guard++) {
    const h = supportHours(date);
    if (h) {
      const start = Math.max(h.open, from);
      const available = Math.max(0, h.close - start);
      if (left <= available && (left > 0 || start < h.close)) {
        const at = start + left;
        const hh = String(Math.floor(at / 60)).padStart(2, "0");
        const mm = String(Math.floor(at % 60)).padStart(2, "0");
        const base = almatyToInstant(date, `${hh}:${mm}`);
        return new Date(base.getTime() + Math.round((at % 1) * 60) * 1000);
      }
      left -= available;
    }
    date = addDays(date, 1);
    from = 0;
  }
  throw new Error("supportDeadline: no support hours within ten years");
}
