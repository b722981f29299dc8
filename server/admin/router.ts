import { z } from "zod";
import { operatorProcedure, router } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { audit } from "../audit/log.ts";
import { trialDays } from "../signup/service.ts";
import { adminBillingRouter } from "../billing/admin-router.ts";
import { adminContractRouter } from "../contract/admin-router.ts";
import { adminNoticesRouter } from "../notices/admin-router.ts";
import { adminSupportRouter } from "../support/admin-router.ts";
import { adminPrivacyRouter } from "../privacy/admin-router.ts";
import { likeText } from "../db/like.ts";

// The operator console. Every procedure runs on the operator role's own connection, whose RLS
// policies let it cross tenants; school requests never get this path.
export const adminRouter = router({
  billing: adminBillingRouter,
  contract: adminContractRouter,
  notices: adminNoticesRouter,
  support: adminSupportRouter,
  privacy: adminPrivacyRouter,

  schools: operatorProcedure()
    .input(
      z.object({
        q: z.string().trim().max(100).optional(),
        status: z.enum(["trial", "active", "past_due", "restricted", "suspended", "deactivated"]).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const schools = await ctx.db.school.findMany({
        where: {
          status: input.status,
          ...(input.q
            ? {
                OR: [
                  { name: { contains: likeText(input.q), mode: "insensitive" } },
                  { binIin: { startsWith: likeText(input.q) } },
                  { slug: { contains: likeText(input.q) } },
                ],
              }
            : {}),
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
      return schools;
    }),

  school: operatorProcedure()
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const school = await ctx.db.school.findUnique({
        where: { id: input.id },
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
      const recentAudit = await ctx.db.auditLog.findMany({
        where: { schoolId: input.id },
        orderBy: { id: "desc" },
        take: 20,
      });
      return { school, recentAudit: recentAudit.map((a) => ({ ...a, id: String(a.id) })) };
    }),

  /** Contract 5.2: deactivate a school for a violation, with a reason; reversible. */
  setSchoolStatus: operatorProcedure(["super_admin"])
    .input(
      z.object({
        id: z.uuid(),
        status: z.enum(["active", "trial", "deactivated"]),
        reason: z.string().trim().min(3, "required").max(500),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const before = await ctx.db.school.findUnique({ where: { id: input.id }, select: { status: true } });
      if (!before) throw new AppError("NOT_FOUND", "notFound");
      await ctx.db.$transaction(async (tx) => {
        // Reactivated, a school returns to its billing state: trial until its first payment, then active;
        // the next daily billing run applies anything overdue.
        const everPaid = (await tx.invoice.count({ where: { schoolId: input.id, status: "paid" } })) > 0;
        const status = input.status === "deactivated" ? "deactivated" : everPaid ? "active" : "trial";
        await tx.school.update({
          where: { id: input.id },
          data: { status, deactivatedReason: input.status === "deactivated" ? input.reason : null },
        });
        await audit(tx, ctx.meta, {
          action: "school.status_changed",
          schoolId: input.id,
          actorUserId: ctx.user.id,
          details: { from: before.status, to: status, reason: input.reason },
        });
      });
      return { ok: true as const };
    }),

  /** Platform settings the operator controls; for now the trial length new schools get. */
  settings: operatorProcedure().query(async ({ ctx }) => ({ trialDays: await trialDays(ctx.db) })),

  setTrialDays: operatorProcedure(["super_admin"])
    .input(z.object({ days: z.coerce.number().int("invalid").min(0, "invalid").max(90, "invalid") }))
    .mutation(async ({ ctx, input }) => {
      const before = await trialDays(ctx.db);
      await ctx.db.$transaction(async (tx) => {
        await tx.platformSetting.upsert({
          where: { key: "trial_days" },
          update: { value: input.days, updatedAt: new Date() },
          create: { key: "trial_days", value: input.days },
        });
        await audit(tx, ctx.meta, {
          action: "settings.changed",
          actorUserId: ctx.user.id,
          details: { trialDays: { from: before, to: input.days } },
        });
      });
      return { ok: true as const };
    }),

  audit: operatorProcedure()
    .input(
      z.object({
        schoolId: z.uuid().optional(),
        action: z.string().max(60).optional(),
        before: z.string().regex(/^\d+$/).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.auditLog.findMany({
        where: {
          schoolId: input.schoolId,
          action: input.action,
          ...(input.before ? { id: { lt: BigInt(input.before) } } : {}),
        },
        orderBy: { id: "desc" },
        take: 51,
      });
      const page = rows.slice(0, 50).map((r) => ({ ...r, id: String(r.id) }));
      return { items: page, nextBefore: rows.length > 50 ? page[page.length - 1]!.id : null };
    }),
});
