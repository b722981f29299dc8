// Driving lessons: booking with the fit checks a registrar would otherwise do by eye (server/booking/fit.ts,
// the same rules the trainee's self-booking applies), and the database's exclusion constraints as the
// final word on double bookings.
import { randomUUID } from "node:crypto";
import type { Prisma, Tx } from "../db/client.ts";
import { insertOrClash } from "../db/savepoint.ts";
import { AppError } from "../errors.ts";
import { almatyTime, almatyToInstant, endsSameDay, isoDay } from "../../domain/kz/time.ts";
import { appendJournal, dbNow } from "./journal.ts";
import type { SchoolCtx } from "../trpc.ts";
import { queueLessonNotice } from "../notify/lessons.ts";
import { formatDate, type Locale } from "../../domain/i18n/index.ts";
import { mayHandleOwn } from "../../domain/roles.ts";
import type { CancelReason } from "../../domain/lessons.ts";
import {
  hoursOn,
  hoursText,
  hoursUnfit,
  instructorUnfit,
  periodOn,
  traineeUnfit,
  vehicleUnfit,
  type FitVehicle,
  type InstructorUnfit,
  type VehicleUnfit,
} from "../booking/fit.ts";
import { minuteToTime, timeToMinute } from "../booking/rules.ts";
import { absencesBetween, downtimesBetween, workHours } from "../booking/availability.ts";

/** Who acts, and in which language they work (the trainee's notices fall back to it). */
type Actor = { id: string; locale?: Locale };

/** Which of the three exclusion constraints a failed insert hit, if any. */
function exclusionConstraint(e: unknown): "instructor" | "trainee" | "vehicle" | null {
  const text = JSON.stringify((e as { meta?: unknown })?.meta ?? "") + String((e as Error)?.message ?? "");
  if (!/23P01|exclusion constraint|ExclusionConstraint/i.test(text)) return null;
  const m = text.match(/driving_lesson_(instructor|trainee|vehicle)_busy/);
  return (m?.[1] as "instructor" | "trainee" | "vehicle" | undefined) ?? null;
}

/**
 * Inserts a booked driving lesson under a savepoint; when one of the three exclusion constraints refuses it,
 * returns which (the transaction still usable), else null.
 */
export function insertLesson(tx: Tx, lesson: Prisma.DrivingLessonCreateManyInput) {
  return insertOrClash(tx, () => tx.drivingLesson.createMany({ data: [lesson] }), exclusionConstraint);
}

export async function bookLesson(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: { traineeId: string; instructorId: string; vehicleId: string; date: string; time: string; minutes: number },
  now = new Date(),
  /** false: the caller tells the trainee itself (a weekly series sends one notice for all its lessons) */
  notify = true,
) {
  const { startsAt, endsAt } = lessonTimes(input, now);
  const fit = await fitOrRefuse(tx, school, input);
  const id = randomUUID();
  // Under a savepoint, so a refused insert leaves the transaction usable for explaining the conflict.
  const which = await insertLesson(tx, {
    id,
    schoolId: school.id,
    traineeId: fit.traineeId,
    instructorId: input.instructorId,
    vehicleId: input.vehicleId,
    startsAt,
    endsAt,
    bookedBy: actor.id,
  });
  if (which) await refuseClash(tx, which, fit, { ...input, startsAt, endsAt });
  await appendJournal(tx, school.id, {
    kind: "lesson.booked",
    actorUserId: actor.id,
    subjectId: fit.traineeId,
    data: {
      lessonId: id,
      instructorId: input.instructorId,
      vehicleId: input.vehicleId,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
    },
  });
  if (notify) await queueLessonNotice(tx, id, "booked", actor.locale ?? "kk");
  return { id, startsAt, endsAt };
}

/**
 * Moves a booked lesson that has not started to another time, and optionally to another instructor or car:
 * the same fit checks and exclusion constraints as booking, one journal entry with the old and the new, and a
 * "moved" notice to the trainee (its job id carries the journal entry's number, so a retry notifies once).
 */
