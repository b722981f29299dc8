// The operator console's privacy side (`admin.privacy.*`): users with their state, deactivation and
// reactivation with a reason (5.2), "account compromised" reports, consent withdrawal requests, and
// sending a marketing e-mail (only to users who consented, each with an unsubscribe link).
import { z } from "zod";
import { operatorProcedure, router } from "../trpc.ts";
import { deactivateUser, reactivateUser, sendMarketing } from "./service.ts";
import { adminArchiveRouter } from "../archive/router.ts";
import { likeText } from "../db/like.ts";
import { isoDay } from "../../domain/kz/time.ts";

const ops = operatorProcedure(["super_admin", "support"]);
const reason = z.string().trim().min(3, "tooShort").max(1000, "tooLong");
const userAction = z.object({ userId: z.uuid(), reason });
const text = z.object({
  subject: z.string().trim().min(3, "tooShort").max(200, "tooLong"),
  text: z.string().trim().min(10, "tooShort").max(10_000, "tooLong"),
});

export const adminPrivacyRouter = router({
  /** A school's archive, requested and downloaded by the operator (server/archive/). */
  archives: adminArchiveRouter,

  users: operatorProcedure()
    .input(z.object({ q: z.string().trim().max(100).optional(), deactivated: z.boolean().optional() }))
    .query(async ({ ctx, input }) => {
      const users = await ctx.db.user.findMany({
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
        ctx.db.userDeactivation.findMany({
          where: { userId: { in: ids }, reactivatedAt: null },
          select: { userId: true, reason: true, deactivatedAt: true },
        }),
        ctx.db.securityReport.findMany({
          where: { userId: { in: ids }, resetAt: null },
          select: { userId: true, reportedAt: true },
        }),
      ]);
      return users.map((u) => ({
        ...u,
        deactivation: deactivations.find((d) => d.userId === u.id) ?? null,
        openReport: reports.find((r) => r.userId === u.id) ?? null,
      }));
    }),

  deactivate: ops.input(userAction).mutation(async ({ ctx, input }) => {
    await ctx.db.$transaction((tx) => deactivateUser(tx, input.userId, input.reason, ctx.user.id, ctx.meta));
    return { ok: true as const };
  }),

  reactivate: ops.input(userAction).mutation(async ({ ctx, input }) => {
    await ctx.db.$transaction((tx) => reactivateUser(tx, input.userId, input.reason, ctx.user.id, ctx.meta));
    return { ok: true as const };
  }),

  /** "Account compromised" reports, newest first, with the exact report time. */
  securityReports: operatorProcedure().query(async ({ ctx }) => {
    const reports = await ctx.db.securityReport.findMany({ orderBy: { reportedAt: "desc" }, take: 100 });
    const users = await ctx.db.user.findMany({
      where: { id: { in: reports.map((r) => r.userId) } },
      select: { id: true, email: true, fullName: true },
    });
    return reports.map((r) => ({ ...r, user: users.find((u) => u.id === r.userId) ?? null }));
  }),

  /** Personal-data consent withdrawal requests of all schools. */
  withdrawals: operatorProcedure().query(async ({ ctx }) => {
    const rows = await ctx.db.consentWithdrawal.findMany({ orderBy: { receivedAt: "desc" }, take: 100 });
    const schools = await ctx.db.school.findMany({
      where: { id: { in: rows.map((r) => r.schoolId) } },
      select: { id: true, name: true },
    });
    return rows.map((r) => ({
      ...r,
      effectiveOn: isoDay(r.effectiveOn),
      school: schools.find((s) => s.id === r.schoolId)?.name ?? "",
    }));
  }),

  sendMarketing: operatorProcedure(["super_admin"])
    .input(z.object({ campaign: z.string().regex(/^[a-z0-9-]{3,40}$/, "invalid"), kk: text, ru: text }))
    .mutation(async ({ ctx, input }) => {
      const recipients = await ctx.db.$transaction((tx) =>
        sendMarketing(tx, input.campaign, { kk: input.kk, ru: input.ru }, ctx.user.id, ctx.meta),
      );
      return { recipients };
    }),
});
