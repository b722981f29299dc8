// The school's question bank (staff) and the online internal theory exam (the trainee's cabinet).
import { randomUUID } from "node:crypto";
import { router, schoolProcedure, traineeProcedure } from "../trpc.ts";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { dbNow } from "../training/journal.ts";
import { THEORY_PASS, THEORY_QUESTIONS } from "../exams/rules.ts";
import { MAX_IMAGE_BYTES, sniffImage } from "../documents/image.ts";
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
  attemptQuestions,
  drawAttempt,
  EXAM_MINUTES,
  finishAttempt,
  ownAttempts,
  retakeWait,
  scopeOf,
} from "./attempts.ts";
import { examRulesInput, readExamRules } from "./rules.ts";
import { DIRECTOR, QUESTION_EDITORS } from "../../domain/roles.ts";

function decodeImage(base64: string): { image: Uint8Array<ArrayBuffer>; imageType: string } {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length > MAX_IMAGE_BYTES) throw new AppError("BAD_REQUEST", "quiz.imageTooBig", {}, "image");
  const type = sniffImage(bytes);
  if (!type) throw new AppError("BAD_REQUEST", "quiz.imageNotImage", {}, "image");
  return { image: new Uint8Array(bytes), imageType: type };
}

async function checkCategory(tx: Tx, category: string | null) {
  if (category && !(await tx.licenceCategory.findUnique({ where: { code: category }, select: { code: true } }))) {
    throw new AppError("BAD_REQUEST", "chooseOne", {}, "category");
  }
}

function checkCorrect(options: unknown[], correct: number) {
  if (correct >= options.length) throw new AppError("BAD_REQUEST", "chooseOne", {}, "correct");
}

const questionSelect = {
  id: true,
  category: true,
  textKk: true,
  textRu: true,
  options: true,
  correct: true,
  active: true,
  imageType: true,
  createdAt: true,
  updatedAt: true,
} as const;

type Option = { kk: string; ru: string };
const shape = (q: { imageType: string | null; options: unknown } & Record<string, unknown>) => {
  const { imageType, options, ...rest } = q;
  return { ...rest, options: options as Option[], hasImage: imageType !== null };
};

export const questionsRouter = router({
  list: schoolProcedure(QUESTION_EDITORS)
    .input(listQuestionsInput)
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.question.findMany({
        where: {
          ...(input.show === "all" ? {} : { active: input.show === "active" }),
          ...(input.category ? { OR: [{ category: input.category }, { category: null }] } : {}),
        },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: questionSelect,
      });
      // How many active questions each category's exam can draw from (its own plus those for all).
      const counts = await ctx.db.$queryRaw<{ code: string; n: number }[]>`
      SELECT c.code, count(q.id)::int AS n FROM licence_category c
      LEFT JOIN question q ON q.active AND (q.category IS NULL OR q.category = c.code)
      GROUP BY c.code ORDER BY c.code`;
      return {
        questions: rows.map((q) => shape(q as never) as ReturnType<typeof shape> & typeof q),
        available: counts,
        needed: THEORY_QUESTIONS,
      };
    }),

  get: schoolProcedure(QUESTION_EDITORS)
    .input(idInput)
    .query(async ({ ctx, input }) => {
      const q = await ctx.db.question.findUnique({ where: { id: input.id }, select: questionSelect });
      if (!q) throw new AppError("NOT_FOUND", "notFound");
      return shape(q as never) as ReturnType<typeof shape> & typeof q;
    }),

  create: schoolProcedure(QUESTION_EDITORS)
    .input(createQuestionInput)
    .mutation(async ({ ctx, input }) => {
      await checkCategory(ctx.db, input.category);
      checkCorrect(input.options, input.correct);
      const img = input.imageBase64 ? decodeImage(input.imageBase64) : null;
      const id = randomUUID();
      const now = await dbNow(ctx.db);
      await ctx.db.question.create({
        data: {
          id,
          schoolId: ctx.school.id,
          category: input.category,
          textKk: input.textKk,
          textRu: input.textRu,
          options: input.options,
          correct: input.correct,
          image: img?.image ?? null,
          imageType: img?.imageType ?? null,
          createdBy: ctx.user.id,
          createdAt: now,
          updatedAt: now,
        },
        select: { id: true },
      });
      return { id };
    }),

  update: schoolProcedure(QUESTION_EDITORS)
    .input(updateQuestionInput)
    .mutation(async ({ ctx, input }) => {
      const old = await ctx.db.question.findUnique({ where: { id: input.id }, select: { id: true } });
      if (!old) throw new AppError("NOT_FOUND", "notFound");
      await checkCategory(ctx.db, input.category);
      checkCorrect(input.options, input.correct);
      const img = input.imageBase64 ? decodeImage(input.imageBase64) : null;
      await ctx.db.question.update({
        where: { id: input.id },
        data: {
          category: input.category,
          textKk: input.textKk,
          textRu: input.textRu,
          options: input.options,
          correct: input.correct,
          ...(img
            ? { image: img.image, imageType: img.imageType }
            : input.removeImage
              ? { image: null, imageType: null }
              : {}),
          updatedAt: await dbNow(ctx.db),
        },
        select: { id: true },
      });
      return { id: input.id };
    }),

  /** Questions are never deleted (attempts refer to them): deactivated, and back again. */
  setActive: schoolProcedure(QUESTION_EDITORS)
    .input(setActiveInput)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.db.question.updateMany({
        where: { id: input.id },
        data: { active: input.active, updatedAt: await dbNow(ctx.db) },
      });
      if (r.count === 0) throw new AppError("NOT_FOUND", "notFound");
      return { id: input.id, active: input.active };
    }),

  image: schoolProcedure(QUESTION_EDITORS)
    .input(idInput)
    .query(async ({ ctx, input }) => {
      const q = await ctx.db.question.findUnique({ where: { id: input.id }, select: { image: true, imageType: true } });
      if (!q?.image || !q.imageType) throw new AppError("NOT_FOUND", "notFound");
      return { contentType: q.imageType, base64: Buffer.from(q.image).toString("base64") };
    }),
});

