import type { Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import type { AuditAction } from "../../domain/audit.ts";

export type RequestMeta = { ip: string | null; userAgent: string | null };

type Db = Pick<Tx, "auditLog">;

/**
 * Appends to the audit log. createMany sends no RETURNING, so entries without a school
 * (a failed login) need no read access to be written.
 */
export async function audit(
  db: Db,
  meta: RequestMeta,
  entry: {
    action: AuditAction;
    schoolId?: string | null;
    actorUserId?: string | null;
    details?: Prisma.InputJsonValue;
  },
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
