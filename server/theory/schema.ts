import { z } from "zod";
import { calendarDay } from "../calendar-day.ts";

const date = calendarDay("date");
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "invalid");

export const weekInput = z.object({ from: date, to: date, groupId: z.uuid().optional() });

export const createLessonInput = z.object({
  groupId: z.uuid("chooseOne"),
  subjectCode: z.string().trim().min(1, "chooseOne").max(40, "tooLong"),
  teacherId: z.uuid("chooseOne"),
  date,
  time,
  minutes: z.coerce.number().int("invalid").min(30, "invalid").max(480, "invalid"),
  room: z
    .string()
    .trim()
    .max(60, "tooLong")
    .optional()
    .nullable()
    .transform((v) => v || null),
});

export const markInput = z.object({
  lessonId: z.uuid(),
  /** the trainees marked present; everyone else of the group is absent */
  present: z.array(z.uuid()).max(500),
  reason: z
    .string()
    .trim()
    .max(500, "tooLong")
    .optional()
    .nullable()
    .transform((v) => v || null),
});

export const idInput = z.object({ id: z.uuid() });
