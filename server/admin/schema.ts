import { z } from "zod";
import { parseDay } from "../../domain/kz/time.ts";

export const schoolsInput = z.object({
  q: z.string().trim().max(100).optional(),
  status: z.enum(["trial", "active", "past_due", "restricted", "suspended", "deactivated"]).optional(),
});

export const schoolInput = z.object({ id: z.uuid() });

export const setSchoolStatusInput = z.object({
  id: z.uuid(),
  status: z.enum(["active", "trial", "deactivated"]),
  reason: z.string().trim().min(3, "required").max(500),
});

export const setTrialDaysInput = z.object({
  days: z.coerce.number().int("invalid").min(0, "invalid").max(90, "invalid"),
});

/** A day of the audit log's filter as written (DD.MM.YYYY, or YYYY-MM-DD) → `YYYY-MM-DD`; a day the calendar lacks is refused. */
const day = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const iso = parseDay(v);
    if (!iso) ctx.addIssue({ code: "custom", message: "date" });
    return iso ?? "";
  });

export const auditInput = z.object({
  /** one school, chosen (a link from its card or a row) */
  schoolId: z.uuid().optional(),
  /** or a search text: a school's name, BIN/IIN or address */
  school: z.string().trim().max(100).optional(),
  /** one user, chosen */
  userId: z.uuid().optional(),
  /** or a search text: a user's e-mail or name */
  user: z.string().trim().max(100).optional(),
  action: z.string().max(60).optional(),
  /** first and last day, Astana time, both included */
  from: day.optional(),
  to: day.optional(),
  /** the cursor of the page: `<microseconds>_<id>` of the last entry of the page before */
  before: z
    .string()
    .regex(/^\d{1,20}_\d{1,19}$/)
    .optional(),
});
