// The operator's users page (operator role, every school): users with their state, the "account compromised"
// reports, and deactivation and reactivation with a reason (5.2). Deactivating ends the user's sessions.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { likeText } from "../db/like.ts";
import type { userActionInput, usersInput } from "./schema.ts";
import { forgetUserSessions } from "../auth/sessions.ts";

type Actor = { id: string };
type UserAction = z.output<typeof userActionInput>;

/** Users, newest first (at most 100), by e-mail or name, each with an open deactivation and an open report. */
export async function listUsers(db: Tx, input: z.output<typeof usersInput>) {
  const users = await db.user.findMany({
    where: {
      ...(input.q
        ? {
            OR: [
              { email: { contains: likeText(input.q.toLowerCase()) } },
              { fullName: { contains: likeText(input.q), mode: "insensitive" } },
            ],
          }
        : {}),
      ...(input.deactivated ? { deactivatedAt: { not: null } } : {}),
    },
    select: {
      id: true,
      email: true,
      fullName: true,
      operatorRole: true,
      deactivatedAt: true,
      createdAt: true,
      memberships: { select: { role: true, school: { select: { name: true, slug: true } } } },
    },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  const ids = users.map((u) => u.id);
  const [deactivations, reports] = await Promise.all([
    db.userDeactivation.findMany({
      where: { userId: { in: ids }, reactivatedAt: null },
      select: { userId: true, reason: true, deactivatedAt: true },
    }),
    db.securityReport.findMany({
      where: { userId: { in: ids }, resetAt: null },
      select: { userId: true, reportedAt: true },
    }),
  ]);
  return users.map((u) => ({
    ...u,
    deactivation: deactivations.find((d) => d.userId === u.id) ?? null,
    openReport: reports.find((r) => r.userId === u.id) ?? null,
  }));
}

/** "Account compromised" reports, newest first (at most 100), with the exact report time and the user. */
export async function securityReports(db: Tx) {
  const reports = await db.securityReport.findMany({ orderBy: { reportedAt: "desc" }, take: 100 });
  const users = await db.user.findMany({
    where: { id: { in: reports.map((r) => r.userId) } },
    select: { id: true, email: true, fullName: true },
  });
  return reports.map((r) => ({ ...r, user: users.find((u) => u.id === r.userId) ?? null }));
}

/** Deactivates a user, in a transaction of its own: never oneself; every session of the user ends. */
export async function deactivateUser(db: PrismaClient, actor: Actor, input: UserAction, meta: RequestMeta) {
  const { userId, reason } = input;
  if (userId === actor.id) throw new AppError("BAD_REQUEST", "privacy.selfDeactivate");
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { deactivatedAt: true } });
    if (!user) throw new AppError("NOT_FOUND", "privacy.userNotFound");
    if (user.deactivatedAt) throw new AppError("CONFLICT", "privacy.alreadyDeactivated");
    const at = new Date();
    await tx.user.update({ where: { id: userId }, data: { deactivatedAt: at } });
    await tx.userDeactivation.create({
      data: { id: randomUUID(), userId, reason, deactivatedAt: at, deactivatedBy: actor.id },
    });
    const { count } = await tx.session.deleteMany({ where: { userId } });
    // This process forgets them at once; every process's next request proves its session anyway (ADR 044).
    forgetUserSessions(userId);
    await audit(tx, meta, {
      action: "user.deactivated",
      actorUserId: actor.id,
      details: { userId, reason, sessionsEnded: count },
    });
  });
  return { ok: true as const };
}

/** Reactivates a deactivated user, in a transaction of its own, closing the open deactivation with the reason. */
export async function reactivateUser(db: PrismaClient, actor: Actor, input: UserAction, meta: RequestMeta) {
  const { userId, reason } = input;
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { deactivatedAt: true } });
    if (!user) throw new AppError("NOT_FOUND", "privacy.userNotFound");
    if (!user.deactivatedAt) throw new AppError("CONFLICT", "privacy.notDeactivated");
    await tx.user.update({ where: { id: userId }, data: { deactivatedAt: null } });
    await tx.userDeactivation.updateMany({
      where: { userId, reactivatedAt: null },
      data: { reactivatedAt: new Date(), reactivatedBy: actor.id, reactivateReason: reason },
    });
    await audit(tx, meta, { action: "user.reactivated", actorUserId: actor.id, details: { userId, reason } });
  });
  return { ok: true as const };
}
