// Trainee self-booking, run inside the cabinet's transaction as the database role avtomektep_trainee
// (docs/decisions/011-trainee-self-booking.md): the trainee's own rows through its policies, the
// instructor's and cars' busy times only through the narrow SECURITY DEFINER functions.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { addDays, almatyDate, almatyTime, almatyToInstant, mondayOf } from "../../domain/kz/time.ts";
import { appendJournal } from "../training/journal.ts";
import { insertLesson } from "../training/lessons.ts";
import { queueLessonNotice } from "../notify/lessons.ts";
import type { TraineeCtx } from "../trpc.ts";
import { formatDate, type Locale } from "../../domain/i18n/index.ts";
import type { TraineeCancelReason } from "../../domain/lessons.ts";
import { readRules, minuteToTime, timeToMinute, type BookingRulesValue } from "./rules.ts";
import {
  hoursUnfit,
  instructorUnfit,
  overlaps,
  periodOn,
  traineeUnfit,
  vehicleUnfit,
  type DayPeriod,
  type FitInstructor,
} from "./fit.ts";
import { instructorDaysOff, vehicleDaysDown, workHours } from "./availability.ts";

type Busy = { what: "instructor" | "vehicle"; vehicleId: string | null; startsAt: Date; endsAt: Date };

async function busyTimes(tx: Tx, from: Date, to: Date): Promise<Busy[]> {
  const rows = await tx.$queryRaw<
    { what: "instructor" | "vehicle"; vehicle_id: string | null; starts_at: Date; ends_at: Date }[]
  >`
    SELECT what, vehicle_id, starts_at, ends_at FROM booking_busy_times(${from}::timestamptz, ${to}::timestamptz)`;
  return rows.map((r) => ({ what: r.what, vehicleId: r.vehicle_id, startsAt: r.starts_at, endsAt: r.ends_at }));
}

async function ownInstructor(tx: Tx): Promise<(FitInstructor & { id: string; fullName: string }) | null> {
  const [row] = await tx.$queryRaw<
    {
      user_id: string;
      full_name: string;
      is_instructor: boolean;
      licence_categories: string[];
      cert_valid_until: Date | null;
    }[]
  >`
    SELECT user_id, full_name, is_instructor, licence_categories, cert_valid_until FROM booking_instructor()`;
  return row
    ? {
        id: row.user_id,
        fullName: row.full_name,
        isInstructor: row.is_instructor,
        licenceCategories: row.licence_categories,
        certValidUntil: row.cert_valid_until,
      }
    : null;
}

/** Everything a booking decision needs, read as the trainee. */
async function situation(tx: Tx, me: TraineeCtx) {
  const rules = await readRules(tx, me.schoolId);
  const trainee = await tx.trainee.findUniqueOrThrow({
    where: { id: me.id },
    select: { id: true, firstName: true, category: true, gearbox: true, status: true, instructorId: true },
  });
  const instructor = trainee.instructorId ? await ownInstructor(tx) : null;
  // The instructor's weekly hours (none: any time), read through the trainee's own policy.
  const hours = instructor ? await workHours(tx, instructor.id) : [];
  const vehicles = await tx.vehicle.findMany({
    where: { active: true, category: trainee.category, gearbox: trainee.gearbox },
    select: {
      id: true,
      plate: true,
      category: true,
      gearbox: true,
      active: true,
      insuranceValidUntil: true,
      inspectionValidUntil: true,
    },
    orderBy: { plate: "asc" },
  });
  return { rules, trainee, instructor, hours, vehicles };
}

/** The instructor's days off and the cars' days out of work from `from` to `to`, dates only (the trainee's grant). */
async function daysOff(tx: Tx, instructorId: string, from: string, to: string) {
  // One after the other: a transaction runs one query at a time.
  const absent = await instructorDaysOff(tx, instructorId, from, to);
  const down = await vehicleDaysDown(tx, from, to);
  const carDown = (vehicleId: string, date: string) =>
    periodOn(
      down.filter((d) => d.vehicleId === vehicleId),
      date,
    ) !== null;
  return { absent: (date: string) => periodOn<DayPeriod>(absent, date) !== null, carDown };
}

