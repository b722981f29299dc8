// The school's rules for trainee self-booking: one row per school, the defaults below when absent.
import { z } from "zod";
import type { Tx } from "../db/client.ts";

export type BookingRulesValue = {
  enabled: boolean;
  opensMinute: number;
  closesMinute: number;
  slotMinutes: number;
  windowDays: number;
  cancelHours: number;
  weeklyLimit: number;
};

/** 08:00–20:00 Astana time, 90-minute lessons, two weeks ahead, cancel a day before, 3 a week. */
export const DEFAULT_RULES: BookingRulesValue = {
  enabled: true,
  opensMinute: 8 * 60,
  closesMinute: 20 * 60,
  slotMinutes: 90,
  windowDays: 14,
  cancelHours: 24,
  weeklyLimit: 3,
};

export async function readRules(tx: Tx, schoolId: string): Promise<BookingRulesValue> {
  const row = await tx.bookingRules.findUnique({ where: { schoolId } });
  if (!row) return { ...DEFAULT_RULES };
  const { enabled, opensMinute, closesMinute, slotMinutes, windowDays, cancelHours, weeklyLimit } = row;
  return { enabled, opensMinute, closesMinute, slotMinutes, windowDays, cancelHours, weeklyLimit };
}

export const minuteToTime = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
export const timeToMinute = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

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