export const quizRouter = router({
  questions: questionsRouter,

  /** The school's retake rules for the online exam: every member may read them (the bank's page shows them). */
  rules: schoolProcedure().query(({ ctx }) => readExamRules(ctx.db, ctx.school.id)),

  /** Only the director sets them, as the self-booking rules. */
  saveRules: schoolProcedure(DIRECTOR)
    .input(examRulesInput)
    .mutation(async ({ ctx, input }) => {
      const data = {
        cooldownMinutes: input.cooldownMinutes,
        dailyLimit: input.dailyLimit,
        updatedBy: ctx.user.id,
        updatedAt: new Date(),
      };
      await ctx.db.examRules.upsert({
        where: { schoolId: ctx.school.id },
        create: { schoolId: ctx.school.id, ...data },
        update: data,
        select: { schoolId: true },
      });
      return { cooldownMinutes: input.cooldownMinutes, dailyLimit: input.dailyLimit };
    }),
});

/** What the cabinet shows of an attempt: the questions in order, never the correct options while it runs. */
async function runningView(tx: Tx, a: Awaited<ReturnType<typeof ownAttempts>>[number]) {
  const questions = await attemptQuestions(tx, a.id);
  return {
    id: a.id,
    startedAt: a.started_at,
    deadlineAt: a.deadline_at,
    remainingSeconds: a.remaining,
    answers: a.answers,
    questions: questions.map((q) => ({
      id: q.question_id,
      textKk: q.text_kk,
      textRu: q.text_ru,
      options: q.options,
      hasImage: q.has_image,
    })),
  };
}

function summary(a: Awaited<ReturnType<typeof ownAttempts>>[number]) {
  return {
    id: a.id,
    startedAt: a.started_at,
    finishedAt: a.finished_at!,
    correct: a.correct_count!,
    passed: a.passed!,
    total: THEORY_QUESTIONS,
  };
}