/** A slot from `time` for `minutes` on `date` lies within the instructor's working hours (always, with none set). */
function withinHours(hours: Parameters<typeof hoursUnfit>[0], date: string, time: string, minutes: number) {
  const from = timeToMinute(time);
  return hoursUnfit(hours, date, from, from + minutes) === null;
}

type State = "ok" | "disabled" | "notInTraining" | "noInstructor";
function stateOf(s: Awaited<ReturnType<typeof situation>>): State {
  if (!s.rules.enabled) return "disabled";
  if (traineeUnfit(s.trainee)) return "notInTraining";
  if (!s.instructor) return "noInstructor";
  return "ok";
}

const ACTIVE = { not: "cancelled" as const };

/** The trainee's own lessons that count towards the weekly limit in the Mon–Sun Astana week of `date`. */
async function lessonsInWeek(tx: Tx, traineeId: string, date: string): Promise<number> {
  const monday = mondayOf(date);
  return tx.drivingLesson.count({
    where: {
      traineeId,
      status: ACTIVE,
      startsAt: { gte: almatyToInstant(monday, "00:00"), lt: almatyToInstant(addDays(monday, 7), "00:00") },
    },
  });
}

function grid(rules: BookingRulesValue): string[] {
  const times: string[] = [];
  for (let m = rules.opensMinute; m + rules.slotMinutes <= rules.closesMinute; m += rules.slotMinutes)
    times.push(minuteToTime(m));
  return times;
}

/** The dates a trainee may book on today: today and the next windowDays − 1 days. */
function windowDates(rules: BookingRulesValue, now: Date): string[] {
  const today = almatyDate(now);
  return Array.from({ length: rules.windowDays }, (_, i) => addDays(today, i));
}

function cancelDeadline(rules: BookingRulesValue, startsAt: Date): Date {
  return new Date(startsAt.getTime() - rules.cancelHours * 3600_000);
}

/** The cabinet's booking page: the school, free times per day, and the trainee's own booked lessons. */
export async function bookingView(tx: Tx, me: TraineeCtx, now = new Date()) {
  const s = await situation(tx, me);
  const state = stateOf(s);
  const mineRows = await tx.drivingLesson.findMany({
    where: { traineeId: me.id, status: "booked", startsAt: { gt: now } },
    select: { id: true, startsAt: true, endsAt: true },
    orderBy: { startsAt: "asc" },
  });
  const mine = mineRows.map((l) => ({
    ...l,
    cancelUntil: cancelDeadline(s.rules, l.startsAt),
    canCancel: now < cancelDeadline(s.rules, l.startsAt),
  }));
  const rules = {
    windowDays: s.rules.windowDays,
    cancelHours: s.rules.cancelHours,
    weeklyLimit: s.rules.weeklyLimit,
    slotMinutes: s.rules.slotMinutes,
  };
  const school = { slug: me.schoolSlug, name: me.schoolName };
  const base = { school, state, rules, instructorName: s.instructor?.fullName ?? null, mine };
  if (state !== "ok") return { ...base, days: [] };

  const dates = windowDates(s.rules, now);
  const from = almatyToInstant(dates[0]!, "00:00");
  const to = almatyToInstant(addDays(dates[dates.length - 1]!, 1), "00:00");
  const busy = await busyTimes(tx, from, to);
  const off = await daysOff(tx, s.instructor!.id, dates[0]!, dates[dates.length - 1]!);
  const own = await tx.drivingLesson.findMany({
    where: {
      traineeId: me.id,
      status: ACTIVE,
      startsAt: { lt: to },
      endsAt: { gt: new Date(from.getTime() - 7 * 86_400_000) },
    },
    select: { startsAt: true, endsAt: true },
  });
  const weekCount = new Map<string, number>();
  for (const l of own) {
    const monday = mondayOf(almatyDate(l.startsAt));
    weekCount.set(monday, (weekCount.get(monday) ?? 0) + 1);
  }
  const times = grid(s.rules);
  const days = dates.map((date) => {
    const weekFull = (weekCount.get(mondayOf(date)) ?? 0) >= s.rules.weeklyLimit;
    if (weekFull || instructorUnfit(s.instructor!, s.trainee.category, date) || off.absent(date))
      return { date, weekFull, times: [] };
    const cars = s.vehicles.filter((v) => !vehicleUnfit(v, s.trainee, date) && !off.carDown(v.id, date));
    const free = times.filter((time) => {
      const start = almatyToInstant(date, time);
      const end = new Date(start.getTime() + s.rules.slotMinutes * 60_000);
      if (start <= now) return false;
      if (!withinHours(s.hours, date, time, s.rules.slotMinutes)) return false;
      if (own.some((l) => overlaps(start, end, l.startsAt, l.endsAt))) return false;
      if (busy.some((b) => b.what === "instructor" && overlaps(start, end, b.startsAt, b.endsAt))) return false;
      return cars.some(
        (c) =>
          !busy.some((b) => b.what === "vehicle" && b.vehicleId === c.id && overlaps(start, end, b.startsAt, b.endsAt)),
      );
    });
    // What the trainee is told before confirming: until when they may cancel, or that they may not.
    const offered = free.map((time) => {
      const cancelUntil = cancelDeadline(s.rules, almatyToInstant(date, time));
      return { time, cancelUntil, cancellable: now < cancelUntil };
    });
    return { date, weekFull, times: offered };
  });
  return { ...base, days };
}

