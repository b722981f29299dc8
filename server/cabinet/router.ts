import { randomUUID } from "node:crypto";
import { z } from "zod";
import { appDb, inScope, switchScope } from "../db/client.ts";
import { publicProcedure, router, traineeProcedure } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { audit } from "../audit/log.ts";
import { hashToken } from "../auth/tokens.ts";
import { hashPassword } from "../auth/password.ts";
import { startSession } from "../auth/sessions.ts";
import { password, token } from "../auth/schema.ts";
import { drivingProgress } from "../training/lessons.ts";
import { isoDayOrNull } from "../../domain/kz/time.ts";

/** The trainee's own cabinet: schedule, hours, money, history — their rows only (see traineeProcedure). */
export const cabinetRouter = router({
  overview: traineeProcedure().query(async ({ ctx }) => {
    const db = ctx.db;
    const me = await db.trainee.findUniqueOrThrow({
      where: { id: ctx.trainee.id },
      select: {
        id: true,
        lastName: true,
        firstName: true,
        middleName: true,
        iin: true,
        category: true,
        gearbox: true,
        status: true,
        contractNumber: true,
        contractPriceTiyn: true,
        paidTiyn: true,
        medicalCertValidUntil: true,
        group: { select: { number: true, startsOn: true, endsOn: true, timetable: true } },
        payments: { orderBy: { paidOn: "asc" }, select: { id: true, amountTiyn: true, paidOn: true } },
      },
    });
    const [progress, lessons, history] = await Promise.all([
      drivingProgress(db, ctx.trainee.schoolId, me),
      db.drivingLesson.findMany({
        where: { status: { not: "cancelled" } },
        orderBy: { startsAt: "asc" },
        select: {
          id: true,
          startsAt: true,
          endsAt: true,
          status: true,
          note: true,
          instructorId: true,
          vehicle: { select: { plate: true, makeModel: true } },
        },
      }),
      db.journalEntry.findMany({ orderBy: { seq: "asc" }, select: { seq: true, at: true, kind: true, data: true } }),
    ]);
    const instructors = await db.user.findMany({
      where: { id: { in: [...new Set(lessons.map((l) => l.instructorId))] } },
      select: { id: true, fullName: true },
    });
    const names = Object.fromEntries(instructors.map((i) => [i.id, i.fullName]));
    const now = Date.now();
    const withNames = lessons.map(({ instructorId, ...l }) => ({ ...l, instructorName: names[instructorId] ?? "" }));
    return {
      school: { name: ctx.trainee.schoolName, slug: ctx.trainee.schoolSlug },
      me: {
        ...me,
        contractPriceTiyn: Number(me.contractPriceTiyn),
        paidTiyn: Number(me.paidTiyn),
        balanceTiyn: Number(me.contractPriceTiyn - me.paidTiyn),
        medicalCertValidUntil: isoDayOrNull(me.medicalCertValidUntil),
        payments: me.payments.map((p) => ({ ...p, amountTiyn: Number(p.amountTiyn) })),
      },
      progress,
      upcoming: withNames.filter((l) => l.endsAt.getTime() >= now),
      past: withNames.filter((l) => l.endsAt.getTime() < now).reverse(),
      history: history.map((h) => ({ ...h, seq: Number(h.seq), actor: null })),
    };
  }),
});

async function findTraineeInvite(tokenHash: string) {
  return inScope({ inviteTokenHash: tokenHash }, async (tx) => {
    const inv = await tx.traineeInvite.findUnique({ where: { tokenHash } });
    if (!inv || inv.acceptedAt || inv.expiresAt < new Date()) return null;
    await switchScope(tx, { schoolId: inv.schoolId, inviteTokenHash: tokenHash });
    const [school, trainee] = await Promise.all([
      tx.school.findUniqueOrThrow({ where: { id: inv.schoolId }, select: { name: true, slug: true } }),
      tx.trainee.findUniqueOrThrow({
        where: { id: inv.traineeId },
        select: { lastName: true, firstName: true, userId: true },
      }),
    ]);
    return { ...inv, school, trainee };
  });
}

/** The link in the invitation e-mail: a trainee sets a password (or signs in) and gets their cabinet. */
export const cabinetJoinRouter = router({
  get: publicProcedure.input(z.object({ token })).query(async ({ ctx, input }) => {
    const inv = await findTraineeInvite(hashToken(input.token));
    if (!inv) throw new AppError("NOT_FOUND", "auth.tokenInvalid");
    const hasAccount = !!(await appDb().user.findUnique({ where: { email: inv.email }, select: { id: true } }));
    return {
      schoolName: inv.school.name,
      traineeName: `${inv.trainee.lastName} ${inv.trainee.firstName}`,
      email: inv.email,
      hasAccount,
      signedInAs: ctx.user?.email ?? null,
    };
  }),

  accept: publicProcedure.input(z.object({ token, password: password.optional() })).mutation(async ({ ctx, input }) => {
    const tokenHash = hashToken(input.token);
    const inv = await findTraineeInvite(tokenHash);
    if (!inv) throw new AppError("NOT_FOUND", "auth.tokenInvalid");
    if (ctx.user && ctx.user.email !== inv.email)
      throw new AppError("FORBIDDEN", "invite.wrongAccount", { email: inv.email });
    const passwordHash = !ctx.user && input.password ? await hashPassword(input.password) : null;
    const userId = await inScope({ schoolId: inv.schoolId, inviteTokenHash: tokenHash }, async (tx) => {
      let userId = ctx.user?.id;
      if (!userId) {
        if (await tx.user.findUnique({ where: { email: inv.email }, select: { id: true } })) {
          throw new AppError("UNAUTHORIZED", "invite.wrongAccount", { email: inv.email });
        }
        if (!passwordHash) throw new AppError("BAD_REQUEST", "password", {}, "password");
        userId = randomUUID();
        await tx.user.create({
          data: {
            id: userId,
            email: inv.email,
            fullName: `${inv.trainee.lastName} ${inv.trainee.firstName}`,
            passwordHash,
            locale: ctx.locale,
            emailVerifiedAt: new Date(),
          },
          select: { id: true },
        });
      }
      const taken = await tx.traineeInvite.updateMany({
        where: { tokenHash, acceptedAt: null },
        data: { acceptedAt: new Date() },
      });
      if (taken.count === 0) throw new AppError("NOT_FOUND", "auth.tokenInvalid");
      await tx.trainee.update({ where: { id: inv.traineeId }, data: { userId }, select: { id: true } });
      await tx.traineeLogin.createMany({
        data: [{ userId, schoolId: inv.schoolId, traineeId: inv.traineeId }],
        skipDuplicates: true,
      });
      await audit(tx, ctx.meta, {
        action: "trainee.cabinet_joined",
        schoolId: inv.schoolId,
        actorUserId: userId,
        details: { traineeId: inv.traineeId },
      });
      return userId;
    });
    if (!ctx.user) ctx.setCookie((await startSession(userId, ctx.meta)).cookie);
    return { slug: inv.school.slug };
  }),
});
