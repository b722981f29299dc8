import { router, schoolProcedure } from "../trpc.ts";
import { JOURNAL_READERS, LESSON_HANDLERS, WRITERS } from "../../domain/roles.ts";
import {
  addPaymentInput,
  bookLessonInput,
  cancelLessonInput,
  changeStatusInput,
  journalInput,
  lessonIdInput,
  lessonsInput,
  markLessonInput,
  moveLessonInput,
  priorTrainingInput,
  repeatLessonInput,
  setScheduleInput,
  traineeIdInput,
} from "./schema.ts";
import { enterPriorTraining } from "./adoption.ts";
import { changeStatus } from "./status.ts";
import { bookLesson, cancelLesson, markLesson, moveLesson } from "./lessons.ts";
import { bookRepeat, previewRepeat } from "./repeat.ts";
import { journalPage, verifyJournal } from "./journal.ts";
import { traineeCard } from "./card.ts";
import { addPayment } from "./payments.ts";
import { setSchedule } from "./instalments.ts";
import { bookingOptions, listLessons, oneLesson, scheduleChoices } from "./schedule.ts";
import { inviteTrainee } from "./invite.ts";

/** Trainee status and contract, driving lessons, the journal. */
export const trainingRouter = router({
  /** Everything the trainee's page shows beyond the register fields. */
  card: schoolProcedure()
    .input(traineeIdInput)
    .query(({ ctx, input }) => traineeCard(ctx.db, ctx.school, ctx.user, input)),

  /** Training done before the school used Avtomektep: entered on adoption, then corrected with a reason (ADR 029). */
  enterPriorTraining: schoolProcedure(WRITERS)
    .input(priorTrainingInput)
    .mutation(({ ctx, input }) => enterPriorTraining(ctx.db, ctx.school, ctx.user.id, input)),

  /** Moves the trainee along their way through training, with a reason where it isn't the next step. */
  changeStatus: schoolProcedure(WRITERS)
    .input(changeStatusInput)
    .mutation(({ ctx, input }) => changeStatus(ctx.db, ctx.school.id, ctx.user.id, input)),

  /** Records a payment against the trainee's contract. */
  addPayment: schoolProcedure(WRITERS)
    .input(addPaymentInput)
    .mutation(({ ctx, input }) => addPayment(ctx.db, ctx.school, ctx.user, input, ctx.meta)),

  /** Sets the trainee's tuition as a schedule of instalments adding up to the contract price (ADR 042). */
  setSchedule: schoolProcedure(WRITERS)
    .input(setScheduleInput)
    .mutation(({ ctx, input }) => setSchedule(ctx.db, ctx.school, ctx.user, input, ctx.meta)),

  /** The driving lessons of a period (an instructor who is nothing else: their own). */
  lessons: schoolProcedure()
    .input(lessonsInput)
    .query(({ ctx, input }) => listLessons(ctx.db, ctx.school, ctx.user, input)),

  /** One lesson, for the cancellation's confirm step (an instructor who is nothing else: their own). */
  lesson: schoolProcedure()
    .input(lessonIdInput)
    .query(({ ctx, input }) => oneLesson(ctx.db, ctx.school, ctx.user, input)),

  /** What the booking form offers: trainees in training, instructors with their categories, cars in service. */
  bookingOptions: schoolProcedure(WRITERS).query(({ ctx }) => bookingOptions(ctx.db, ctx.locale)),

  /** The instructors and the cars in service, without the trainees: the week grid's and moving's choices. */
  scheduleChoices: schoolProcedure(WRITERS).query(({ ctx }) => scheduleChoices(ctx.db)),

  /** Books a driving lesson that fits the trainee, the instructor and the car. */
  bookLesson: schoolProcedure(WRITERS)
    .input(bookLessonInput)
    .mutation(({ ctx, input }) => bookLesson(ctx.db, ctx.school, { id: ctx.user.id, locale: ctx.locale }, input)),

  /** Each week of a weekly series as booking it now would go: free, or the reason it would be refused. */
  previewRepeat: schoolProcedure(WRITERS)
    .input(repeatLessonInput)
    .query(({ ctx, input }) => previewRepeat(ctx.db, ctx.school, { id: ctx.user.id, locale: ctx.locale }, input)),

  /** Books the weeks of a weekly series that fit, reports the others; the trainee gets one notice for the series. */
  bookRepeat: schoolProcedure(WRITERS)
    .input(repeatLessonInput)
    .mutation(({ ctx, input }) => bookRepeat(ctx.db, ctx.school, { id: ctx.user.id, locale: ctx.locale }, input)),

  /** Moves a booked lesson to another time (and instructor or car), with the booking's checks; the trainee is told. */
  moveLesson: schoolProcedure(WRITERS)
    .input(moveLessonInput)
    .mutation(({ ctx, input }) => moveLesson(ctx.db, ctx.school, { id: ctx.user.id, locale: ctx.locale }, input)),

  /** Marks a lesson done or missed, or corrects the mark with a reason. */
  markLesson: schoolProcedure(LESSON_HANDLERS)
    .input(markLessonInput)
    .mutation(({ ctx, input }) => markLesson(ctx.db, ctx.school, ctx.user, input)),

  /** Cancels a booked lesson, with a reason from the list (and a note) that the trainee's notice repeats. */
  cancelLesson: schoolProcedure(LESSON_HANDLERS)
    .input(cancelLessonInput)
    .mutation(({ ctx, input }) => cancelLesson(ctx.db, ctx.school, { id: ctx.user.id, locale: ctx.locale }, input)),

  /** Sends the trainee a link to their cabinet (their own schedule, hours and balance). */
  inviteTrainee: schoolProcedure(WRITERS)
    .input(traineeIdInput)
    .mutation(({ ctx, input }) =>
      inviteTrainee(ctx.db, ctx.school, { id: ctx.user.id, locale: ctx.locale }, input, ctx.meta),
    ),

  /** The inspector's check: is every journal entry still what was written, in an unbroken chain? */
  journalCheck: schoolProcedure(JOURNAL_READERS).query(({ ctx }) => verifyJournal(ctx.db, ctx.school.id)),

  /** The journal, newest first, a page at a time. */
  journal: schoolProcedure(JOURNAL_READERS)
    .input(journalInput)
    .query(({ ctx, input }) => journalPage(ctx.db, input)),
});
