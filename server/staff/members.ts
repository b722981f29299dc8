// The school's staff: who works here in which roles, role changes and removal. A school always keeps a director.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import type { MemberRole } from "../db/generated/prisma/enums.ts";
import type { memberInput, setRolesInput } from "./schema.ts";
import { revokeOnRemoval } from "../calendar/feeds.ts";

/** Who acts: the director, named in the audit entries. */
type Actor = { id: string };

/** The members with their roles, and the invitations still open. */
export async function listStaff(tx: Tx) {
  const [memberships, invites] = await Promise.all([
    tx.membership.findMany({
      select: { role: true, createdAt: true, user: { select: { id: true, fullName: true, email: true } } },
      orderBy: { createdAt: "asc" },
    }),
    tx.invitation.findMany({
      where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  const members = new Map<string, { id: string; fullName: string; email: string; roles: MemberRole[]; since: Date }>();
  for (const m of memberships) {
    const entry = members.get(m.user.id) ?? { ...m.user, roles: [], since: m.createdAt };
    entry.roles.push(m.role);
    members.set(m.user.id, entry);
  }
  return { members: [...members.values()], invites };
}

/** Replaces a member's roles in this school. */
export async function setRoles(
  tx: Tx,
  schoolId: string,
  actor: Actor,
  input: z.infer<typeof setRolesInput>,
  meta: RequestMeta,
) {
  const before = await tx.membership.findMany({ where: { userId: input.userId }, select: { role: true } });
  if (before.length === 0) throw new AppError("NOT_FOUND", "notFound");
  await assertDirectorRemains(tx, input.userId, input.roles);
  await tx.membership.deleteMany({ where: { userId: input.userId, role: { notIn: input.roles } } });
  await tx.membership.createMany({
    data: input.roles.map((r) => ({ id: randomUUID(), schoolId, userId: input.userId, role: r })),
    skipDuplicates: true,
  });
  await audit(tx, meta, {
    action: "member.role_changed",
    schoolId,
    actorUserId: actor.id,
    details: { userId: input.userId, from: before.map((b) => b.role), to: input.roles },
  });
  return { ok: true as const };
}

/** Access ends at once: every workspace request checks membership in its own transaction. */
export async function removeMember(
  tx: Tx,
  schoolId: string,
  actor: Actor,
  input: z.infer<typeof memberInput>,
  meta: RequestMeta,
) {
  await assertDirectorRemains(tx, input.userId, []);
  const { count } = await tx.membership.deleteMany({ where: { userId: input.userId } });
  if (count === 0) throw new AppError("NOT_FOUND", "notFound");
  // Their phone's calendar stops getting the school's lessons (the feed checks membership too).
  await revokeOnRemoval(tx, schoolId, input.userId, actor.id, meta);
  await audit(tx, meta, {
    action: "member.removed",
    schoolId,
    actorUserId: actor.id,
    details: { userId: input.userId },
  });
  return { ok: true as const };
}

async function assertDirectorRemains(db: Tx, userId: string, newRoles: MemberRole[]): Promise<void> {
  if (newRoles.includes("director")) return;
  const others = await db.membership.count({ where: { role: "director", userId: { not: userId } } });
  if (others === 0) throw new AppError("CONFLICT", "invite.lastDirector");
}