export async function moveLesson(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: { lessonId: string; date: string; time: string; minutes?: number; instructorId?: string; vehicleId?: string },
  now = new Date(),
) {
  const lesson = await tx.drivingLesson.findUnique({ where: { id: input.lessonId } });
  if (!lesson) throw new AppError("NOT_FOUND", "notFound");
  if (lesson.status !== "booked") throw new AppError("BAD_REQUEST", "training.onlyBookedMove");
  if (lesson.startsAt.getTime() <= now.getTime()) throw new AppError("BAD_REQUEST", "training.startedMove");
  const minutes = input.minutes ?? Math.round((lesson.endsAt.getTime() - lesson.startsAt.getTime()) / 60_000);
  const want = {
    traineeId: lesson.traineeId,
    instructorId: input.instructorId ?? lesson.instructorId,
    vehicleId: input.vehicleId ?? lesson.vehicleId,
    date: input.date,
    time: input.time,
    minutes,
  };
  const { startsAt, endsAt } = lessonTimes(want, now);
  const fit = await fitOrRefuse(tx, school, want);
  const which = await insertOrClash(
    tx,
    async () => {
      const { count } = await tx.drivingLesson.updateMany({
        where: { id: lesson.id, status: "booked" },
        data: { startsAt, endsAt, instructorId: want.instructorId, vehicleId: want.vehicleId },
      });
      // Cancelled or marked meanwhile by someone else.
      if (count !== 1) throw new AppError("CONFLICT", "training.onlyBookedMove");
    },
    exclusionConstraint,
  );
  if (which) await refuseClash(tx, which, fit, { ...want, startsAt, endsAt }, lesson.id);
  const { seq } = await appendJournal(tx, school.id, {
    kind: "lesson.moved",
    actorUserId: actor.id,
    subjectId: lesson.traineeId,
    data: {
      lessonId: lesson.id,
      instructorId: want.instructorId,
      vehicleId: want.vehicleId,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      previous: {
        instructorId: lesson.instructorId,
        vehicleId: lesson.vehicleId,
        startsAt: lesson.startsAt.toISOString(),
        endsAt: lesson.endsAt.toISOString(),
      },
    },
  });
  await queueLessonNotice(tx, lesson.id, "moved", actor.locale ?? "kk", String(seq), lesson.startsAt);
  return { id: lesson.id, startsAt, endsAt };
}

/** When a lesson asked for at `date` `time` for `minutes` is, refused when it has begun or runs past midnight. */
function lessonTimes(input: { date: string; time: string; minutes: number }, now: Date) {
  const startsAt = almatyToInstant(input.date, input.time);
  const endsAt = new Date(startsAt.getTime() + input.minutes * 60_000);
  if (startsAt.getTime() <= now.getTime()) throw new AppError("BAD_REQUEST", "training.lessonInPast", {}, "time");
  // A lesson is one day's work: the journal, the instructor's day and the registers count it on its date.
  if (!endsSameDay(input.time, input.minutes))
    throw new AppError("BAD_REQUEST", "acrossMidnight", { time: input.time, minutes: input.minutes }, "time");
  return { startsAt, endsAt };
}

type Fit = { traineeId: string; traineeName: string; instructorName: string; plate: string };

/**
 * The trainee, the instructor and the car fit on `date` from `time` for `minutes` (server/booking/fit.ts): the
 * instructor at work then (hours, days off), the car not out of work that day — else the refusal that says why.
 */
async function fitOrRefuse(
  tx: Tx,
  school: SchoolCtx,
  input: { traineeId: string; instructorId: string; vehicleId: string; date: string; time: string; minutes: number },
): Promise<Fit> {
  const trainee = await tx.trainee.findUnique({
    where: { id: input.traineeId },
    select: { id: true, lastName: true, firstName: true, category: true, gearbox: true, status: true },
  });
  if (!trainee) throw new AppError("NOT_FOUND", "notFound", {}, "traineeId");
  const traineeName = `${trainee.lastName} ${trainee.firstName}`;
  const traineeWhy = traineeUnfit(trainee);
  if (traineeWhy) throw new AppError("BAD_REQUEST", `training.${traineeWhy}`, { name: traineeName }, "traineeId");

  const instructor = await tx.membership.findFirst({
    where: { userId: input.instructorId, role: "instructor" },
    select: { user: { select: { fullName: true } } },
  });
  const profile = instructor
    ? await tx.staffProfile.findUnique({
        where: { schoolId_userId: { schoolId: school.id, userId: input.instructorId } },
      })
    : null;
  const instructorName = instructor?.user.fullName ?? "";
  const instructorWhy = instructorUnfit(
    {
      isInstructor: instructor !== null,
      licenceCategories: profile?.licenceCategories ?? [],
      certValidUntil: profile?.instructorCertValidUntil ?? null,
    },
    trainee.category,
    input.date,
  );
  if (instructorWhy) {
    const params = instructorParams(instructorWhy, instructorName, trainee.category, profile?.instructorCertValidUntil);
    throw new AppError("BAD_REQUEST", `training.${instructorWhy}`, params, "instructorId");
  }
  const absence = periodOn(await absencesBetween(tx, input.instructorId, input.date, input.date), input.date);
  if (absence) {
    const params = { name: instructorName, from: formatDate(absence.startsOn), to: formatDate(absence.endsOn) };
    throw new AppError("BAD_REQUEST", `training.instructorAbsent.${absence.reason}`, params, "instructorId");
  }
  const hours = await workHours(tx, input.instructorId);
  const from = timeToMinute(input.time);
  const hoursWhy = hoursUnfit(hours, input.date, from, from + input.minutes);
  if (hoursWhy) {
    const params = {
      name: instructorName,
      date: formatDate(input.date),
      hours: hoursText(hoursOn(hours, input.date) ?? []),
      from: input.time,
      to: minuteToTime(from + input.minutes),
    };
    throw new AppError("BAD_REQUEST", `training.${hoursWhy}`, params, "time");
  }

  const vehicle = await tx.vehicle.findUnique({ where: { id: input.vehicleId } });
  const vehicleWhy = vehicleUnfit(vehicle, trainee, input.date);
  if (vehicleWhy || !vehicle) {
    const why = vehicleWhy ?? "vehicleUnavailable";
    throw new AppError("BAD_REQUEST", `training.${why}`, vehicleParams(why, vehicle, trainee.category), "vehicleId");
  }
  const [down] = await downtimesBetween(tx, [vehicle.id], input.date, input.date);
  if (down) {
    const params = { plate: vehicle.plate, from: formatDate(down.startsOn), to: formatDate(down.endsOn) };
    throw new AppError("BAD_REQUEST", `training.vehicleDown.${down.reason}`, params, "vehicleId");
  }
  return { traineeId: trainee.id, traineeName, instructorName, plate: vehicle.plate };
}

