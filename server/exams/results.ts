// Entering and correcting internal exam results. The attempt number is counted by the server under
// the trainee's row lock; the time is the database's; a correction keeps the old values, who, when
// and why — in exam_result_correction and in the journal (the trainee's history).
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { SchoolCtx } from "../trpc.ts";
import type { ExamKind, TraineeStatus } from "../db/generated/prisma/enums.ts";
import { appendJournal, dbNow } from "../training/journal.ts";
import { examPassed, PRACTICAL_DEFAULT_MAX_PENALTY, PRACTICAL_LIMIT, THEORY_PASS, THEORY_QUESTIONS } from "./rules.ts";
import { mayWriteResult, type Role } from "../../domain/roles.ts";
import { byName } from "../trainees/select.ts";
import type { Locale } from "../../domain/i18n/index.ts";

/** Who may write which kind: the director and registrar both; a teacher theory; an instructor practical. */
export function mayWrite(roles: readonly Role[], kind: ExamKind): boolean {
  return mayWriteResult(roles, kind === "theory" ? "theory" : "driving");
}

/** What the results form offers: trainees in training or exams, and which kinds the caller may enter. */
export async function resultOptions(tx: Tx, school: SchoolCtx, locale: Locale) {
  const trainees = await tx.trainee.findMany({
    where: { status: { in: ["training", "exams"] } },
    orderBy: byName(locale),
    take: 2000,
    select: { id: true, lastName: true, firstName: true, category: true, status: true },
  });
  return {
    trainees,
    kinds: (["theory", "practical"] as const).filter((k) => mayWrite(school.roles, k)),
    rules: {
      theoryQuestions: THEORY_QUESTIONS,
      theoryPass: THEORY_PASS,
      practicalMaxPenalty: PRACTICAL_DEFAULT_MAX_PENALTY,
    },
  };
}

/** The stored score and maximum for what was typed, or a refusal on the field at fault. */
function scoreOf(kind: ExamKind, score: number, maxScore: number | undefined): { score: number; maxScore: number } {
  if (kind === "theory") {
    if (score > THEORY_QUESTIONS)
      throw new AppError("BAD_REQUEST", "exams.theoryScore", { max: THEORY_QUESTIONS }, "score");
    return { score, maxScore: THEORY_QUESTIONS };
  }
  const max = maxScore ?? PRACTICAL_DEFAULT_MAX_PENALTY;
  if (max < 1 || max > PRACTICAL_LIMIT) throw new AppError("BAD_REQUEST", "exams.maxPenalty", {}, "maxScore");
  if (score > PRACTICAL_LIMIT) throw new AppError("BAD_REQUEST", "exams.penaltyScore", {}, "score");
  return { score, maxScore: max };
}

/**
 * A result stored as the trainee's next attempt of its kind, at the database's time, and journaled as
 * "exam.result"; one from the online theory exam is marked so, with its attempt. The caller serialises
 * results of one trainee (a row lock) so that attempts stay 1, 2, 3…
 */
export async function recordResult(
  tx: Tx,
  r: {
    schoolId: string;
    traineeId: string;
    kind: ExamKind;
    score: number;
    maxScore: number;
    passed: boolean;
    note: string | null;
    actorId: string;
    online?: { attemptId: string };
  },
) {
  const last = await tx.examResult.aggregate({
    where: { traineeId: r.traineeId, kind: r.kind },
    _max: { attempt: true },
  });
  const attempt = (last._max.attempt ?? 0) + 1;
  const enteredAt = await dbNow(tx);
  const id = randomUUID();
  const { score, maxScore, passed, note } = r;
  await tx.examResult.create({
    data: {
      id,
      schoolId: r.schoolId,
      traineeId: r.traineeId,
      kind: r.kind,
      attempt,
      score,
      maxScore,
      passed,
      note,
      ...(r.online ? { source: "online" as const } : {}),
      enteredAt,
      enteredBy: r.actorId,
    },
    select: { id: true },
  });
  await appendJournal(tx, r.schoolId, {
    kind: "exam.result",
    actorUserId: r.actorId,
    subjectId: r.traineeId,
    data: {
      resultId: id,
      exam: r.kind,
      attempt,
      score,
      maxScore,
      passed,
      note,
      ...(r.online ? { source: "online", attemptId: r.online.attemptId } : {}),
    },
  });
  return { id, attempt, enteredAt };
}

export async function enterResult(
  tx: Tx,
  school: SchoolCtx,
  actorId: string,
  input: { traineeId: string; kind: ExamKind; score: number; maxScore?: number; note?: string | null },
) {
  if (!mayWrite(school.roles, input.kind)) throw new AppError("FORBIDDEN", "exams.kindNotYours", {}, "kind");
  // The row lock serialises two results entered for the same trainee at once: attempts stay 1, 2, 3…
  const [trainee] = await tx.$queryRaw<{ status: TraineeStatus; last_name: string; first_name: string }[]>`
    SELECT status, last_name, first_name FROM trainee WHERE id = ${input.traineeId}::uuid FOR UPDATE`;
  if (!trainee) throw new AppError("NOT_FOUND", "notFound", {}, "traineeId");
  if (trainee.status !== "training" && trainee.status !== "exams") {
    throw new AppError(
      "BAD_REQUEST",
      "exams.traineeNotInTraining",
      { name: `${trainee.last_name} ${trainee.first_name}` },
      "traineeId",
    );
  }
  const { score, maxScore } = scoreOf(input.kind, input.score, input.maxScore);
  const passed = examPassed(input.kind, score, maxScore);
  const { id, attempt, enteredAt } = await recordResult(tx, {
    schoolId: school.id,
    traineeId: input.traineeId,
    kind: input.kind,
    score,
    maxScore,
    passed,
    note: input.note ?? null,
    actorId,
  });
  return { id, attempt, score, maxScore, passed, enteredAt };
}

