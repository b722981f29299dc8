import { z } from "zod";
import { router, schoolProcedure } from "../trpc.ts";
import { DIRECTOR, ROLES } from "../../domain/roles.ts";
import { audit } from "../audit/log.ts";
import { personName, phone } from "../signup/schema.ts";
import { email } from "../auth/schema.ts";

export const schoolSettingsInput = z.object({
  name: z.string().trim().min(2, "required").max(200, "tooLong"),
  directorName: personName,
  phone,
  email,
  address: z
    .string()
    .trim()
    .max(300, "tooLong")
    .transform((v) => (v === "" ? null : v))
    .nullish(),
});

export const schoolRouter = router({
  /** The workspace shell: the school, the caller's roles in it, counts for the navigation. */
  workspace: schoolProcedure(ROLES, { always: true }).query(async ({ ctx }) => ({
    school: ctx.school,
    // A suspended school's shell shows the suspended page only: nothing of the register.
    trainees: ctx.school.status === "suspended" ? 0 : await ctx.db.trainee.count(),
  })),

  settings: schoolProcedure(DIRECTOR).query(async ({ ctx }) => {
    const [school, acceptances, consents] = await Promise.all([
      ctx.db.school.findUniqueOrThrow({
        where: { id: ctx.school.id },
        select: {
          name: true,
          slug: true,
          kind: true,
          binIin: true,
          directorName: true,
          phone: true,
          email: true,
          address: true,
          status: true,
          trialEndsAt: true,
          createdAt: true,
        },
      }),
      ctx.db.offerAcceptance.findMany({
        select: { acceptedAt: true, textSha256: true, ip: true, offerVersion: { select: { version: true } } },
        orderBy: { acceptedAt: "desc" },
      }),
      ctx.db.consent.findMany({
        select: { kind: true, grantedAt: true, withdrawnAt: true },
        orderBy: { grantedAt: "desc" },
      }),
    ]);
    return { school, acceptances, consents };
  }),

  updateSettings: schoolProcedure(DIRECTOR)
    .input(schoolSettingsInput)
    .mutation(async ({ ctx, input }) => {
      // `input` also holds the workspace's `school` slug (tRPC merges the inputs): name the columns one by one.
      const data = {
        name: input.name,
        directorName: input.directorName,
        phone: input.phone,
        email: input.email,
        address: input.address ?? null,
      };
      await ctx.db.school.update({ where: { id: ctx.school.id }, data, select: { id: true } });
      await audit(ctx.db, ctx.meta, {
        action: "school.updated",
        schoolId: ctx.school.id,
        actorUserId: ctx.user.id,
        details: { fields: Object.keys(data) },
      });
      return { ok: true as const };
    }),
});
