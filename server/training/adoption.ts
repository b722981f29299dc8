// Training done before the school used Avtomektep (docs/decisions/029-training-before-adoption.md): the date
// training started, theory and driving hours already done, and internal exams already passed — entered by the
// office on adoption, shown as such, never as the system's own marks. Every entry and change is journaled with
// the previous values (and, for a change, the reason).
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { SchoolCtx } from "../trpc.ts";
import type { ExamKind } from "../db/generated/prisma/enums.ts";
import { almatyDate, dbDay, isoDayOrNull } from "../../domain/kz/time.ts";
import {
  examPassed,
  PRACTICAL_DEFAULT_MAX_PENALTY,
  PRACTICAL_LIMIT,
  THEORY_PASS,
  THEORY_QUESTIONS,
} from "../exams/rules.ts";
import { appendJournal, dbNow } from "./journal.ts";
import { priorDateProblems } from "./prior-rules.ts";
import type { priorTrainingInput } from "./schema.ts";

/** An internal exam passed before adoption: the day it was taken and, when the paper has it, the score. */
export type PriorExam = { takenOn: string; score: number | null; maxScore: number | null };

/** What the office states about a trainee's training before adoption. */
export type PriorRecord = {
  startedOn: string | null;
  theoryMinutes: number;
  drivingMinutes: number;
  theoryExam: PriorExam | null;
  practicalExam: PriorExam | null;
};