const STATE_ERROR = {
  disabled: "booking.disabled",
  notInTraining: "booking.notInTraining",
  noInstructor: "booking.noInstructor",
} as const;

/** Books one slot of the trainee's own instructor, with a free suitable car, within the school's rules. */
export async function bookSelf(
  tx: Tx,
  me: TraineeCtx,
  actor: { id: string; locale: Locale },
  input: { date: string; time: string },
  now = new Date(),
) {
  // One booking of a trainee at a time, so two tabs can't both pass the weekly limit.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`booking:${me.id}`}, 0))`;
  const s = await situation(tx, me);
  const state = stateOf(s);
  if (state !== "ok") throw new AppError("BAD_REQUEST", STATE_ERROR[state]);
  const instructor = s.instructor!;
  if (!grid(s.rules).includes(input.time)) throw new AppError("BAD_REQUEST", "booking.notOnGrid", {}, "time");
  const startsAt = almatyToInstant(input.date, input.time);
  const endsAt = new Date(startsAt.getTime() + s.rules.slotMinutes * 60_000);
  if (startsAt <= now) throw new AppError("BAD_REQUEST", "booking.inPast", {}, "time");
  if (!windowDates(s.rules, now).includes(input.date))
    throw new AppError("BAD_REQUEST", "booking.outsideWindow", { days: s.rules.windowDays }, "date");
  const inWeek = await lessonsInWeek(tx, me.id, input.date);
  if (inWeek >= s.rules.weeklyLimit) {
    throw new AppError(
      "BAD_REQUEST",
      "booking.weeklyLimit",
      {
        limit: s.rules.weeklyLimit,
        from: formatDate(mondayOf(input.date)),
        to: formatDate(addDays(mondayOf(input.date), 6)),
      },
      "date",
    );
  }
  const off = await daysOff(tx, instructor.id, input.date, input.date);
  if (instructorUnfit(instructor, s.trainee.category, input.date) || off.absent(input.date))
    throw new AppError("BAD_REQUEST", "booking.instructorUnavailable", {}, "time");
  if (!withinHours(s.hours, input.date, input.time, s.rules.slotMinutes))
    throw new AppError("BAD_REQUEST", "booking.instructorOffHours", {}, "time");
  const ownClash = await tx.drivingLesson.findFirst({
    where: { traineeId: me.id, status: ACTIVE, startsAt: { lt: endsAt }, endsAt: { gt: startsAt } },
    select: { id: true },
  });
  if (ownClash) throw new AppError("CONFLICT", "booking.ownClash", {}, "time");
  const busy = await busyTimes(tx, startsAt, endsAt);
  if (busy.some((b) => b.what === "instructor")) throw new AppError("CONFLICT", "booking.slotTaken", {}, "time");
  const cars = s.vehicles.filter(
    (v) =>
      !vehicleUnfit(v, s.trainee, input.date) &&
      !off.carDown(v.id, input.date) &&
      !busy.some((b) => b.vehicleId === v.id),
  );
  if (cars.length === 0) throw new AppError("CONFLICT", "booking.noVehicle", {}, "time");

  const id = randomUUID();
  let vehicleId: string | null = null;
  for (const car of cars) {
    // A savepoint per car: a car taken a moment ago leaves the transaction usable for the next one.
    const which = await insertLesson(tx, {
      id,
      schoolId: me.schoolId,
      traineeId: me.id,
      instructorId: instructor.id,
      vehicleId: car.id,
      startsAt,
      endsAt,
      bookedBy: actor.id,
    });
    if (which === null) {
      vehicleId = car.id;
      break;
    }
    if (which === "trainee") throw new AppError("CONFLICT", "booking.ownClash", {}, "time");
    if (which === "instructor") throw new AppError("CONFLICT", "booking.slotTaken", {}, "time");
  }
  if (!vehicleId) throw new AppError("CONFLICT", "booking.slotTaken", {}, "time");
  await appendJournal(tx, me.schoolId, {
    kind: "lesson.booked",
    actorUserId: actor.id,
    subjectId: me.id,
    data: {
      lessonId: id,
      instructorId: instructor.id,
      vehicleId,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      byTrainee: true,
    },
  });
  await queueLessonNotice(tx, id, "booked", actor.locale);
  return { id, startsAt, endsAt };
}

