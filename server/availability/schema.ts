import { z } from "zod";
import { calendarDay } from "../calendar-day.ts";

const isoDate = calendarDay("date");
/** `HH:MM`, 00:00–24:00. */
const clock = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "booking.time");
const note = z
  .string()
  .trim()
  .max(300, "tooLong")
  .transform((v) => (v === "" ? null : v))
  .nullish()
  .transform((v) => v ?? null);

export const ABSENCE_REASONS = ["leave", "sick", "other"] as const;
export const DOWNTIME_REASONS = ["service", "inspection", "other"] as const;

/** One interval of working hours: weekday 1 = Monday … 7 = Sunday, from–to as `HH:MM`. */
const interval = z.object({ weekday: z.number().int().min(1).max(7), starts: clock, ends: clock });

/** A staff member of the school, by their user id. */
export const memberInput = z.object({ userId: z.uuid() });

/** The instructor's whole week at once: every interval, none for "no restriction". */
export const hoursInput = z.object({
  userId: z.uuid(),
  hours: z
    .array(interval)
    .max(28)
    // The same interval twice is the same working time, not an overlap.
    .transform((list) =>
      list.filter(
        (h, i) => list.findIndex((o) => o.weekday === h.weekday && o.starts === h.starts && o.ends === h.ends) === i,
      ),
    )
    .superRefine((list, ctx) => {
      list.forEach((h, i) => {
        if (h.ends <= h.starts)
          ctx.addIssue({ code: "custom", path: [i, "ends"], message: "availability.endsBeforeStarts" });
        const clash = list.findIndex(
          (o, j) => j < i && o.weekday === h.weekday && o.starts < h.ends && h.starts < o.ends,
        );
        if (clash >= 0) ctx.addIssue({ code: "custom", path: [i, "starts"], message: "availability.hoursOverlap" });
      });
    }),
});

const period = { startsOn: isoDate, endsOn: isoDate, note };
const inOrder = (v: { startsOn: string; endsOn: string }, ctx: z.RefinementCtx) => {
  if (v.endsOn < v.startsOn)
    ctx.addIssue({ code: "custom", path: ["endsOn"], message: "availability.endsBeforeStarts" });
  else if (Date.parse(v.endsOn) - Date.parse(v.startsOn) > 366 * 86_400_000)
    ctx.addIssue({ code: "custom", path: ["endsOn"], message: "availability.tooLong" });
};

export const absenceInput = z
  .object({ userId: z.uuid(), reason: z.enum(ABSENCE_REASONS, "chooseOne"), ...period })
  .superRefine(inOrder);

export const downtimeInput = z
  .object({ vehicleId: z.uuid(), reason: z.enum(DOWNTIME_REASONS, "chooseOne"), ...period })
  .superRefine(inOrder);

/** An absence or a downtime, by its id. */
export const periodId = z.object({ id: z.uuid() });

export const vehicleInput = z.object({ vehicleId: z.uuid() });

/** What the week grid shades: one instructor's or one car's unavailable days and hours from `from` to `to`. */
const span = { from: isoDate, to: isoDate };
const shortSpan = (v: { from: string; to: string }) =>
  v.from <= v.to && Date.parse(v.to) - Date.parse(v.from) <= 42 * 86_400_000;
export const instructorWeekInput = z.object({ instructorId: z.uuid(), ...span }).refine(shortSpan, "invalid");
export const vehicleWeekInput = z.object({ vehicleId: z.uuid(), ...span }).refine(shortSpan, "invalid");
