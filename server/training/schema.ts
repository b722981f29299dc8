import { z } from "zod";
import { TRAINEE_STATUSES } from "../../domain/trainees.ts";
import { CANCEL_REASONS } from "../../domain/lessons.ts";

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "date");
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
});

export const bookLessonInput = z.object({
  traineeId: z.uuid(),
  instructorId: z.uuid(),
  vehicleId: z.uuid(),
  date: isoDate,
  time: hhmm,
  minutes: z.number().int("invalid").min(30, "lessonLength").max(240, "lessonLength"),
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
  traineeId: z.uuid().optional(),
});

export const lessonIdInput = z.object({ lessonId: z.uuid("notFound") });

export const traineeIdInput = z.object({ traineeId: z.uuid() });

export const journalInput = z.object({ before: z.number().int().positive().optional() });
