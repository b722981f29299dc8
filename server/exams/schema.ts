import { z } from "zod";

export const EXAM_KINDS = ["theory", "practical"] as const;

const note = z
  .string()
  .trim()
  .max(500, "tooLong")
  .transform((v) => (v === "" ? null : v))
  .nullish();
/** A whole number typed into a form ("32"), or a number from code. */
const count = (message: string) =>
  z
    .union(
      [
        z.number(),
        z
          .string()
          .trim()
          .regex(/^\d{1,4}$/, message)
          .transform(Number),
      ],
      message,
    )
    .pipe(z.number().int(message).min(0, message));

export const enterResultInput = z.object({
  traineeId: z.uuid("chooseOne"),
  kind: z.enum(EXAM_KINDS, "chooseOne"),
  /** theory: correct answers of 40; practical: penalty points */
  score: count("invalid"),
  /** practical only: the most penalty points that still pass (the school's rule, 100 by default) */
  maxScore: z.union([z.literal("").transform(() => undefined), count("invalid")]).optional(),
  note,
});

export const correctResultInput = z.object({
  resultId: z.uuid(),
  score: count("invalid"),
  maxScore: z.union([z.literal("").transform(() => undefined), count("invalid")]).optional(),
  note,
  reason: z.string().trim().min(1, "exams.correctionReason").max(500, "tooLong"),
});

export const listResultsInput = z.object({
  traineeId: z.uuid().optional(),
  kind: z.enum(EXAM_KINDS).optional(),
});

export const eligibilityGroupInput = z.object({
  /** a study group, or none for every trainee in training or exams */
  groupId: z.uuid().optional(),
});

export const issueInput = z.object({ traineeId: z.uuid("chooseOne") });
export const cancelInput = z.object({
  id: z.uuid(),
  reason: z.string().trim().min(1, "certificates.cancelReason").max(500, "tooLong"),
});
export const certificateListInput = z.object({
  status: z.enum(["all", "active", "cancelled"]).default("all"),
  q: z.string().trim().max(100).optional(),
});

export const traineeIdInput = z.object({ traineeId: z.uuid() });
export const idInput = z.object({ id: z.uuid() });
export const registerInput = z.object({ status: z.enum(["all", "active", "cancelled"]).default("all") });
