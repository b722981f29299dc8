import { z } from "zod";

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

export const auditInput = z.object({
  schoolId: z.uuid().optional(),
  action: z.string().max(60).optional(),
  before: z.string().regex(/^\d+$/).optional(),
});
