// Lists the browser needs (selects, badges). Kept in step with the server's at compile time.
import type { CATEGORIES as ServerCategories, STATUSES as ServerStatuses } from "../../../server/trainees/schema.ts";
import type { MemberRole } from "../../../server/db/generated/prisma/enums.ts";

export const CATEGORIES = ["A1", "A", "B1", "B", "BE", "C1", "C", "C1E", "CE", "D1", "D", "D1E", "DE", "Tb", "Tm"] as const satisfies typeof ServerCategories;
export const TRAINEE_STATUSES = ["applicant", "enrolled", "training", "exams", "graduated", "expelled", "transferred"] as const satisfies typeof ServerStatuses;
export const ROLES = ["director", "registrar", "teacher", "instructor", "inspector"] as const satisfies readonly MemberRole[];
export const SCHOOL_STATUSES = ["trial", "active", "past_due", "restricted", "suspended", "deactivated"] as const;

export type Category = (typeof CATEGORIES)[number];
export type TraineeStatus = (typeof TRAINEE_STATUSES)[number];
export type Role = (typeof ROLES)[number];

export const WRITER_ROLES: readonly Role[] = ["director", "registrar"];
export const STAFF_VIEWERS: readonly Role[] = ["director", "registrar", "inspector"];

export const canWrite = (roles: readonly string[]) => roles.some((r) => (WRITER_ROLES as readonly string[]).includes(r));
export const hasRole = (roles: readonly string[], allowed: readonly Role[]) => roles.some((r) => (allowed as readonly string[]).includes(r));

export function isOneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return typeof v === "string" && (list as readonly string[]).includes(v);
}
