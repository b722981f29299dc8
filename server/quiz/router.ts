// The school's question bank (staff) and the online internal theory exam (the trainee's cabinet).
import { router, schoolProcedure, traineeProcedure } from "../trpc.ts";
import {
  answerInput,
  attemptInput,
  createQuestionInput,
  idInput,
  imageInput,
  listQuestionsInput,
  setActiveInput,
  updateQuestionInput,
} from "./schema.ts";
import {
  addSampleQuestions,
  createQuestion,
  getQuestion,
  listQuestions,
  questionImage,
  setQuestionActive,
  updateQuestion,
} from "./questions.ts";
import { answerQuestion, attemptImage, currentExam, finishOwnAttempt, reviewAttempt, startAttempt } from "./cabinet.ts";
import { examRulesInput, readExamRules, saveExamRules } from "./rules.ts";
import { DIRECTOR, QUESTION_EDITORS } from "../../domain/roles.ts";

const questionsRouter = router({
  /** The bank, and how many active questions each category's exam can draw from. */
  list: schoolProcedure(QUESTION_EDITORS)
    .input(listQuestionsInput)
    .query(({ ctx, input }) => listQuestions(ctx.db, input)),

  get: schoolProcedure(QUESTION_EDITORS)
    .input(idInput)
    .query(({ ctx, input }) => getQuestion(ctx.db, input)),

  create: schoolProcedure(QUESTION_EDITORS)
    .input(createQuestionInput)
    .mutation(({ ctx, input }) => createQuestion(ctx.db, ctx.school, ctx.user, input)),

  update: schoolProcedure(QUESTION_EDITORS)
    .input(updateQuestionInput)
    .mutation(({ ctx, input }) => updateQuestion(ctx.db, input)),

  /** Copies the sample bank (traffic rules of Kazakhstan, kk/ru) into the school's own; a second press adds nothing. */
  addSample: schoolProcedure(QUESTION_EDITORS).mutation(({ ctx }) => addSampleQuestions(ctx.db, ctx.school, ctx.user)),

  /** Questions are never deleted (attempts refer to them): deactivated, and back again. */
  setActive: schoolProcedure(QUESTION_EDITORS)
    .input(setActiveInput)
    .mutation(({ ctx, input }) => setQuestionActive(ctx.db, input)),

  image: schoolProcedure(QUESTION_EDITORS)
    .input(idInput)
    .query(({ ctx, input }) => questionImage(ctx.db, input)),
});

export const quizRouter = router({
  questions: questionsRouter,

  /** The school's retake rules for the online exam: every member may read them (the bank's page shows them). */
  rules: schoolProcedure().query(({ ctx }) => readExamRules(ctx.db, ctx.school.id)),

  /** Only the director sets them, as the self-booking rules. */
  saveRules: schoolProcedure(DIRECTOR)
    .input(examRulesInput)
    .mutation(({ ctx, input }) => saveExamRules(ctx.db, ctx.school.id, ctx.user, input)),
});

export const quizCabinetRouter = router({
  /** The running attempt (finished automatically when its time is up), and the finished ones. */
  current: traineeProcedure().query(({ ctx }) => currentExam(ctx.db, ctx.trainee, ctx.user)),

  /** Opens an attempt, or resumes the unfinished one. */
  start: traineeProcedure().mutation(({ ctx }) => startAttempt(ctx.db, ctx.trainee, ctx.user)),

  answer: traineeProcedure()
    .input(answerInput)
    .mutation(({ ctx, input }) => answerQuestion(ctx.db, ctx.trainee, ctx.user, input)),

  finish: traineeProcedure()
    .input(attemptInput)
    .mutation(({ ctx, input }) => finishOwnAttempt(ctx.db, ctx.trainee, ctx.user, input)),

  /**
   * After finishing: every question with the trainee's own answer marked right or wrong, and the correct
   * option only where the trainee answered (ADR 026) — a question left blank keeps its answer secret, so
   * finishing an empty attempt teaches nothing for the next one.
   */
  review: traineeProcedure()
    .input(attemptInput)
    .query(({ ctx, input }) => reviewAttempt(ctx.db, input)),

  /** A picture of a question in one of the trainee's own attempts. */
  image: traineeProcedure()
    .input(imageInput)
    .query(({ ctx, input }) => attemptImage(ctx.db, input)),
});
