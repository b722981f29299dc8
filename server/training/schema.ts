import { z } from "zod";
import { calendarDay } from "../calendar-day.ts";
import { TRAINEE_STATUSES } from "../../domain/trainees.ts";
import { CANCEL_REASONS } from "../../domain/lessons.ts";
import { hoursToMinutes } from "./prior-rules.ts";
import { MAX_INSTALMENTS } from "../../domain/tuition.ts";

export const isoDate = calendarDay("date");
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time");
const reason = z
  .string()
  .trim()
  .max(500, "tooLong")
  .transform((v) => (v === "" ? null : v))
  .nullish();

export const changeStatusInput = z.object({ traineeId: z.uuid(), to: z.enum(TRAINEE_STATUSES, "chooseOne"), reason });

export const addPaymentInput = z.object({
  traineeId: z.uuid(),
  amountTiyn: z
    .number()
    .int("invalid")
    .refine((v) => v !== 0, "invalid")
    .refine((v) => Math.abs(v) <= 100_000_000_00, "invalid"),
  paidOn: isoDate,
  note: z.string().trim().max(300, "tooLong").nullish(),
  /** The key of the form that sends it: sent again, the form records nothing more (the card's loader makes it). */
  submissionKey: z.uuid().nullish(),
});

/** The trainee's schedule of instalments: split evenly by month, typed lines, or typed text ("DD.MM.YYYY amount"). */
export const setScheduleInput = z.object({
  traineeId: z.uuid(),
  plan: z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("even"),
      count: z.number().int("invalid").min(1, "invalid").max(MAX_INSTALMENTS, "scheduleTooLong"),
      firstDue: isoDate,
    }),
    z.object({
      kind: z.literal("lines"),
      lines: z
        .array(z.object({ dueOn: isoDate, amountTiyn: z.number().int("invalid").min(1, "invalid") }))
        .max(MAX_INSTALMENTS, "scheduleTooLong"),
    }),
    z.object({ kind: z.literal("text"), text: z.string().max(4000, "tooLong") }),
  ]),
});

export const bookLessonInput = z.object({
  traineeId: z.uuid(),
  instructorId: z.uuid(),
  vehicleId: z.uuid(),
  date: isoDate,
  time: hhmm,
  minutes: z.number().int("invalid").min(30, "lessonLength").max(240, "lessonLength"),
});

/** The longest weekly series the booking form offers (a term of driving lessons, about three months). */
export const REPEAT_MAX_WEEKS = 12;

/** A booked lesson repeated on the same weekday and time for `weeks` weeks (1: just this one). */
export const repeatLessonInput = bookLessonInput.extend({
  weeks: z.number().int("repeatWeeks").min(1, "repeatWeeks").max(REPEAT_MAX_WEEKS, "repeatWeeks"),
});

/** A lesson to another time; another instructor or car if given, another length if given (else its own). */
export const moveLessonInput = z.object({
  lessonId: z.uuid("notFound"),
  date: isoDate,
  time: hhmm,
  minutes: z.number().int("invalid").min(30, "lessonLength").max(240, "lessonLength").optional(),
  instructorId: z.uuid().optional(),
  vehicleId: z.uuid().optional(),
});

export const markLessonInput = z.object({
  lessonId: z.uuid(),
  status: z.enum(["done", "missed"], "chooseOne"),
  note: z.string().trim().max(500, "tooLong").nullish(),
  reason,
});

/** The free text beside a cancellation's reason: optional, and the trainee's notice repeats it. */
export const cancelNote = z
  .string()
  .trim()
  .max(300, "tooLong")
  .transform((v) => (v === "" ? null : v))
  .nullish();

/** A cancellation always says why: one of the list, and a note if the list doesn't say enough. */
export const cancelLessonInput = z.object({
  lessonId: z.uuid(),
  reason: z.enum(CANCEL_REASONS, "training.cancelReason"),
  note: cancelNote,
});

export const lessonsInput = z.object({
  from: isoDate,
  to: isoDate,
  instructorId: z.uuid().optional(),
  vehicleId: z.uuid().optional(),
  traineeId: z.uuid().optional(),
});

export const lessonIdInput = z.object({ lessonId: z.uuid("notFound") });

export const traineeIdInput = z.object({ traineeId: z.uuid() });

export const journalInput = z.object({ before: z.number().int().positive().optional() });

/** A day typed into a date field, or "" for none. */
const dayOrNone = z.union([z.literal("").transform(() => null), isoDate]).nullish();
/** Hours as typed ("40", "12,5") → minutes; "" is none done. */
const priorHours = z
  .union([z.number().transform(String), z.string()])
  .optional()
  .transform((v, ctx) => {
    const minutes = hoursToMinutes(v ?? "");
    if (minutes === null) ctx.addIssue({ code: "custom", message: "adoption.hours" });
    return minutes ?? 0;
  });
/** An exam's score as typed; "" is none (the paper record may not have it). */
const optionalCount = z
  .union([
    z.literal("").transform(() => null),
    z.number(),
    z
      .string()
      .trim()
      .regex(/^\d{1,4}$/, "invalid")
      .transform(Number),
  ])
  .pipe(z.number().int("invalid").min(0, "invalid").nullable())
  .nullish();

/** Training done before the school used Avtomektep, as the card's form sends it (ADR 029). */
export const priorTrainingInput = z.object({
  traineeId: z.uuid(),
  startedOn: dayOrNone,
  theoryHours: priorHours,
  drivingHours: priorHours,
  theoryExamOn: dayOrNone,
  theoryExamScore: optionalCount,
  practicalExamOn: dayOrNone,
  practicalExamScore: optionalCount,
  practicalExamMax: optionalCount,
  reason,
});
