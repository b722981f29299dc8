// A driving lesson repeated weekly (ADR 034): the same trainee, instructor, car, weekday, time and length for N
// weeks. Every week goes through bookLesson — one copy of the rules and of their kk/ru refusals — under a
// savepoint: the preview rolls each week back and reports what bookLesson would say; the confirm keeps the weeks
// that fit and reports the others. A week this series already booked (the same trainee, instructor, car and
// time) is "already booked", so posting the confirm twice books nothing twice. The trainee gets one notice for
// the series, not one per lesson.
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { refusalOf } from "../db/savepoint.ts";
import { addDays, almatyToInstant } from "../../domain/kz/time.ts";
import { translator, type Locale } from "../../domain/i18n/index.ts";
import { queueLessonNotice, queueSeriesNotice } from "../notify/lessons.ts";
import { bookLesson } from "./lessons.ts";
import type { repeatLessonInput } from "./schema.ts";

type Actor = { id: string; locale: Locale };
type Input = z.infer<typeof repeatLessonInput>;

/** What became of one week: free (preview) or booked (confirm), refused with the reason, or booked before. */
export type RepeatWeek =
  | { date: string; outcome: "free" | "already" }
  | { date: string; outcome: "booked"; lessonId: string }
  | { date: string; outcome: "refused"; reason: string };

/** The series' dates: the first one and the same weekday in each following week. */
const seriesDates = (date: string, weeks: number) => Array.from({ length: weeks }, (_, i) => addDays(date, 7 * i));

/** Is this very lesson (trainee, instructor, car, start and end) booked already — by an earlier confirm? */
async function alreadyBooked(tx: Tx, input: Input, date: string): Promise<boolean> {
  const startsAt = almatyToInstant(date, input.time);
  const endsAt = new Date(startsAt.getTime() + input.minutes * 60_000);
  const same = await tx.drivingLesson.findFirst({
    where: {
      traineeId: input.traineeId,
      instructorId: input.instructorId,
      vehicleId: input.vehicleId,
      startsAt,
      endsAt,
      status: { not: "cancelled" },
    },
    select: { id: true },
  });
  return same !== null;
}

/** Runs `work` under a savepoint that is always rolled back: what it would have refused, and nothing kept. */
async function dryRun(tx: Tx, work: () => Promise<unknown>): Promise<AppError | null> {
  await tx.$executeRaw`SAVEPOINT repeat_preview`;
  try {
    await work();
    return null;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  } finally {
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT repeat_preview`;
    await tx.$executeRaw`RELEASE SAVEPOINT repeat_preview`;
  }
}

function weekOf(input: Input, date: string) {
  const { weeks: _weeks, ...lesson } = input;
  return { ...lesson, date };
}

/** Each week of the series as the confirm would find it now: free, refused (and why), or booked already. */
export async function previewRepeat(tx: Tx, school: SchoolCtx, actor: Actor, input: Input, now = new Date()) {
  const t = translator(actor.locale);
  const weeks: RepeatWeek[] = [];
  for (const date of seriesDates(input.date, input.weeks)) {
    if (await alreadyBooked(tx, input, date)) {
      weeks.push({ date, outcome: "already" });
      continue;
    }
    const refusal = await dryRun(tx, () => bookLesson(tx, school, actor, weekOf(input, date), now, false));
    weeks.push(
      refusal
        ? { date, outcome: "refused", reason: t(`errors:${refusal.messageKey}`, refusal.params) }
        : { date, outcome: "free" },
    );
  }
  return { weeks };
}

/**
 * Books every week of the series that fits, in the caller's transaction; a week refused (busy meanwhile, the
 * insurance lapsed by then…) is rolled back alone and reported. One notice to the trainee for what was booked.
 */
export async function bookRepeat(tx: Tx, school: SchoolCtx, actor: Actor, input: Input, now = new Date()) {
  const t = translator(actor.locale);
  const weeks: RepeatWeek[] = [];
  const booked: string[] = [];
  for (const date of seriesDates(input.date, input.weeks)) {
    if (await alreadyBooked(tx, input, date)) {
      weeks.push({ date, outcome: "already" });
      continue;
    }
    let lessonId = "";
    const refusal = await refusalOf(tx, async () => {
      ({ id: lessonId } = await bookLesson(tx, school, actor, weekOf(input, date), now, false));
    });
    if (refusal) {
      weeks.push({ date, outcome: "refused", reason: t(`errors:${refusal.messageKey}`, refusal.params) });
    } else {
      weeks.push({ date, outcome: "booked", lessonId });
      booked.push(lessonId);
    }
  }
  // One lesson is an ordinary booking; more are a series, told at once (the job id names its first lesson).
  if (booked.length === 1) await queueLessonNotice(tx, booked[0]!, "booked", actor.locale);
  else if (booked.length > 1) await queueSeriesNotice(tx, booked, actor.locale);
  return { weeks };
}
