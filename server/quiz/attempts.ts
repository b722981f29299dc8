// The online theory exam: drawing an attempt, answering, finishing (docs/decisions/012-online-theory-exam.md).
//
// The trainee's own request runs as avtomektep_trainee: it reads its attempts, the questions of its
// attempts through quiz_attempt_questions() (no correct option while the attempt runs) and writes
// `answers` of its own unfinished attempt before the deadline. Drawing the questions and scoring need
// the whole bank and write exam_result and the journal: those two steps run in a separate transaction
// of the app role with app.school_id set, for this trainee only, and the trainee's transaction holds no
// lock on the attempt when they do.
import { randomUUID } from "node:crypto";
import { inScope, type Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { dbNow } from "../training/journal.ts";
import { THEORY_PASS, THEORY_QUESTIONS } from "../exams/rules.ts";
import { recordResult } from "../exams/results.ts";
import type { TraineeCtx } from "../trpc.ts";
import { formatDate, formatDateTime } from "../../domain/i18n/index.ts";
import { nextAttemptAt, readExamRules } from "./rules.ts";

export const EXAM_MINUTES = 40;

export type AttemptRow = {
  id: string;
  question_ids: string[];
  started_at: Date;
  deadline_at: Date;
  answers: Record<string, number>;
  finished_at: Date | null;
  correct_count: number | null;
  passed: boolean | null;
  remaining: number;
};

/** The trainee's attempts as the trainee's own transaction sees them, with the seconds left by the database's clock. */
export async function ownAttempts(tx: Tx, where: { id?: string; open?: boolean } = {}): Promise<AttemptRow[]> {
  const rows = await tx.$queryRaw<AttemptRow[]>`
    SELECT id::text, question_ids::text[] AS question_ids, started_at, deadline_at, answers, finished_at, correct_count, passed,
           greatest(0, ceil(extract(epoch FROM deadline_at - clock_timestamp())))::int AS remaining
    FROM exam_attempt
    WHERE (${where.id ?? null}::uuid IS NULL OR id = ${where.id ?? null}::uuid)
      AND (${where.open ?? false} = false OR finished_at IS NULL)
    ORDER BY started_at DESC`;
  return rows;
}

type Scope = { schoolId: string; userId: string; traineeId: string };

/**
 * How many active questions the trainee's exam can draw from (its category's and those for every
 * category). The trainee's own role never reads the bank: like drawing, this runs as the app role, for
 * this trainee's school, and gives only the number.
 */
export async function bankSize(scope: Scope): Promise<number> {
  return inScope({ schoolId: scope.schoolId, userId: scope.userId }, async (tx) => {
    const [row] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(q.id)::int AS n FROM trainee t
      JOIN question q ON q.school_id = t.school_id AND q.active AND (q.category IS NULL OR q.category = t.category)
      WHERE t.id = ${scope.traineeId}::uuid`;
    return row?.n ?? 0;
  });
}

/** Draws 40 distinct active questions of the trainee's category (or for all) and opens an attempt. */
export async function drawAttempt(scope: Scope): Promise<string> {
  return inScope({ schoolId: scope.schoolId, userId: scope.userId }, async (tx) => {
    const [trainee] = await tx.$queryRaw<{ status: string; category: string }[]>`
      SELECT status::text, category FROM trainee WHERE id = ${scope.traineeId}::uuid FOR UPDATE`;
    if (!trainee) throw new AppError("NOT_FOUND", "notFound");
    if (trainee.status !== "training" && trainee.status !== "exams")
      throw new AppError("BAD_REQUEST", "quiz.notInTraining");
    const open = await tx.examAttempt.findFirst({
      where: { traineeId: scope.traineeId, finishedAt: null },
      select: { id: true },
    });
    if (open) return open.id;
    await assertRetakeAllowed(tx, scope);
    // Questions whose correct option the trainee has seen (answered in a finished attempt, ADR 026) come
    // last: first every other question of the bank, at random, then the seen ones only to fill up 40.
    const ids = await tx.$queryRaw<{ id: string }[]>`
      WITH seen AS (
        SELECT DISTINCT k.key AS id
          FROM exam_attempt a CROSS JOIN LATERAL jsonb_object_keys(a.answers) AS k(key)
         WHERE a.trainee_id = ${scope.traineeId}::uuid AND a.finished_at IS NOT NULL
      )
      SELECT q.id::text FROM question q
      WHERE q.active AND (q.category IS NULL OR q.category = ${trainee.category})
      ORDER BY EXISTS (SELECT 1 FROM seen WHERE seen.id = q.id::text), random()
      LIMIT ${THEORY_QUESTIONS}`;
    if (ids.length < THEORY_QUESTIONS) {
      throw new AppError("BAD_REQUEST", "quiz.bankTooSmall", {
        count: ids.length,
        needed: THEORY_QUESTIONS,
        category: trainee.category,
      });
    }
    const id = randomUUID();
    await tx.$executeRaw`
      INSERT INTO exam_attempt (id, school_id, trainee_id, question_ids, started_at, deadline_at)
      VALUES (${id}::uuid, ${scope.schoolId}::uuid, ${scope.traineeId}::uuid, ${ids.map((r) => r.id)}::uuid[], now(),
              now() + make_interval(mins => ${EXAM_MINUTES}))`;
    return id;
  });
}

/**
 * Scores an attempt and writes its exam_result (theory, source online) and the journal entry, all in
 * one transaction of the app role. Finishing an attempt twice returns the first result.
 */
export async function finishAttempt(scope: Scope, attemptId: string) {
  return inScope({ schoolId: scope.schoolId, userId: scope.userId }, async (tx) => {
    // The trainee's row lock first, as enterResult takes it: attempt numbers stay 1, 2, 3…
    await tx.$queryRaw`SELECT id FROM trainee WHERE id = ${scope.traineeId}::uuid FOR UPDATE`;
    const [a] = await tx.$queryRaw<
      {
        id: string;
        question_ids: string[];
        answers: Record<string, unknown>;
        finished_at: Date | null;
        correct_count: number | null;
        passed: boolean | null;
        exam_result_id: string | null;
      }[]
    >`
      SELECT id::text, question_ids::text[] AS question_ids, answers, finished_at, correct_count, passed, exam_result_id::text
      FROM exam_attempt WHERE id = ${attemptId}::uuid AND trainee_id = ${scope.traineeId}::uuid FOR UPDATE`;
    if (!a) throw new AppError("NOT_FOUND", "notFound");
    if (a.finished_at)
      return {
        correct: a.correct_count!,
        passed: a.passed!,
        resultId: a.exam_result_id,
        attempt: null as number | null,
      };
    const questions = await tx.question.findMany({
      where: { id: { in: a.question_ids } },
      select: { id: true, correct: true },
    });
    const correctOf = new Map(questions.map((q) => [q.id, q.correct]));
    let correct = 0;
    for (const qid of a.question_ids) if (correctOf.has(qid) && a.answers[qid] === correctOf.get(qid)) correct++;
    const passed = correct >= THEORY_PASS;
    const { id: resultId, attempt } = await recordResult(tx, {
      schoolId: scope.schoolId,
      traineeId: scope.traineeId,
      kind: "theory",
      score: correct,
      maxScore: THEORY_QUESTIONS,
      passed,
      note: null,
      actorId: scope.userId,
      online: { attemptId },
    });
    await tx.$executeRaw`
      UPDATE exam_attempt SET finished_at = least(now(), deadline_at), correct_count = ${correct}, passed = ${passed}, exam_result_id = ${resultId}::uuid
      WHERE id = ${attemptId}::uuid`;
    return { correct, passed, resultId, attempt };
  });
}

/**
 * Refuses a new attempt before the school's cooldown has passed since the last finished one, or past the
 * day's limit (ADR 026). Runs under the trainee row's lock, so two starts at once count each other.
 */
async function assertRetakeAllowed(tx: Tx, scope: Scope) {
  const rules = await readExamRules(tx, scope.schoolId);
  const now = await dbNow(tx);
  // The cooldown is at most a day and the limit counts today: two days of attempts decide.
  const attempts = await tx.examAttempt.findMany({
    where: { traineeId: scope.traineeId, startedAt: { gte: new Date(now.getTime() - 2 * 86_400_000) } },
    select: { startedAt: true, finishedAt: true },
  });
  const wait = nextAttemptAt(rules, attempts, now);
  if (!wait) return;
  if (wait.reason === "cooldown")
    throw new AppError("BAD_REQUEST", "quiz.retakeCooldown", {
      minutes: rules.cooldownMinutes,
      at: formatDateTime(wait.at),
    });
  throw new AppError("BAD_REQUEST", "quiz.dailyLimit", { count: rules.dailyLimit, date: formatDate(wait.at) });
}

/** When the trainee may start again (null: now), as the cabinet shows it; the trainee's own transaction reads it. */
export async function retakeWait(tx: Tx, schoolId: string, attempts: { started_at: Date; finished_at: Date | null }[]) {
  const rules = await readExamRules(tx, schoolId);
  const wait = nextAttemptAt(
    rules,
    attempts.map((a) => ({ startedAt: a.started_at, finishedAt: a.finished_at })),
    await dbNow(tx),
  );
  return { rules, wait };
}

export function scopeOf(trainee: TraineeCtx, userId: string): Scope {
  return { schoolId: trainee.schoolId, userId, traineeId: trainee.id };
}

export type AttemptQuestion = {
  question_id: string;
  pos: number;
  text_kk: string;
  text_ru: string;
  options: { kk: string; ru: string }[];
  has_image: boolean;
  correct: number | null;
};

export function attemptQuestions(tx: Tx, attemptId: string) {
  return tx.$queryRaw<
    AttemptQuestion[]
  >`SELECT question_id::text, pos, text_kk, text_ru, options, has_image, correct FROM quiz_attempt_questions(${attemptId}::uuid)`;
}
