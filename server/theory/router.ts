// Theory lessons by group and attendance per trainee.
import { router, schoolProcedure } from "../trpc.ts";
import { THEORY_MARKERS, WRITERS } from "../../domain/roles.ts";
import { createLessonInput, idInput, markInput, weekInput } from "./schema.ts";
import { createLesson, lessonFormOptions, lessonWithMarks, weekLessons } from "./lessons.ts";
import { markAttendance } from "./attendance.ts";

export const theoryRouter = router({
  /** What the create form offers: groups with their programme's subjects, and the school's teachers. */
  options: schoolProcedure(WRITERS).query(({ ctx }) => lessonFormOptions(ctx.db, ctx.school.id, ctx.locale)),

  /** Lessons between two dates (Almaty); a member who is only a teacher sees their own. */
  week: schoolProcedure()
    .input(weekInput)
    .query(({ ctx, input }) => weekLessons(ctx.db, ctx.school, ctx.user, input)),

  /** One lesson with its group's trainees and their marks. */
  get: schoolProcedure()
    .input(idInput)
    .query(({ ctx, input }) => lessonWithMarks(ctx.db, ctx.school, ctx.user, input, ctx.locale)),

  create: schoolProcedure(WRITERS)
    .input(createLessonInput)
    .mutation(({ ctx, input }) => createLesson(ctx.db, ctx.school, ctx.user, input)),

  mark: schoolProcedure(THEORY_MARKERS)
    .input(markInput)
    .mutation(({ ctx, input }) => markAttendance(ctx.db, ctx.school, ctx.user, input)),
});