const EMPTY: PriorRecord = {
  startedOn: null,
  theoryMinutes: 0,
  drivingMinutes: 0,
  theoryExam: null,
  practicalExam: null,
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The record as typed into the card's form, checked: dates, and exams entered only as passes. */
export function priorRecordOf(input: z.infer<typeof priorTrainingInput>, today: string): PriorRecord {
  const dates = {
    startedOn: input.startedOn ?? null,
    theoryExamOn: input.theoryExamOn ?? null,
    practicalExamOn: input.practicalExamOn ?? null,
  };
  const [problem] = priorDateProblems(dates, today);
  if (problem) throw new AppError("BAD_REQUEST", problem.key, problem.params, problem.field);

  const theoryScore = input.theoryExamScore ?? null;
  if (theoryScore !== null && (theoryScore < THEORY_PASS || theoryScore > THEORY_QUESTIONS))
    throw new AppError(
      "BAD_REQUEST",
      "adoption.theoryScore",
      { min: THEORY_PASS, max: THEORY_QUESTIONS },
      "theoryExamScore",
    );
  if (theoryScore !== null && !dates.theoryExamOn)
    throw new AppError("BAD_REQUEST", "adoption.examDate", {}, "theoryExamOn");

  const penalty = input.practicalExamScore ?? null;
  const max = input.practicalExamMax ?? null;
  if (max !== null && (max < 1 || max > PRACTICAL_LIMIT))
    throw new AppError("BAD_REQUEST", "exams.maxPenalty", {}, "practicalExamMax");
  if (penalty !== null && !examPassed("practical", penalty, max ?? PRACTICAL_DEFAULT_MAX_PENALTY))
    throw new AppError(
      "BAD_REQUEST",
      "adoption.practicalScore",
      { max: max ?? PRACTICAL_DEFAULT_MAX_PENALTY },
      "practicalExamScore",
    );
  if ((penalty !== null || max !== null) && !dates.practicalExamOn)
    throw new AppError("BAD_REQUEST", "adoption.examDate", {}, "practicalExamOn");

  return {
    startedOn: dates.startedOn,
    theoryMinutes: input.theoryHours,
    drivingMinutes: input.drivingHours,
    theoryExam: dates.theoryExamOn
      ? { takenOn: dates.theoryExamOn, score: theoryScore, maxScore: theoryScore === null ? null : THEORY_QUESTIONS }
      : null,
    practicalExam: dates.practicalExamOn
      ? {
          takenOn: dates.practicalExamOn,
          score: penalty,
          maxScore: penalty === null ? null : (max ?? PRACTICAL_DEFAULT_MAX_PENALTY),
        }
      : null,
  };
}

/** The office's record as stored now (EMPTY when nothing was entered), read under the caller's RLS scope. */
async function storedRecord(tx: Tx, traineeId: string) {
  const [prior, exams] = await Promise.all([
    tx.priorTraining.findUnique({ where: { traineeId } }),
    tx.examResult.findMany({
      where: { traineeId, source: "adoption" },
      select: { id: true, kind: true, takenOn: true, score: true, maxScore: true },
    }),
  ]);
  const exam = (kind: ExamKind): PriorExam | null => {
    const e = exams.find((x) => x.kind === kind);
    return e ? { takenOn: isoDayOrNull(e.takenOn)!, score: e.score, maxScore: e.maxScore } : null;
  };
  const record: PriorRecord = {
    startedOn: isoDayOrNull(prior?.startedOn),
    theoryMinutes: prior?.theoryMinutes ?? 0,
    drivingMinutes: prior?.drivingMinutes ?? 0,
    theoryExam: exam("theory"),
    practicalExam: exam("practical"),
  };
  return { prior, exams, record, entered: prior !== null || exams.length > 0 };
}

/**
 * Writes the office's record of a trainee's training before adoption, in the caller's transaction: the first
 * time as "entered on adoption", afterwards as a correction with a reason. Exams passed on paper become results
 * of source "adoption" that count as attempts; clearing one withdraws it. Returns what is stored now.
 */
export async function savePriorTraining(
  tx: Tx,
  schoolId: string,
  actorId: string,
  traineeId: string,
  next: PriorRecord,
  reason: string | null,
) {
  // The row lock serialises two saves for the same trainee and keeps exam attempts 1, 2, 3…
  const [trainee] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM trainee WHERE id = ${traineeId}::uuid FOR UPDATE`;
  if (!trainee) throw new AppError("NOT_FOUND", "notFound", {}, "traineeId");
  const { prior, exams, record: previous, entered } = await storedRecord(tx, traineeId);
  if (same(previous, next)) {
    if (!entered && same(next, EMPTY)) throw new AppError("BAD_REQUEST", "adoption.empty", {}, "theoryHours");
    throw new AppError("BAD_REQUEST", "exams.nothingChanged", {}, "theoryHours");
  }
  if (entered && !reason) throw new AppError("BAD_REQUEST", "adoption.reason", {}, "reason");
  const at = await dbNow(tx);
  const hours = {
    startedOn: next.startedOn ? dbDay(next.startedOn) : null,
    theoryMinutes: next.theoryMinutes,
    drivingMinutes: next.drivingMinutes,
  };
  if (prior) {
    await tx.priorTraining.update({
      where: { traineeId },
      data: { ...hours, correctedAt: at, correctedBy: actorId },
      select: { traineeId: true },
    });
  } else {
    await tx.priorTraining.create({
      data: { traineeId, schoolId, ...hours, enteredAt: at, enteredBy: actorId },
      select: { traineeId: true },
    });
  }
  for (const kind of ["theory", "practical"] as const) {
    const want = kind === "theory" ? next.theoryExam : next.practicalExam;
    const had = exams.find((e) => e.kind === kind);
    if (!want) {
      if (had) await tx.examResult.delete({ where: { id: had.id }, select: { id: true } });
      continue;
    }
    const values = { takenOn: dbDay(want.takenOn), score: want.score, maxScore: want.maxScore, passed: true };
    if (had) {
      if (!same(kind === "theory" ? previous.theoryExam : previous.practicalExam, want))
        await tx.examResult.update({
          where: { id: had.id },
          data: { ...values, correctedAt: at, correctedBy: actorId },
          select: { id: true },
        });
      continue;
    }
    const last = await tx.examResult.aggregate({ where: { traineeId, kind }, _max: { attempt: true } });
    await tx.examResult.create({
      data: {
        id: randomUUID(),
        schoolId,
        traineeId,
        kind,
        attempt: (last._max.attempt ?? 0) + 1,
        ...values,
        source: "adoption",
        enteredAt: at,
        enteredBy: actorId,
      },
      select: { id: true },
    });
  }
  await appendJournal(tx, schoolId, {
    kind: entered ? "adoption.corrected" : "adoption.entered",
    actorUserId: actorId,
    subjectId: traineeId,
    data: entered ? { ...next, previous, reason } : { ...next },
  });
  return next;
}

/** The card's form: checks what was typed against today (Almaty) and saves it. */
export async function enterPriorTraining(
  tx: Tx,
  school: SchoolCtx,
  actorId: string,
  input: z.infer<typeof priorTrainingInput>,
  now = new Date(),
) {
  const next = priorRecordOf(input, almatyDate(now));
  return savePriorTraining(tx, school.id, actorId, input.traineeId, next, input.reason ?? null);
}

/** What the card shows: the record with who entered it and when, who changed it last; null when never entered. */
export async function priorTrainingOf(tx: Tx, traineeId: string) {
  const { prior, record, entered } = await storedRecord(tx, traineeId);
  if (!entered) return null;
  const examRows = await tx.examResult.findMany({
    where: { traineeId, source: "adoption" },
    select: { enteredBy: true, enteredAt: true },
    orderBy: { enteredAt: "asc" },
  });
  // Who entered it first: the hours' row, else the first exam (both are written together by the form and import).
  const first = prior ?? examRows[0]!;
  const userIds = [first.enteredBy, ...(prior?.correctedBy ? [prior.correctedBy] : [])];
  const users = await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, fullName: true } });
  const name = (id: string | null | undefined) => users.find((u) => u.id === id)?.fullName ?? null;
  return {
    ...record,
    enteredAt: first.enteredAt,
    enteredBy: name(first.enteredBy),
    correctedAt: prior?.correctedAt ?? null,
    correctedBy: name(prior?.correctedBy),
  };
}
