// The inputs of the accounting procedures: a month of acts, a reconciliation's date range.
import { z } from "zod";
import { calendarDay } from "../calendar-day.ts";
import { daysBetween } from "../../domain/kz/time.ts";

/** A real calendar day as `YYYY-MM-DD`. */
const day = calendarDay("invalid");

export const monthInput = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "invalid") });

/** Both days included; at most five years (a reconciliation is asked for a quarter, a year, or since the start). */
export const rangeInput = z
  .object({ from: day, to: day })
  .refine((r) => r.from <= r.to && daysBetween(r.from, r.to) <= 5 * 366, {
    message: "billing.reconciliationRange",
    path: ["to"],
  });

export const schoolRangeInput = z
  .object({ schoolId: z.uuid(), from: day, to: day })
  .refine((r) => r.from <= r.to && daysBetween(r.from, r.to) <= 5 * 366, {
    message: "billing.reconciliationRange",
    path: ["to"],
  });
