// The school assigns each trainee an instructor; self-booking offers that instructor's free slots.
import { z } from "zod";
import { schoolProcedure } from "../trpc.ts";
import { WRITERS } from "../../domain/roles.ts";
import { AppError } from "../errors.ts";

export const assignInstructor = schoolProcedure(WRITERS)
  .input(z.object({ traineeId: z.uuid("required"), instructorId: z.uuid("chooseOne").nullable() }))
  .mutation(async ({ ctx, input }) => {
    const trainee = await ctx.db.trainee.findUnique({ where: { id: input.traineeId }, select: { id: true } });
    if (!trainee) throw new AppError("NOT_FOUND", "notFound", {}, "traineeId");
    if (input.instructorId) {
      // Memberships of the caller in other schools are visible too: pin the school explicitly.
      const member = await ctx.db.membership.findFirst({
        where: { schoolId: ctx.school.id, userId: input.instructorId, role: "instructor" },
      });
      if (!member) throw new AppError("BAD_REQUEST", "training.notInstructor", {}, "instructorId");
    }
    await ctx.db.trainee.update({
      where: { id: trainee.id },
      data: { instructorId: input.instructorId },
      select: { id: true },
    });
    return { traineeId: trainee.id, instructorId: input.instructorId };
  });

/** Trainees in training (and enrolled) with their instructor, and the school's instructors, for the form. */
export const assignments = schoolProcedure(WRITERS).query(async ({ ctx }) => {
  const [trainees, instructors] = await Promise.all([
    ctx.db.trainee.findMany({
      where: { status: { in: ["enrolled", "training"] } },
      select: { id: true, lastName: true, firstName: true, category: true, gearbox: true, instructorId: true },
      orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
      take: 500,
    }),
    ctx.db.membership.findMany({
      where: { schoolId: ctx.school.id, role: "instructor" },
      select: { user: { select: { id: true, fullName: true } } },
      orderBy: { user: { fullName: "asc" } },
    }),
  ]);
  return { trainees, instructors: instructors.map((m) => m.user) };
});