/** Cancels one of the trainee's own booked lessons, no later than the school's deadline, saying why. */
export async function cancelSelf(
  tx: Tx,
  me: TraineeCtx,
  actor: { id: string; locale: Locale },
  input: { lessonId: string; reason: TraineeCancelReason; note?: string | null },
  now = new Date(),
) {
  // The trainee role sees only the trainee's own lessons: anyone else's is simply not found.
  const lesson = await tx.drivingLesson.findFirst({
    where: { id: input.lessonId, traineeId: me.id },
    select: { id: true, status: true, startsAt: true },
  });
  if (!lesson) throw new AppError("NOT_FOUND", "notFound");
  if (lesson.status !== "booked") throw new AppError("BAD_REQUEST", "training.onlyBookedCancel");
  const rules = await readRules(tx, me.schoolId);
  if (now >= cancelDeadline(rules, lesson.startsAt)) {
    throw new AppError("BAD_REQUEST", "booking.tooLateToCancel", {
      hours: rules.cancelHours,
      time: almatyTime(lesson.startsAt),
    });
  }
  const { count } = await tx.drivingLesson.updateMany({
    where: { id: lesson.id, status: "booked" },
    data: { status: "cancelled", cancelReason: input.reason, cancelNote: input.note ?? null },
  });
  if (count !== 1) throw new AppError("CONFLICT", "training.onlyBookedCancel");
  await appendJournal(tx, me.schoolId, {
    kind: "lesson.cancelled",
    actorUserId: actor.id,
    subjectId: me.id,
    data: {
      lessonId: lesson.id,
      startsAt: lesson.startsAt.toISOString(),
      cancelReason: input.reason,
      note: input.note ?? null,
      byTrainee: true,
    },
  });
  await queueLessonNotice(tx, lesson.id, "cancelled", actor.locale);
  return { id: lesson.id };
}