/** Says which booking an exclusion constraint's refusal clashed with (`self`: the lesson being moved, not it). */
async function refuseClash(
  tx: Tx,
  which: "instructor" | "trainee" | "vehicle",
  fit: Fit,
  want: { instructorId: string; vehicleId: string; startsAt: Date; endsAt: Date },
  self?: string,
): Promise<never> {
  const column = { instructor: "instructorId", trainee: "traineeId", vehicle: "vehicleId" }[which];
  const clash = await tx.drivingLesson.findFirst({
    where: {
      [column]: { instructor: want.instructorId, trainee: fit.traineeId, vehicle: want.vehicleId }[which],
      ...(self ? { id: { not: self } } : {}),
      status: { not: "cancelled" },
      startsAt: { lt: want.endsAt },
      endsAt: { gt: want.startsAt },
    },
    select: { startsAt: true, endsAt: true },
  });
  // An instructor's other lesson may belong to another school, which this school can't see.
  if (!clash) throw new AppError("CONFLICT", "training.instructorBusyElsewhere", { name: fit.instructorName }, column);
  const params = {
    name: which === "vehicle" ? fit.plate : which === "trainee" ? fit.traineeName : fit.instructorName,
    from: almatyTime(clash.startsAt),
    to: almatyTime(clash.endsAt),
    date: formatDate(clash.startsAt),
  };
  throw new AppError("CONFLICT", `training.busy.${which}`, params, column);
}

/** What a registrar's message about an unfit instructor names: who, and the category or the lapsed date. */
function instructorParams(
  why: InstructorUnfit,
  name: string,
  category: string,
  certValidUntil: Date | null | undefined,
): Record<string, string> {
  if (why === "notInstructor") return {};
  if (why === "instructorCategory") return { name, category };
  return { name, date: certValidUntil ? formatDate(isoDay(certValidUntil)) : "" };
}

/** What a registrar's message about an unfit car names: the plate, and the category or the lapsed date. */
function vehicleParams(why: VehicleUnfit, v: FitVehicle | null, category: string): Record<string, string> {
  if (!v || why === "vehicleUnavailable") return {};
  if (why === "vehicleCategory") return { plate: v.plate, category };
  if (why === "vehicleGearbox") return { plate: v.plate };
  const until = why === "vehicleInsurance" ? v.insuranceValidUntil : v.inspectionValidUntil;
  return { plate: v.plate, date: until ? formatDate(isoDay(until)) : "" };
}

