import type { AuditAction } from "../../../server/audit/log.ts";

/** Every audit action, for the filter; the compiler fails if server/audit/log.ts gains one not listed here. */
export const AUDIT_ACTIONS = [
  "signup", "login.succeeded", "login.failed", "logout", "logout.everywhere", "password.changed",
  "password.reset.requested", "password.reset", "email.verified", "offer.accepted", "consent.granted",
  "member.invited", "member.joined", "member.removed", "member.role_changed", "invite.revoked", "school.updated",
  "locale.changed", "school.status_changed", "trainee.created", "trainee.updated", "trainee.group_changed", "trainees.imported", "settings.changed", "trainee.payment_added", "trainee.cabinet_invited", "trainee.cabinet_joined",
  "billing.plan_changed", "billing.payment_confirmed", "billing.statement_applied", "billing.access_changed", "billing.tariff_published",
  "billing.job_retried", "billing.run_requested",
] as const satisfies readonly AuditAction[];

type Missing = Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>;
export const allActionsListed: [Missing] extends [never] ? true : Missing = true;

export function isAuditAction(v: unknown): v is AuditAction {
  return typeof v === "string" && (AUDIT_ACTIONS as readonly string[]).includes(v);
}
