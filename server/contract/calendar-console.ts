// The operator's working-day calendar: a year as in force (the operator's version or the built-in one) with
// its weekday days off, and a year saved from "YYYY-MM-DD text" lines (which reloads the calendar the
// deadlines are counted with).
import type { Tx } from "../db/client.ts";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { addDays } from "../../domain/kz/time.ts";
import { calendarYear, dayOffReason, isBuiltinYear, loadCalendar, type YearCalendar } from "./calendar.ts";

/** "YYYY-MM-DD text" lines (a trailing "*" marks a religious holiday) → entries of that year. */
function parseLines(text: string, y: number, field: string) {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => {
      const m = l.match(/^(\d{4}-\d{2}-\d{2})\s*(.*?)\s*(\*)?$/);
      const ok =
        m &&
        m[1]!.startsWith(`${y}-`) &&
        !Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`)) &&
        new Date(`${m[1]}T00:00:00Z`).toISOString().startsWith(m[1]!);
      if (!ok) throw new AppError("BAD_REQUEST", "contract.calendarLine", { line: i + 1, year: y }, field);
      return { date: m[1]!, text: m[2] ?? "", religious: !!m[3] };
    });
}

/** A year of the calendar as in force (the operator's version or the built-in one) and its weekday days off. */
export async function calendarForYear(db: Tx, input: { year: number }) {
  await loadCalendar(db);
  const y = calendarYear(input.year);
  const saved = await db.workCalendar.findUnique({ where: { year: input.year }, select: { updatedAt: true } });
  const daysOff: { date: string; reason: "holiday" | "carried" | "decree" }[] = [];
  for (let d = `${input.year}-01-01`; d.startsWith(String(input.year)); d = addDays(d, 1)) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    const reason = dayOffReason(d);
    if (dow !== 0 && dow !== 6 && reason && !y.workingDays.some((w) => w.date === d)) daysOff.push({ date: d, reason });
  }
  const holidays = [...y.holidays].sort((a, b) => a.date.localeCompare(b.date));
  return {
    ...y,
    holidays,
    source: saved ? "operator" : isBuiltinYear(input.year) ? "builtin" : "rules",
    updatedAt: saved?.updatedAt ?? null,
    daysOffList: daysOff,
  };
}

/** Saves a year (holidays, days off and working days by decree), audited, then reloads the calendar. */
export async function saveCalendar(
  db: PrismaClient,
  actor: { id: string },
  meta: RequestMeta,
  input: { year: number; holidays: string; daysOff: string; workingDays: string },
) {
  const y: YearCalendar = {
    year: input.year,
    holidays: parseLines(input.holidays, input.year, "holidays").map((l) => ({
      date: l.date,
      name: l.text,
      ...(l.religious ? { religious: true } : {}),
    })),
    daysOff: parseLines(input.daysOff, input.year, "daysOff").map((l) => ({ date: l.date, act: l.text })),
    workingDays: parseLines(input.workingDays, input.year, "workingDays").map((l) => ({
      date: l.date,
      act: l.text,
    })),
  };
  await db.$transaction(async (tx) => {
    const data = {
      holidays: y.holidays,
      daysOff: y.daysOff,
      workingDays: y.workingDays,
      updatedBy: actor.id,
      updatedAt: new Date(),
    };
    await tx.workCalendar.upsert({ where: { year: y.year }, create: { year: y.year, ...data }, update: data });
    await audit(tx, meta, {
      action: "calendar.saved",
      actorUserId: actor.id,
      details: {
        year: y.year,
        holidays: y.holidays.length,
        daysOff: y.daysOff.length,
        workingDays: y.workingDays.length,
      },
    });
  });
  await loadCalendar(db);
  return { year: y.year };
}
