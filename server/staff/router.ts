import { randomUUID } from "node:crypto";
import { assertRoom } from "../billing/limits.ts";
import { z } from "zod";
import { appDb, inScope, switchScope, type Tx } from "../db/client.ts";
import { publicProcedure, router, schoolProcedure } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { audit } from "../audit/log.ts";
import { enqueue } from "../outbox/enqueue.ts";
import { config } from "../config.ts";
import { hashToken, newToken } from "../auth/tokens.ts";
import { hashPassword } from "../auth/password.ts";
import { startSession } from "../auth/sessions.ts";
import { email, password, token } from "../auth/schema.ts";
import { personName } from "../signup/schema.ts";
import { translator } from "../../domain/i18n/index.ts";
import type { MemberRole } from "../db/generated/prisma/enums.ts";
import { STAFF_VIEWERS } from "../../domain/roles.ts";

const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const role = z.enum(["director", "registrar", "teacher", "instructor", "inspector"], "chooseOne");
const directorOnly = ["director"] as const;

export const staffRouter = router({
  list: schoolProcedure(STAFF_VIEWERS).query(async ({ ctx }) => {
    const [memberships, invites] = await Promise.all([
      ctx.db.membership.findMany({
        select: { role: true, createdAt: true, user: { select: { id: true, fullName: true, email: true } } },
        orderBy: { createdAt: "asc" },
      }),
      ctx.db.invitation.findMany({
        where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
        orderBy: { createdAt: "desc" },
      }),
    ]);
    const members = new Map<
      string,
      { id: string; fullName: string; email: string; roles: MemberRole[]; since: Date }
    >();
    for (const m of memberships) {
      const entry = members.get(m.user.id) ?? { ...m.user, roles: [], since: m.createdAt };
      entry.roles.push(m.role);
      members.set(m.user.id, entry);
    }
    return { members: [...members.values()], invites };
  }),

  invite: schoolProcedure(directorOnly)
    .input(z.object({ email, role }))
    .mutation(async ({ ctx, input }) => {
      const existing = await ctx.db.membership.findFirst({
        where: { role: input.role, user: { email: input.email } },
        select: { id: true },
      });
      if (existing) throw new AppError("CONFLICT", "invite.alreadyMember", {}, "email");
      const alreadyStaff = await ctx.db.membership.findFirst({
        where: { user: { email: input.email } },
        select: { id: true },
      });
      if (!alreadyStaff) await assertRoom(ctx.db, ctx.school.id, "staff");
      const { token: raw, hash } = newToken();
      const id = randomUUID();
      await ctx.db.invitation.create({
        data: {
          id,
          schoolId: ctx.school.id,
          email: input.email,
          role: input.role,
          tokenHash: hash,
          invitedById: ctx.user.id,
          expiresAt: new Date(Date.now() + INVITE_TTL_MS),
        },
        select: { id: true },
      });
      const t = translator(ctx.locale);
      await enqueue(ctx.db, {
        queue: "mail",
        name: "send",
        jobId: `mail.invite.${id}`,
        payload: {
          to: input.email,
          locale: ctx.locale,
          template: "invite",
          params: {
            school: ctx.school.name,
            inviter: ctx.user.fullName,
            role: t(`common:roles.${input.role}`),
            link: `${config().publicUrl}/invite/${raw}`,
          },
        },
      });
      await audit(ctx.db, ctx.meta, {
        action: "member.invited",
        schoolId: ctx.school.id,
        actorUserId: ctx.user.id,
        details: { email: input.email, role: input.role },
      });
      return { id };
    }),

  revokeInvite: schoolProcedure(directorOnly)
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const { count } = await ctx.db.invitation.updateMany({
        where: { id: input.id, acceptedAt: null, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      if (count === 0) throw new AppError("NOT_FOUND", "notFound");
      await audit(ctx.db, ctx.meta, {
        action: "invite.revoked",
        schoolId: ctx.school.id,
        actorUserId: ctx.user.id,
        details: { invitationId: input.id },
      });
      return { ok: true as const };
    }),

  /** Replaces a member's roles in this school. */
  setRoles: schoolProcedure(directorOnly)
    .input(z.object({ userId: z.uuid(), roles: z.array(role).min(1, "required").max(5) }))
    .mutation(async ({ ctx, input }) => {
      const before = await ctx.db.membership.findMany({ where: { userId: input.userId }, select: { role: true } });
      if (before.length === 0) throw new AppError("NOT_FOUND", "notFound");
      await assertDirectorRemains(ctx.db, input.userId, input.roles);
      await ctx.db.membership.deleteMany({ where: { userId: input.userId, role: { notIn: input.roles } } });
      await ctx.db.membership.createMany({
        data: input.roles.map((r) => ({ id: randomUUID(), schoolId: ctx.school.id, userId: input.userId, role: r })),
        skipDuplicates: true,
      });
      await audit(ctx.db, ctx.meta, {
        action: "member.role_changed",
        schoolId: ctx.school.id,
        actorUserId: ctx.user.id,
        details: { userId: input.userId, from: before.map((b) => b.role), to: input.roles },
      });
      return { ok: true as const };
    }),

  /** Access ends at once: every workspace request checks membership in its own transaction. */
  remove: schoolProcedure(directorOnly)
    .input(z.object({ userId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await assertDirectorRemains(ctx.db, input.userId, []);
      const { count } = await ctx.db.membership.deleteMany({ where: { userId: input.userId } });
      if (count === 0) throw new AppError("NOT_FOUND", "notFound");
      await audit(ctx.db, ctx.meta, {
        action: "member.removed",
        schoolId: ctx.school.id,
        actorUserId: ctx.user.id,
        details: { userId: input.userId },
      });
      return { ok: true as const };
    }),
});

async function assertDirectorRemains(db: Tx, userId: string, newRoles: MemberRole[]): Promise<void> {
  if (newRoles.includes("director")) return;
  const others = await db.membership.count({ where: { role: "director", userId: { not: userId } } });
  if (others === 0) throw new AppError("CONFLICT", "invite.lastDirector");
}

async function findInvite(tokenHash: string) {
  return inScope({ inviteTokenHash: tokenHash }, async (tx) => {
    const inv = await tx.invitation.findUnique({
      where: { tokenHash },
      select: { id: true, schoolId: true, email: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true },
    });
    if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt < new Date()) return null;
    await switchScope(tx, { schoolId: inv.schoolId, inviteTokenHash: tokenHash });
    const school = await tx.school.findUniqueOrThrow({
      where: { id: inv.schoolId },
      select: { name: true, slug: true },
    });
    return { ...inv, school };
  });
}

export const invitationRouter = router({
  get: publicProcedure.input(z.object({ token })).query(async ({ ctx, input }) => {
    const inv = await findInvite(hashToken(input.token));
    if (!inv) throw new AppError("NOT_FOUND", "auth.tokenInvalid");
    const hasAccount = !!(await appDb().user.findUnique({ where: { email: inv.email }, select: { id: true } }));
    return {
      schoolName: inv.school.name,
      role: inv.role,
      email: inv.email,
      hasAccount,
      signedInAs: ctx.user?.email ?? null,
    };
  }),

  /** A signed-in invitee joins; a new person sets a name and password and is signed in. */
  accept: publicProcedure
    .input(z.object({ token, fullName: personName.optional(), password: password.optional() }))
    .mutation(async ({ ctx, input }) => {
      const tokenHash = hashToken(input.token);
      const inv = await findInvite(tokenHash);
      if (!inv) throw new AppError("NOT_FOUND", "auth.tokenInvalid");
      if (ctx.user && ctx.user.email !== inv.email)
        throw new AppError("FORBIDDEN", "invite.wrongAccount", { email: inv.email });
      const passwordHash = !ctx.user && input.password ? await hashPassword(input.password) : null;

      const userId = await inScope({ schoolId: inv.schoolId, inviteTokenHash: tokenHash }, async (tx) => {
        let userId = ctx.user?.id;
        if (!userId) {
          const existing = await tx.user.findUnique({ where: { email: inv.email }, select: { id: true } });
          if (existing) throw new AppError("UNAUTHORIZED", "invite.wrongAccount", { email: inv.email });
          if (!passwordHash) throw new AppError("BAD_REQUEST", "password", {}, "password");
          if (!input.fullName) throw new AppError("BAD_REQUEST", "required", {}, "fullName");
          userId = randomUUID();
          // The link reached this mailbox, so the address is proven.
          await tx.user.create({
            data: {
              id: userId,
              email: inv.email,
              fullName: input.fullName,
              passwordHash,
              locale: ctx.locale,
              emailVerifiedAt: new Date(),
            },
            select: { id: true },
          });
        }
        await switchScope(tx, { schoolId: inv.schoolId, userId, inviteTokenHash: tokenHash });
        const taken = await tx.invitation.updateMany({
          where: { id: inv.id, acceptedAt: null, revokedAt: null },
          data: { acceptedAt: new Date() },
        });
        if (taken.count === 0) throw new AppError("NOT_FOUND", "auth.tokenInvalid");
        await tx.membership.createMany({
          data: [{ id: randomUUID(), schoolId: inv.schoolId, userId, role: inv.role }],
          skipDuplicates: true,
        });
        await audit(tx, ctx.meta, {
          action: "member.joined",
          schoolId: inv.schoolId,
          actorUserId: userId,
          details: { role: inv.role, invitationId: inv.id },
        });
        return userId;
      });
      if (!ctx.user) ctx.setCookie((await startSession(userId, ctx.meta)).cookie);
      return { slug: inv.school.slug };
    }),
});
