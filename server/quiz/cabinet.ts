// The online theory exam as the trainee takes it in the cabinet: the running attempt and the finished
// ones, starting, answering, finishing, the review afterwards and the pictures. Every read goes through
// the trainee's own transaction (`tx`, role avtomektep_trainee); drawing and scoring run in their own
// transactions of the app role (./attempts.ts).
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { TraineeCtx } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { THEORY_PASS, THEORY_QUESTIONS } from "../exams/rules.ts";
import {
  type AttemptRow,
  attemptQuestions,
  bankSize,
  drawAttempt,
  EXAM_MINUTES,
  finishAttempt,
  ownAttempts,
  retakeWait,
  scopeOf,
} from "./attempts.ts";
import type { answerInput, attemptInput, imageInput } from "./schema.ts";

type Actor = { id: string };

/** What the cabinet shows of an attempt: the questions in order, never the correct options while it runs. */
async function runningView(tx: Tx, a: AttemptRow) {
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

function summary(a: AttemptRow) {
  return {
    id: a.id,
    startedAt: a.started_at,
    finishedAt: a.finished_at!,
    correct: a.correct_count!,
    passed: a.passed!,
    total: THEORY_QUESTIONS,
  };
}

/** The running attempt (finished first when its time is up), the finished ones, and when the next may start. */
export async function currentExam(tx: Tx, trainee: TraineeCtx, actor: Actor) {
  let attempts = await ownAttempts(tx);
  const open = attempts.find((a) => !a.finished_at);
  if (open && open.remaining <= 0) {
    await finishAttempt(scopeOf(trainee, actor.id), open.id);
    attempts = await ownAttempts(tx);
  }
  const running = attempts.find((a) => !a.finished_at);
  const retake = running ? null : await retakeWait(tx, trainee.schoolId, attempts);
  // Before the Start button: whether the school's bank can make an exam at all, so the page says so
  // instead of refusing the press.
  const bank = running ? null : await bankSize(scopeOf(trainee, actor.id));
  return {
    rules: { questions: THEORY_QUESTIONS, minutes: EXAM_MINUTES, pass: THEORY_PASS },
    /** When the next attempt may start (null: now), and the school's retake rules behind it. */
    nextAttemptAt: retake?.wait?.at ?? null,
    waitReason: retake?.wait?.reason ?? null,
    retakeRules: retake?.rules ?? null,
    /** active questions the exam can draw from now (null while an attempt runs); fewer than `rules.questions`: no exam */
    bankSize: bank,
    running: running ? await runningView(tx, running) : null,
    finished: attempts.filter((a) => a.finished_at).map(summary),
  };
}

/** Opens an attempt, or resumes the unfinished one (an unfinished one whose time is up is finished first). */
export async function startAttempt(tx: Tx, trainee: TraineeCtx, actor: Actor) {
  const scope = scopeOf(trainee, actor.id);
  const [open] = await ownAttempts(tx, { open: true });
  if (open && open.remaining > 0) return { id: open.id, resumed: true };
  if (open) await finishAttempt(scope, open.id);
  return { id: await drawAttempt(scope), resumed: false };
}

/** Records one answer of a running attempt; past the deadline the attempt is finished and the answer refused. */
export async function answerQuestion(tx: Tx, trainee: TraineeCtx, actor: Actor, input: z.infer<typeof answerInput>) {
  const [a] = await ownAttempts(tx, { id: input.attemptId });
  if (!a) throw new AppError("NOT_FOUND", "notFound");
  if (a.finished_at) throw new AppError("BAD_REQUEST", "quiz.finished");
  const qs = await attemptQuestions(tx, a.id);
  const q = qs.find((x) => x.question_id === input.questionId);
  if (!q || input.choice >= q.options.length) throw new AppError("BAD_REQUEST", "chooseOne");
  // The policy lets the trainee's role write only before deadline_at by the database's clock.
  const n = await tx.$executeRaw`
      UPDATE exam_attempt SET answers = answers || jsonb_build_object(${input.questionId}::text, ${input.choice}::int)
      WHERE id = ${a.id}::uuid AND deadline_at > clock_timestamp()`;
  if (n === 0) {
    await finishAttempt(scopeOf(trainee, actor.id), a.id);
    throw new AppError("BAD_REQUEST", "quiz.timeUp");
  }
  return { ok: true as const };
}

/** Finishes one of the trainee's own attempts and says how it went. */
export async function finishOwnAttempt(tx: Tx, trainee: TraineeCtx, actor: Actor, input: z.infer<typeof attemptInput>) {
  const [a] = await ownAttempts(tx, { id: input.attemptId });
  if (!a) throw new AppError("NOT_FOUND", "notFound");
  const r = await finishAttempt(scopeOf(trainee, actor.id), a.id);
  return { correct: r.correct, passed: r.passed, total: THEORY_QUESTIONS, pass: THEORY_PASS };
}

/**
 * A finished attempt: every question with the trainee's own answer marked right or wrong, and the correct
 * option only where the trainee answered (ADR 026).
 */
export async function reviewAttempt(tx: Tx, input: z.infer<typeof attemptInput>) {
  const [a] = await ownAttempts(tx, { id: input.attemptId });
  if (!a) throw new AppError("NOT_FOUND", "notFound");
  if (!a.finished_at) throw new AppError("BAD_REQUEST", "quiz.notFinished");
  const qs = await attemptQuestions(tx, a.id);
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
}

/** The picture of a question in one of the trainee's own attempts. */
export async function attemptImage(tx: Tx, input: z.infer<typeof imageInput>) {
  const [img] = await tx.$queryRaw<
    { image: Uint8Array; image_type: string }[]
  >`SELECT image, image_type FROM quiz_attempt_image(${input.questionId}::uuid)`;
  if (!img) throw new AppError("NOT_FOUND", "notFound");
  return { contentType: img.image_type, base64: Buffer.from(img.image).toString("base64") };
}
