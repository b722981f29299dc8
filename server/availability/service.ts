// The office's side of availability (docs/decisions/032-working-hours-and-downtime.md): an instructor's weekly
// working hours and days off, a car's days out of work. Every change is in the audit log with what it replaced
// or removed. A new period does not cancel the lessons booked inside it: the answer counts them (and names the
// first day) so the office can move them from the grid.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import type { SchoolCtx } from "../trpc.ts";
import { addDays, almatyDate, almatyToInstant, dbDay, isoDay } from "../../domain/kz/time.ts";
import { hasRole, STAFF_VIEWERS } from "../../domain/roles.ts";
import { formatDate } from "../../domain/i18n/index.ts";
import { hoursUnfit, periodOn, type WorkHours } from "../booking/fit.ts";
import { absencesBetween, downtimesBetween, workHours } from "../booking/availability.ts";
import { minuteToTime, timeToMinute } from "../booking/rules.ts";
import type {
  absenceInput,
  downtimeInput,
  hoursInput,
  instructorWeekInput,
  memberInput,
  periodId,
  vehicleInput,
  vehicleWeekInput,
} from "./schema.ts";

type Actor = { id: string };

/** Booked lessons not yet begun, how many and the first one's day (for a link to the grid's week). */
export type Affected = { count: number; firstOn: string | null };

/** The office and inspectors read anyone's; an instructor their own. */
function assertMayRead(school: SchoolCtx, actor: Actor, userId: string) {
  if (!hasRole(school.roles, STAFF_VIEWERS) && actor.id !== userId) throw new AppError("FORBIDDEN", "forbidden");
}

/** A member of this school who teaches driving, by name; another school's person is simply not found. */
async function instructorOf(tx: Tx, school: SchoolCtx, userId: string) {
  const memberships = await tx.membership.findMany({
    where: { schoolId: school.id, userId },
    select: { role: true, user: { select: { fullName: true } } },
  });
  if (memberships.length === 0) throw new AppError("NOT_FOUND", "notFound");
  if (!memberships.some((m) => m.role === "instructor"))
    throw new AppError("BAD_REQUEST", "availability.notInstructor");
  return { fullName: memberships[0]!.user.fullName };
}

async function vehicleOf(tx: Tx, vehicleId: string) {
  // Row-level security hides other schools' cars: their id reads as "not found".
  const v = await tx.vehicle.findUnique({ where: { id: vehicleId }, select: { id: true, plate: true } });
  if (!v) throw new AppError("NOT_FOUND", "notFound");
  return v;
}

/** Booked lessons of the instructor or car that have not begun, from `startsOn` to `endsOn` inclusive. */
async function bookedIn(
  tx: Tx,
  who: { instructorId: string } | { vehicleId: string },
  startsOn: string,
  endsOn: string,
  now: Date,
): Promise<Affected> {
  const from = almatyToInstant(startsOn, "00:00");
  const lessons = await tx.drivingLesson.findMany({
    where: {
      ...who,
      status: "booked",
      startsAt: { gte: from > now ? from : now, lt: almatyToInstant(addDays(endsOn, 1), "00:00") },
    },
    select: { startsAt: true },
    orderBy: { startsAt: "asc" },
  });
  return { count: lessons.length, firstOn: lessons[0] ? almatyDate(lessons[0].startsAt) : null };
}

/** Booked lessons of the instructor, not begun, outside the given working hours. */
async function bookedOutside(tx: Tx, instructorId: string, hours: WorkHours[], now: Date): Promise<Affected> {
  if (hours.length === 0) return { count: 0, firstOn: null };
  const lessons = await tx.drivingLesson.findMany({
    where: { instructorId, status: "booked", startsAt: { gte: now } },
    select: { startsAt: true, endsAt: true },
    orderBy: { startsAt: "asc" },
  });
  const outside = lessons.filter((l) => {
    const date = almatyDate(l.startsAt);
    const from = Math.round((l.startsAt.getTime() - almatyToInstant(date, "00:00").getTime()) / 60_000);
    return hoursUnfit(hours, date, from, from + Math.round((l.endsAt.getTime() - l.startsAt.getTime()) / 60_000));
  });
  return { count: outside.length, firstOn: outside[0] ? almatyDate(outside[0].startsAt) : null };
}

const asClock = (h: WorkHours) => ({ weekday: h.weekday, starts: minuteToTime(h.starts), ends: minuteToTime(h.ends) });

/** A period another one already covers, as the database's exclusion constraint refuses it (a race with the check). */
function overlapRefusal(e: unknown): never {
  const text = JSON.stringify((e as { meta?: unknown })?.meta ?? "") + String((e as Error)?.message ?? "");
  if (/23P01|exclusion constraint|ExclusionConstraint/i.test(text))
    throw new AppError("CONFLICT", "availability.periodTaken", {}, "startsOn");
  throw e;
}