/** Done or missed, marked once the lesson is over; a later change is a correction with a reason. */
export async function markLesson(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: { lessonId: string; status: "done" | "missed"; note?: string | null; reason?: string | null },
  now = new Date(),
) {
  const lesson = await tx.drivingLesson.findUnique({ where: { id: input.lessonId } });
  if (!lesson) throw new AppError("NOT_FOUND", "notFound");
  assertMayHandle(school, actor, lesson.instructorId);
  if (lesson.status === "cancelled") throw new AppError("BAD_REQUEST", "training.lessonCancelled");
  // Whether it happened is known only at its end (a 30-minute lesson can't be "done" a minute in).
  if (now.getTime() < lesson.endsAt.getTime()) {
    const when = `${formatDate(lesson.endsAt)} ${almatyTime(lesson.endsAt)}`;
    throw new AppError("BAD_REQUEST", "training.lessonNotEnded", { when });
  }
  const correction = lesson.status === "done" || lesson.status === "missed";
  if (correction && lesson.status === input.status && (input.note ?? null) === lesson.note)
    return { id: lesson.id, status: lesson.status };
  if (correction && !input.reason) throw new AppError("BAD_REQUEST", "training.correctionReason", {}, "reason");
  const markedAt = await dbNow(tx);
  await tx.drivingLesson.update({
    where: { id: lesson.id },
    data: { status: input.status, note: input.note ?? null, markedBy: actor.id, markedAt },
  });
  await appendJournal(tx, school.id, {
    kind: correction ? "lesson.corrected" : "lesson.marked",
    actorUserId: actor.id,
    subjectId: lesson.traineeId,
    data: {
      lessonId: lesson.id,
      status: input.status,
      note: input.note ?? null,
      minutes: Math.round((lesson.endsAt.getTime() - lesson.startsAt.getTime()) / 60_000),
      ...(correction
        ? {
            previous: { status: lesson.status, note: lesson.note, markedAt: lesson.markedAt?.toISOString() ?? null },
            reason: input.reason,
          }
        : {}),
    },
  });
  return { id: lesson.id, status: input.status };
}

/** Cancels a booked lesson, saying why: the reason stays on the lesson and in the journal, and the notice repeats it. */
export async function cancelLesson(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: { lessonId: string; reason: CancelReason; note?: string | null },
) {
  const lesson = await tx.drivingLesson.findUnique({ where: { id: input.lessonId } });
  if (!lesson) throw new AppError("NOT_FOUND", "notFound");
  assertMayHandle(school, actor, lesson.instructorId);
  if (lesson.status !== "booked") throw new AppError("BAD_REQUEST", "training.onlyBookedCancel");
  const note = input.note ?? null;
  const { count } = await tx.drivingLesson.updateMany({
    where: { id: lesson.id, status: "booked" },
    data: { status: "cancelled", cancelReason: input.reason, cancelNote: note },
  });
  if (count !== 1) throw new AppError("CONFLICT", "training.onlyBookedCancel");
  await appendJournal(tx, school.id, {
    kind: "lesson.cancelled",
    actorUserId: actor.id,
    subjectId: lesson.traineeId,
    data: { lessonId: lesson.id, startsAt: lesson.startsAt.toISOString(), cancelReason: input.reason, note },
  });
  await queueLessonNotice(tx, lesson.id, "cancelled", actor.locale ?? "kk");
  return { id: lesson.id };
}

/** Registrars and directors handle any lesson; an instructor only their own. */
function assertMayHandle(school: SchoolCtx, actor: Actor, instructorId: string) {
  if (!mayHandleOwn(school.roles, "instructor", actor.id, instructorId)) throw new AppError("FORBIDDEN", "forbidden");
}

/** Minutes of driving done against the programme's hours (the school's copy, else the template). */
export async function drivingProgress(
  tx: Tx,
  schoolId: string,
  trainee: { id: string; category: string; gearbox: "manual" | "automatic" },
) {
  // Lessons marked done here, and what the office entered on adoption as done before (ADR 029).
  const [done] = await tx.$queryRaw<
    { minutes: bigint | null; prior_driving: number | null; prior_theory: number | null }[]
  >`
    SELECT (SELECT sum(extract(epoch FROM ends_at - starts_at) / 60)::bigint
              FROM driving_lesson WHERE trainee_id = ${trainee.id}::uuid AND status = 'done') AS minutes,
           p.driving_minutes AS prior_driving, p.theory_minutes AS prior_theory
    FROM (SELECT 1) one LEFT JOIN prior_training p ON p.trainee_id = ${trainee.id}::uuid`;
  const own = await tx.programme.findUnique({
    where: { schoolId_category_gearbox: { schoolId, category: trainee.category, gearbox: trainee.gearbox } },
  });
  const template = own
    ? null
    : await tx.programmeTemplate.findUnique({
        where: { category_gearbox: { category: trainee.category, gearbox: trainee.gearbox } },
      });
  const programme = own ?? template;
  const priorMinutes = done?.prior_driving ?? 0;
  return {
    /** driving done in all: lessons marked done here plus the hours entered on adoption */
    doneMinutes: Number(done?.minutes ?? 0) + priorMinutes,
    /** of which entered on adoption */
    priorMinutes,
    /** theory hours entered on adoption, in minutes (attendance here is counted by server/theory/hours.ts) */
    priorTheoryMinutes: done?.prior_theory ?? 0,
    requiredMinutes: programme ? programme.drivingHours * 60 : null,
    theoryHours: programme?.theoryHours ?? null,
  };
}
