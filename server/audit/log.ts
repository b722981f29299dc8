import type { Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";

export type RequestMeta = { ip: string | null; userAgent: string | null };

export type AuditAction =
  | "signup"
  | "login.succeeded"
  | "login.failed"
  | "logout"
  | "logout.everywhere"
  | "password.changed"
  | "password.reset.requested"
  | "password.reset"
  | "email.verified"
  | "offer.accepted"
  | "consent.granted"
  | "member.invited"
  | "member.joined"
  | "member.removed"
  | "member.role_changed"
  | "invite.revoked"
  | "school.updated"
  | "locale.changed"
  | "school.status_changed"
  | "trainee.created"
  | "trainee.updated"
  | "trainee.group_changed"
  | "trainees.imported"
  | "settings.changed"
  | "trainee.payment_added"
  | "trainee.cabinet_invited"
  | "trainee.cabinet_joined"
  | "billing.plan_changed"
  | "billing.payment_confirmed"
  | "billing.statement_applied"
  | "billing.access_changed"
  | "billing.tariff_published"
  | "billing.job_retried"
  | "billing.run_requested";

type Db = Pick<Tx, "auditLog">;

/**
 * Appends to the audit log. createMany sends no RETURNING, so entries without a school
 * (a failed login) need no read access to be written.
 */
export async function audit(
  db: Db,
  meta: RequestMeta,
  entry: { action: AuditAction; schoolId?: string | null; actorUserId?: string | null; details?: Prisma.InputJsonValue },
): Promise<void> {
  await db.auditLog.createMany({
    data: [
      {
        action: entry.action,
        schoolId: entry.schoolId ?? null,
        actorUserId: entry.actorUserId ?? null,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 500) ?? null,
        details: entry.details ?? {},
      },
    ],
  });
}
