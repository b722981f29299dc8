// The inputs of self-booking: the director's rules, the instructor assignment, the trainee's booking.
import { z } from "zod";
import { calendarDay } from "../calendar-day.ts";
import { timeToMinute } from "./rules.ts";
import { TRAINEE_CANCEL_REASONS } from "../../domain/lessons.ts";
import { cancelNote } from "../training/schema.ts";

const hhmm = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "booking.time");
const int = (min: number, max: number) =>
  z.coerce.number({ message: "required" }).int("booking.whole").min(min, "booking.range").max(max, "booking.range");

/** The director's form: times as `HH:MM`, the rest whole numbers; an unticked box turns booking off. */
export const rulesInput = z
  .object({
    enabled: z.coerce.boolean().optional().default(false),
    opens: hhmm,
    closes: hhmm,
    slotMinutes: int(30, 240),
    windowDays: int(1, 60),
    cancelHours: int(0, 168),
    weeklyLimit: int(1, 14),
  })
  .superRefine((v, ctx) => {
    if (timeToMinute(v.closes) <= timeToMinute(v.opens))
      ctx.addIssue({ code: "custom", path: ["closes"], message: "booking.closesBeforeOpens" });
    else if (timeToMinute(v.closes) - timeToMinute(v.opens) < v.slotMinutes)
      ctx.addIssue({ code: "custom", path: ["slotMinutes"], message: "booking.slotTooLong" });
  });

export const assignInput = z.object({ traineeId: z.uuid("required"), instructorId: z.uuid("chooseOne").nullable() });

const date = calendarDay("date");
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "booking.time");

export const bookInput = z.object({ date, time });

export const cancelInput = z.object({
  lessonId: z.uuid("notFound"),
  reason: z.enum(TRAINEE_CANCEL_REASONS, "training.cancelReason"),
  note: cancelNote,
});
