import { z } from "zod";
import { schoolProcedure } from "../trpc.ts";
import { hasRole, TEACHING, WRITERS } from "../../domain/roles.ts";
import { AppError } from "../errors.ts";
import { CATEGORIES } from "../../domain/trainees.ts";
import { expiryOf, staffProfileInput, todayInAlmaty, toDbDate } from "./schema.ts";
import { isoDayOrNull } from "../../domain/kz/time.ts";

const sortCategories = (list: string[]) =>
  [...new Set(list)].sort(
    (a, b) => (CATEGORIES as readonly string[]).indexOf(a) - (CATEGORIES as readonly string[]).indexOf(b),
  );

export const staffProfileProcedures = {
  /** A member's licence categories and instructor certificate in this school. */
  staffProfile: schoolProcedure()
    .input(z.object({ userId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const memberships = await ctx.db.membership.findMany({
        where: { schoolId: ctx.school.id, userId: input.userId },
        select: { role: true, user: { select: { id: true, fullName: true, email: true } } },
      });
      const user = memberships[0]?.user;
      if (!user) throw new AppError("NOT_FOUND", "notFound");
      const p = await ctx.db.staffProfile.findUnique({
        where: { schoolId_userId: { schoolId: ctx.school.id, userId: input.userId } },
      });
      const validUntil = isoDayOrNull(p?.instructorCertValidUntil ?? null);
      return {
        user,
        roles: memberships.map((m) => m.role),
        licenceCategories: sortCategories(p?.licenceCategories ?? []),
        instructorCertNumber: p?.instructorCertNumber ?? null,
        instructorCertValidUntil: validUntil,
        cert: expiryOf(validUntil),
        updatedAt: p?.updatedAt ?? null,
      };
    }),

  /** For teachers and instructors; the person must work in this school. */
  updateStaffProfile: schoolProcedure(WRITERS)
    .input(staffProfileInput)
    .mutation(async ({ ctx, input }) => {
      const roles = (
        await ctx.db.membership.findMany({
          where: { schoolId: ctx.school.id, userId: input.userId },
          select: { role: true },
        })
      ).map((m) => m.role);
      if (roles.length === 0) throw new AppError("NOT_FOUND", "notFound");
      if (!hasRole(roles, TEACHING)) throw new AppError("BAD_REQUEST", "resources.notTeachingStaff");
      const data = {
        licenceCategories: sortCategories(input.licenceCategories),
        instructorCertNumber: input.instructorCertNumber,
        instructorCertValidUntil: toDbDate(input.instructorCertValidUntil),
        updatedAt: new Date(),
      };
      await ctx.db.staffProfile.upsert({
        where: { schoolId_userId: { schoolId: ctx.school.id, userId: input.userId } },
        create: { schoolId: ctx.school.id, userId: input.userId, ...data },
        update: data,
        select: { userId: true },
      });
      return { userId: input.userId };
    }),

  /** The school's driving instructors with their categories and certificate expiry (for lesson booking). */
  instructors: schoolProcedure().query(async ({ ctx }) => {
    const [members, profiles] = await Promise.all([
      ctx.db.membership.findMany({
        where: { schoolId: ctx.school.id, role: "instructor" },
        select: { user: { select: { id: true, fullName: true, email: true } } },
      }),
      ctx.db.staffProfile.findMany({ where: { schoolId: ctx.school.id } }),
    ]);
    const today = todayInAlmaty();
    const byUser = new Map(profiles.map((p) => [p.userId, p]));
    return members
      .map(({ user }) => {
        const p = byUser.get(user.id);
        const validUntil = isoDayOrNull(p?.instructorCertValidUntil ?? null);
        return {
          userId: user.id,
          fullName: user.fullName,
          email: user.email,
          licenceCategories: sortCategories(p?.licenceCategories ?? []),
          instructorCertNumber: p?.instructorCertNumber ?? null,
          instructorCertValidUntil: validUntil,
          cert: expiryOf(validUntil, today),
        };
      })
      .sort((a, b) => a.fullName.localeCompare(b.fullName, "ru"));
  }),
};