export async function correctResult(
  tx: Tx,
  school: SchoolCtx,
  actorId: string,
  input: { resultId: string; score: number; maxScore?: number; note?: string | null; reason: string },
) {
  const [locked] = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id::text FROM exam_result WHERE id = ${input.resultId}::uuid FOR UPDATE`;
  if (!locked) throw new AppError("NOT_FOUND", "notFound");
  const found = await tx.examResult.findUniqueOrThrow({ where: { id: input.resultId } });
  if (!mayWrite(school.roles, found.kind)) throw new AppError("FORBIDDEN", "exams.kindNotYours");
  // An exam passed before adoption is the office's statement: it is changed on the trainee's card (ADR 029).
  if (found.source === "adoption" || found.score === null || found.maxScore === null)
    throw new AppError("BAD_REQUEST", "exams.adoptedResult", {}, "score");
  const old = { ...found, score: found.score, maxScore: found.maxScore };
  const { score, maxScore } = scoreOf(
    old.kind,
    input.score,
    input.maxScore ?? (old.kind === "practical" ? old.maxScore : undefined),
  );
  const passed = examPassed(old.kind, score, maxScore);
  const note = input.note ?? null;
  if (score === old.score && maxScore === old.maxScore && note === old.note)
    throw new AppError("BAD_REQUEST", "exams.nothingChanged", {}, "score");
  const at = await dbNow(tx);
  await tx.examResult.update({
    where: { id: old.id },
    data: { score, maxScore, passed, note, correctedAt: at, correctedBy: actorId },
    select: { id: true },
  });
  await tx.examResultCorrection.create({
    data: {
      id: randomUUID(),
      schoolId: school.id,
      examResultId: old.id,
      oldScore: old.score,
      oldMaxScore: old.maxScore,
      oldPassed: old.passed,
      oldNote: old.note,
      newScore: score,
      newMaxScore: maxScore,
      newPassed: passed,
      newNote: note,
      reason: input.reason,
      correctedBy: actorId,
      correctedAt: at,
    },
    select: { id: true },
  });
  await appendJournal(tx, school.id, {
    kind: "exam.corrected",
    actorUserId: actorId,
    subjectId: old.traineeId,
    data: {
      resultId: old.id,
      exam: old.kind,
      attempt: old.attempt,
      score,
      maxScore,
      passed,
      note,
      previous: {
        score: old.score,
        maxScore: old.maxScore,
        passed: old.passed,
        note: old.note,
        enteredAt: old.enteredAt.toISOString(),
      },
      reason: input.reason,
    },
  });
  return { id: old.id, attempt: old.attempt, score, maxScore, passed, correctedAt: at };
}

/** Results with who entered them and every correction, newest first. */
export async function listResults(tx: Tx, input: { traineeId?: string; kind?: ExamKind }) {
  const rows = await tx.examResult.findMany({
    where: { ...(input.traineeId ? { traineeId: input.traineeId } : {}), ...(input.kind ? { kind: input.kind } : {}) },
    orderBy: [{ enteredAt: "desc" }, { attempt: "desc" }],
    take: input.traineeId ? 500 : 100,
    include: { corrections: { orderBy: { correctedAt: "asc" } } },
  });
  const traineeIds = [...new Set(rows.map((r) => r.traineeId))];
  const userIds = [...new Set(rows.flatMap((r) => [r.enteredBy, ...r.corrections.map((c) => c.correctedBy)]))];
  const [trainees, users] = await Promise.all([
    tx.trainee.findMany({
      where: { id: { in: traineeIds } },
      select: { id: true, lastName: true, firstName: true, middleName: true, category: true },
    }),
    tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, fullName: true } }),
  ]);
  const tMap = new Map(trainees.map((t) => [t.id, t]));
  const names = new Map(users.map((u) => [u.id, u.fullName]));
  return rows.map((r) => ({
    id: r.id,
    traineeId: r.traineeId,
    kind: r.kind,
    attempt: r.attempt,
    score: r.score,
    maxScore: r.maxScore,
    passed: r.passed,
    note: r.note,
    /** "adoption": passed before the school used Avtomektep, on takenOn, entered here at enteredAt */
    source: r.source,
    takenOn: r.takenOn,
    enteredAt: r.enteredAt,
    enteredBy: names.get(r.enteredBy) ?? null,
    correctedAt: r.correctedAt,
    trainee: tMap.get(r.traineeId) ?? null,
    corrections: r.corrections.map((c) => ({
      at: c.correctedAt,
      by: names.get(c.correctedBy) ?? null,
      reason: c.reason,
      old: { score: c.oldScore, maxScore: c.oldMaxScore, passed: c.oldPassed, note: c.oldNote },
      new: { score: c.newScore, maxScore: c.newMaxScore, passed: c.newPassed, note: c.newNote },
    })),
  }));
}