/** Periods kept in view: those not over more than 60 days ago, earliest first. */
const shownSince = (now: Date) => dbDay(addDays(almatyDate(now), -60));

// ---------------------------------------------------------------------------------------------
// An instructor's hours and days off

/** The instructor's working hours and days off (recent and coming), each with the booked lessons inside it. */
export async function staffAvailability(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof memberInput>,
  now = new Date(),
) {
  assertMayRead(school, actor, input.userId);
  const member = await tx.membership.findFirst({ where: { schoolId: school.id, userId: input.userId } });
  if (!member) throw new AppError("NOT_FOUND", "notFound");
  const hours = await workHours(tx, input.userId);
  const rows = await tx.instructorAbsence.findMany({
    where: { userId: input.userId, endsOn: { gte: shownSince(now) } },
    orderBy: { startsOn: "asc" },
  });
  const today = almatyDate(now);
  const absences = [];
  for (const r of rows) {
    const startsOn = isoDay(r.startsOn);
    const endsOn = isoDay(r.endsOn);
    absences.push({
      id: r.id,
      startsOn,
      endsOn,
      reason: r.reason as "leave" | "sick" | "other",
      note: r.note,
      removable: endsOn >= today,
      lessons: await bookedIn(tx, { instructorId: input.userId }, startsOn, endsOn, now),
    });
  }
  return {
    hours: hours.map(asClock),
    outside: await bookedOutside(tx, input.userId, hours, now),
    absences,
  };
}

/** Replaces the instructor's whole week; an empty list lifts every restriction. */
export async function saveHours(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof hoursInput>,
  meta: RequestMeta,
  now = new Date(),
) {
  await instructorOf(tx, school, input.userId);
  const previous = await workHours(tx, input.userId);
  const hours = input.hours
    .map((h) => ({ weekday: h.weekday, starts: timeToMinute(h.starts), ends: timeToMinute(h.ends) }))
    .sort((a, b) => a.weekday - b.weekday || a.starts - b.starts);
  await tx.instructorHours.deleteMany({ where: { userId: input.userId } });
  if (hours.length > 0)
    await tx.instructorHours.createMany({
      data: hours.map((h) => ({ schoolId: school.id, userId: input.userId, ...h })),
    });
  await audit(tx, meta, {
    action: "availability.hours_saved",
    schoolId: school.id,
    actorUserId: actor.id,
    details: { userId: input.userId, hours: hours.map(asClock), previous: previous.map(asClock) },
  });
  return { userId: input.userId, outside: await bookedOutside(tx, input.userId, hours, now) };
}

/** A period of whole days off; the lessons already booked inside it stay, and are counted in the answer. */
export async function addAbsence(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof absenceInput>,
  meta: RequestMeta,
  now = new Date(),
) {
  await instructorOf(tx, school, input.userId);
  if (input.endsOn < almatyDate(now)) throw new AppError("BAD_REQUEST", "availability.inPast", {}, "endsOn");
  const [taken] = await absencesBetween(tx, input.userId, input.startsOn, input.endsOn);
  if (taken)
    throw new AppError(
      "CONFLICT",
      "availability.absenceOverlap",
      { from: formatDate(taken.startsOn), to: formatDate(taken.endsOn) },
      "startsOn",
    );
  const id = randomUUID();
  await tx.instructorAbsence
    .createMany({
      data: [
        {
          id,
          schoolId: school.id,
          userId: input.userId,
          startsOn: dbDay(input.startsOn),
          endsOn: dbDay(input.endsOn),
          reason: input.reason,
          note: input.note,
          createdBy: actor.id,
        },
      ],
    })
    .catch(overlapRefusal);
  await audit(tx, meta, {
    action: "availability.absence_added",
    schoolId: school.id,
    actorUserId: actor.id,
    details: { id, userId: input.userId, startsOn: input.startsOn, endsOn: input.endsOn, reason: input.reason },
  });
  return { id, lessons: await bookedIn(tx, { instructorId: input.userId }, input.startsOn, input.endsOn, now) };
}

/** Removes a day-off period that is not over yet (what is past stays as it was). */
export async function removeAbsence(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof periodId>,
  meta: RequestMeta,
  now = new Date(),
) {
  const row = await tx.instructorAbsence.findUnique({ where: { id: input.id } });
  if (!row) throw new AppError("NOT_FOUND", "notFound");
  if (isoDay(row.endsOn) < almatyDate(now)) throw new AppError("BAD_REQUEST", "availability.pastPeriod");
  const { count } = await tx.instructorAbsence.deleteMany({ where: { id: row.id } });
  if (count !== 1) throw new AppError("NOT_FOUND", "notFound");
  await audit(tx, meta, {
    action: "availability.absence_removed",
    schoolId: school.id,
    actorUserId: actor.id,
    details: {
      id: row.id,
      userId: row.userId,
      startsOn: isoDay(row.startsOn),
      endsOn: isoDay(row.endsOn),
      reason: row.reason,
      note: row.note,
    },
  });
  return { id: row.id, userId: row.userId };
}

