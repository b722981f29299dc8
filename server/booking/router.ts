// Trainee self-booking: the school's rules and instructor assignment (workspace), and the cabinet's
// free slots, booking and cancelling (trainee procedures). See docs/decisions/011.
import { z } from "zod";
import { router, schoolProcedure, traineeProcedure } from "../trpc.ts";
import { DIRECTOR, ROLES } from "../../domain/roles.ts";
import { readRules, rulesInput, timeToMinute, minuteToTime } from "./rules.ts";
import { assignInstructor, assignments } from "./assign.ts";
import { bookingView, bookSelf, cancelSelf } from "./self.ts";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "date");
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "booking.time");

export const bookingRouter = router({
  rules: schoolProcedure(ROLES).query(async ({ ctx }) => {
    const r = await readRules(ctx.db, ctx.school.id);
    return { ...r, opens: minuteToTime(r.opensMinute), closes: minuteToTime(r.closesMinute) };
  }),

  saveRules: schoolProcedure(DIRECTOR)
    .input(rulesInput)
    .mutation(async ({ ctx, input }) => {
      const data = {
        enabled: input.enabled,
        opensMinute: timeToMinute(input.opens),
        closesMinute: timeToMinute(input.closes),
        slotMinutes: input.slotMinutes,
        windowDays: input.windowDays,
        cancelHours: input.cancelHours,
        weeklyLimit: input.weeklyLimit,
        updatedBy: ctx.user.id,
        updatedAt: new Date(),
      };
      await ctx.db.bookingRules.upsert({
        where: { schoolId: ctx.school.id },
        create: { schoolId: ctx.school.id, ...data },
        update: data,
      });
      return { saved: true };
    }),

  assignInstructor,
  assignments,

  slots: traineeProcedure().query(async ({ ctx }) => ({
    school: { slug: ctx.trainee.schoolSlug, name: ctx.trainee.schoolName },
    ...(await bookingView(ctx.db, ctx.trainee)),
  })),

  book: traineeProcedure()
    .input(z.object({ date, time }))
    .mutation(({ ctx, input }) => bookSelf(ctx.db, ctx.trainee, { id: ctx.user.id, locale: ctx.locale }, input)),

  cancel: traineeProcedure()
    .input(z.object({ lessonId: z.uuid("notFound") }))
    .mutation(({ ctx, input }) => cancelSelf(ctx.db, ctx.trainee, { id: ctx.user.id, locale: ctx.locale }, input)),
});
