// The operator's view of the schools: the list with a search, one school with its people, acceptances,
// consents and latest audit entries, and deactivation for a violation (contract 5.2) or reactivation.
import type { z } from "zod";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { schoolSearch } from "../schools/search.ts";
import { auditNames } from "./audit-log.ts";
import type { schoolsInput, setSchoolStatusInput } from "./schema.ts";

/** Schools, newest first (at most 200), by status and by a search in the name, BIN/IIN or slug. */
export async function listSchools(db: Tx, input: z.output<typeof schoolsInput>) {
  return db.school.findMany({
    where: {
      status: input.status,
      ...schoolSearch(input.q, { slug: true }),
    },
    select: {
      id: true,
      slug: true,
      name: true,
      binIin: true,
      status: true,
      trialEndsAt: true,
      createdAt: true,
      _count: { select: { trainees: true, memberships: true } },
    },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
}

/** One school's card: members, offer acceptances, consents, trainee count and the last 20 audit entries with their names. */
export async function schoolCard(db: Tx, schoolId: string) {
  const school = await db.school.findUnique({
    where: { id: schoolId },
    include: {
      memberships: { select: { role: true, user: { select: { id: true, fullName: true, email: true } } } },
      acceptances: {
        select: {
          acceptedAt: true,
          textSha256: true,
          ip: true,
          userAgent: true,
          offerVersion: { select: { version: true } },
        },
        orderBy: { acceptedAt: "desc" },
      },
      consents: { select: { kind: true, grantedAt: true, withdrawnAt: true }, orderBy: { grantedAt: "desc" } },
      _count: { select: { trainees: true } },
    },
  });
  if (!school) throw new AppError("NOT_FOUND", "notFound");
  const recentAudit = await db.auditLog.findMany({
    where: { schoolId },
    orderBy: { id: "desc" },
    take: 20,
  });
  return {
    school,
    recentAudit: recentAudit.map((a) => ({ ...a, id: String(a.id) })),
    auditNames: await auditNames(db, recentAudit),
  };
}

/**
 * Deactivates a school for a violation, with a reason, or reactivates it (contract 5.2). Reactivated, a
 * school returns to its billing state: trial until its first payment, then active; the next daily billing
 * run applies anything overdue.
 */
export async function setSchoolStatus(
  db: PrismaClient,
  actor: { id: string },
  input: z.output<typeof setSchoolStatusInput>,
  meta: RequestMeta,
) {
  const before = await db.school.findUnique({ where: { id: input.id }, select: { status: true } });
  if (!before) throw new AppError("NOT_FOUND", "notFound");
  await db.$transaction(async (tx) => {
    const everPaid = (await tx.invoice.count({ where: { schoolId: input.id, status: "paid" } })) > 0;
    const status = input.status === "deactivated" ? "deactivated" : everPaid ? "active" : "trial";
    await tx.school.update({
      where: { id: input.id },
      data: { status, deactivatedReason: input.status === "deactivated" ? input.reason : null },
    });
    await audit(tx, meta, {
      action: "school.status_changed",
      schoolId: input.id,
      actorUserId: actor.id,
      details: { from: before.status, to: status, reason: input.reason },
    });
  });
  return { ok: true as const };
}