export const quizCabinetRouter = router({
  /** The running attempt (finished automatically when its time is up), and the finished ones. */
  current: traineeProcedure().query(async ({ ctx }) => {
    let attempts = await ownAttempts(ctx.db);
    const open = attempts.find((a) => !a.finished_at);
    if (open && open.remaining <= 0) {
      await finishAttempt(scopeOf(ctx.trainee, ctx.user.id), open.id);
      attempts = await ownAttempts(ctx.db);
    }
    const running = attempts.find((a) => !a.finished_at);
    const retake = running ? null : await retakeWait(ctx.db, ctx.trainee.schoolId, attempts);
    return {
      rules: { questions: THEORY_QUESTIONS, minutes: EXAM_MINUTES, pass: THEORY_PASS },
      /** When the next attempt may start (null: now), and the school's retake rules behind it. */
      nextAttemptAt: retake?.wait?.at ?? null,
      waitReason: retake?.wait?.reason ?? null,
      retakeRules: retake?.rules ?? null,
      running: running ? await runningView(ctx.db, running) : null,
      finished: attempts.filter((a) => a.finished_at).map(summary),
    };
  }),

  /** Opens an attempt, or resumes the unfinished one. */
  start: traineeProcedure().mutation(async ({ ctx }) => {
    const scope = scopeOf(ctx.trainee, ctx.user.id);
    const [open] = await ownAttempts(ctx.db, { open: true });
    if (open && open.remaining > 0) return { id: open.id, resumed: true };
    if (open) await finishAttempt(scope, open.id);
    return { id: await drawAttempt(scope), resumed: false };
  }),

  answer: traineeProcedure()
    .input(answerInput)
    .mutation(async ({ ctx, input }) => {
      const [a] = await ownAttempts(ctx.db, { id: input.attemptId });
      if (!a) throw new AppError("NOT_FOUND", "notFound");
      if (a.finished_at) throw new AppError("BAD_REQUEST", "quiz.finished");
      const qs = await attemptQuestions(ctx.db, a.id);
      const q = qs.find((x) => x.question_id === input.questionId);
      if (!q || input.choice >= q.options.length) throw new AppError("BAD_REQUEST", "chooseOne");
      // The policy lets the trainee's role write only before deadline_at by the database's clock.
      const n = await ctx.db.$executeRaw`
      UPDATE exam_attempt SET answers = answers || jsonb_build_object(${input.questionId}::text, ${input.choice}::int)
      WHERE id = ${a.id}::uuid AND deadline_at > clock_timestamp()`;
      if (n === 0) {
        await finishAttempt(scopeOf(ctx.trainee, ctx.user.id), a.id);
        throw new AppError("BAD_REQUEST", "quiz.timeUp");
      }
      return { ok: true as const };
    }),

  finish: traineeProcedure()
    .input(attemptInput)
    .mutation(async ({ ctx, input }) => {
      const [a] = await ownAttempts(ctx.db, { id: input.attemptId });
      if (!a) throw new AppError("NOT_FOUND", "notFound");
      const r = await finishAttempt(scopeOf(ctx.trainee, ctx.user.id), a.id);
      return { correct: r.correct, passed: r.passed, total: THEORY_QUESTIONS, pass: THEORY_PASS };
    }),

  /**
   * After finishing: every question with the trainee's own answer marked right or wrong, and the correct
   * option only where the trainee answered (ADR 026) — a question left blank keeps its answer secret, so
   * finishing an empty attempt teaches nothing for the next one.
   */
  review: traineeProcedure()
    .input(attemptInput)
    .query(async ({ ctx, input }) => {
      const [a] = await ownAttempts(ctx.db, { id: input.attemptId });
      if (!a) throw new AppError("NOT_FOUND", "notFound");
      if (!a.finished_at) throw new AppError("BAD_REQUEST", "quiz.notFinished");
      const qs = await attemptQuestions(ctx.db, a.id);
      const questions = qs.map((q) => {
        const chosen = typeof a.answers[q.question_id] === "number" ? a.answers[q.question_id]! : null;
        const correct = chosen === null ? null : q.correct;
        return {
          id: q.question_id,
          textKk: q.text_kk,
          textRu: q.text_ru,
          options: q.options,
          hasImage: q.has_image,
          chosen,
          correct,
          right: chosen === null ? null : chosen === correct,
        };
      });
      return { ...summary(a), answered: questions.filter((q) => q.chosen !== null).length, questions };
    }),

  /** A picture of a question in one of the trainee's own attempts. */
  image: traineeProcedure()
    .input(imageInput)
    .query(async ({ ctx, input }) => {
      const [img] = await ctx.db.$queryRaw<
        { image: Uint8Array; image_type: string }[]
      >`SELECT image, image_type FROM quiz_attempt_image(${input.questionId}::uuid)`;
      if (!img) throw new AppError("NOT_FOUND", "notFound");
      return { contentType: img.image_type, base64: Buffer.from(img.image).toString("base64") };
    }),
});