// ---------------------------------------------------------------------------------------------
// A car's days out of work

/** The car's days out of work (recent and coming), each with the booked lessons inside it. */
export async function vehicleAvailability(tx: Tx, input: z.infer<typeof vehicleInput>, now = new Date()) {
  const v = await vehicleOf(tx, input.vehicleId);
  const rows = await tx.vehicleDowntime.findMany({
    where: { vehicleId: v.id, endsOn: { gte: shownSince(now) } },
    orderBy: { startsOn: "asc" },
  });
  const today = almatyDate(now);
  const downtimes = [];
  for (const r of rows) {
    const startsOn = isoDay(r.startsOn);
    const endsOn = isoDay(r.endsOn);
    downtimes.push({
      id: r.id,
      startsOn,
      endsOn,
      reason: r.reason as "service" | "inspection" | "other",
      note: r.note,
      removable: endsOn >= today,
      lessons: await bookedIn(tx, { vehicleId: v.id }, startsOn, endsOn, now),
    });
  }
  return { downtimes };
}

export async function addDowntime(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof downtimeInput>,
  meta: RequestMeta,
  now = new Date(),
) {
  const v = await vehicleOf(tx, input.vehicleId);
  if (input.endsOn < almatyDate(now)) throw new AppError("BAD_REQUEST", "availability.inPast", {}, "endsOn");
  const [taken] = await downtimesBetween(tx, [v.id], input.startsOn, input.endsOn);
  if (taken)
    throw new AppError(
      "CONFLICT",
      "availability.downtimeOverlap",
      { from: formatDate(taken.startsOn), to: formatDate(taken.endsOn) },
      "startsOn",
    );
  const id = randomUUID();
  await tx.vehicleDowntime
    .createMany({
      data: [
        {
          id,
          schoolId: school.id,
          vehicleId: v.id,
          startsOn: dbDay(input.startsOn),
          endsOn: dbDay(input.endsOn),
          reason: input.reason,
          note: input.note,
          createdBy: actor.id,
        },
      ],
    })
    .catch(overlapRefusal);
  await audit(tx, meta, {
    action: "availability.downtime_added",
    schoolId: school.id,
    actorUserId: actor.id,
    details: {
      id,
      vehicleId: v.id,
      plate: v.plate,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      reason: input.reason,
    },
  });
  return { id, lessons: await bookedIn(tx, { vehicleId: v.id }, input.startsOn, input.endsOn, now) };
}

export async function removeDowntime(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof periodId>,
  meta: RequestMeta,
  now = new Date(),
) {
  const row = await tx.vehicleDowntime.findUnique({ where: { id: input.id } });
  if (!row) throw new AppError("NOT_FOUND", "notFound");
  if (isoDay(row.endsOn) < almatyDate(now)) throw new AppError("BAD_REQUEST", "availability.pastPeriod");
  const { count } = await tx.vehicleDowntime.deleteMany({ where: { id: row.id } });
  if (count !== 1) throw new AppError("NOT_FOUND", "notFound");
  await audit(tx, meta, {
    action: "availability.downtime_removed",
    schoolId: school.id,
    actorUserId: actor.id,
    details: {
      id: row.id,
      vehicleId: row.vehicleId,
      startsOn: isoDay(row.startsOn),
      endsOn: isoDay(row.endsOn),
      reason: row.reason,
      note: row.note,
    },
  });
  return { id: row.id, vehicleId: row.vehicleId };
}

// ---------------------------------------------------------------------------------------------
// The week grid

/** Each day from `from` to `to` with the period covering it, if any. */
function coveredDays<P extends { startsOn: string; endsOn: string; reason: string }>(
  periods: P[],
  from: string,
  to: string,
) {
  const days: { date: string; reason: P["reason"] }[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const p = periodOn(periods, d);
    if (p) days.push({ date: d, reason: p.reason });
  }
  return days;
}

/** What the grid shades for an instructor: their weekly hours (empty: any time) and their days off. */
export async function instructorWeek(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof instructorWeekInput>,
) {
  assertMayRead(school, actor, input.instructorId);
  const absences = await absencesBetween(tx, input.instructorId, input.from, input.to);
  return { hours: await workHours(tx, input.instructorId), days: coveredDays(absences, input.from, input.to) };
}

/** What the grid shades for a car: its days out of work. */
export async function vehicleWeek(tx: Tx, input: z.infer<typeof vehicleWeekInput>) {
  const down = await downtimesBetween(tx, [input.vehicleId], input.from, input.to);
  return { hours: [] as WorkHours[], days: coveredDays(down, input.from, input.to) };
}
