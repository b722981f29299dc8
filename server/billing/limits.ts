// The tariff's limits (active trainees, staff seats), checked where the register grows: a new trainee,
// an import, an invitation. Runs in the school's own RLS transaction; the refusal names the limit and
// points to the billing page, where a bigger plan is one click away.
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { versionAt } from "./ledger.ts";

/** Trainees count against the limit from application to the exams; graduated and left ones don't. */
export const ACTIVE_TRAINEE = ["applicant", "enrolled", "training", "exams"] as const;

export async function planLimits(tx: Tx, schoolId: string) {
  const sub = await tx.subscription.findUnique({ where: { schoolId }, select: { planId: true } });
  if (!sub) return { maxTrainees: null, maxStaff: null };
  const v = await versionAt(tx, sub.planId, almatyDate(new Date()));
  return { maxTrainees: v.maxTrainees, maxStaff: v.maxStaff };
}

export async function usage(tx: Tx) {
  const [trainees, members, invites] = await Promise.all([
    tx.trainee.count({ where: { status: { in: [...ACTIVE_TRAINEE] } } }),
    tx.membership.findMany({ distinct: ["userId"], select: { userId: true } }),
    tx.invitation.count({ where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } } }),
  ]);
  return { trainees, staff: members.length, pendingInvites: invites };
}

/** Refuses `adding` more active trainees or staff seats than the plan allows. */
export async function assertRoom(tx: Tx, schoolId: string, kind: "trainees" | "staff", adding = 1): Promise<void> {
  const limits = await planLimits(tx, schoolId);
  const max = kind === "trainees" ? limits.maxTrainees : limits.maxStaff;
  if (max === null) return;
  const u = await usage(tx);
  const used = kind === "trainees" ? u.trainees : u.staff + u.pendingInvites;
  if (used + adding > max) {
    throw new AppError("FORBIDDEN", kind === "trainees" ? "billing.limitTrainees" : "billing.limitStaff", {
      max,
      used,
    });
  }
}
