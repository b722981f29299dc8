// Trainee self-booking: the school's rules and instructor assignment (workspace), and the cabinet's
// free slots, booking and cancelling (trainee procedures). See docs/decisions/011.
import { router, schoolProcedure, traineeProcedure } from "../trpc.ts";
import { DIRECTOR, ROLES, WRITERS } from "../../domain/roles.ts";
import { assignInput, bookInput, cancelInput, rulesInput } from "./schema.ts";
import { rulesForForm, saveRules } from "./rules.ts";
import { assignInstructor, listAssignments } from "./assign.ts";
import { bookingView, bookSelf, cancelSelf } from "./self.ts";

export const bookingRouter = router({
  /** The school's self-booking rules, as the director's form shows them. */
  rules: schoolProcedure(ROLES).query(({ ctx }) => rulesForForm(ctx.db, ctx.school.id)),

  /** The director sets when and how far ahead trainees may book, and how often. */
  saveRules: schoolProcedure(DIRECTOR)
    .input(rulesInput)
    .mutation(({ ctx, input }) => saveRules(ctx.db, ctx.school.id, ctx.user, input)),

  /** Gives a trainee an instructor (or takes theirs away). */
  assignInstructor: schoolProcedure(WRITERS)
    .input(assignInput)
    .mutation(({ ctx, input }) => assignInstructor(ctx.db, ctx.school, input)),

  /** Trainees in training with their instructor, and the school's instructors, for the form. */
  assignments: schoolProcedure(WRITERS).query(({ ctx }) => listAssignments(ctx.db, ctx.school, ctx.locale)),

  /** The cabinet's booking page: free times of the trainee's instructor, and their own booked lessons. */
  slots: traineeProcedure().query(({ ctx }) => bookingView(ctx.db, ctx.trainee)),

  /** The trainee books a free slot. */
  book: traineeProcedure()
    .input(bookInput)
    .mutation(({ ctx, input }) => bookSelf(ctx.db, ctx.trainee, { id: ctx.user.id, locale: ctx.locale }, input)),

  /** The trainee cancels one of their lessons, in time. */
  cancel: traineeProcedure()
    .input(cancelInput)
    .mutation(({ ctx, input }) => cancelSelf(ctx.db, ctx.trainee, { id: ctx.user.id, locale: ctx.locale }, input)),
});
