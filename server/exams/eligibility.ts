// Eligibility for the state exam: a pure function over the facts, and the loader that gathers them.
//
// Requirements (each missing one is a reason with numbers):
// - theory hours: lessons attended (marked present, server/theory) plus the hours the office entered on adoption
//   (ADR 029) ≥ the programme's theory hours;
// - driving: lessons marked done plus the hours entered on adoption ≥ the programme's driving hours (the school's
//   programme, else the template);
// - the latest attempt of the internal theory exam and of the practical exam passed (an exam passed before
//   adoption, entered as such, is an attempt like any other);
// - a medical certificate with a validity date that is not before the check date (Almaty today);
// - the contract balance (price − paid) ≤ 0, paid being what the trainee's payments add up to (the ledger, ADR 042).
import type { Tx } from "../db/client.ts";
import { formatDate, formatTiyn } from "../../domain/i18n/index.ts";
import { drivingProgress } from "../training/lessons.ts";
import { theoryAttendedMinutes } from "../theory/hours.ts";
import { isoDayOrNull } from "../../domain/kz/time.ts";
import { paidByTrainee } from "../training/instalments.ts";

/** score and maxScore are null only for a pass entered on adoption without its score */
export type ExamFact = { attempt: number; score: number | null; maxScore: number | null; passed: boolean } | null;

export type EligibilityFacts = {
  /** the check date, YYYY-MM-DD in Almaty */
  today: string;
  drivingDoneMinutes: number;
  /** null when neither the school nor the template has a programme for the category */
  drivingRequiredMinutes: number | null;
  /** minutes of theory lessons the trainee was marked present at, plus theory entered on adoption */
  theoryDoneMinutes: number;
  theoryHours: number | null;
  theoryExam: ExamFact;
  practicalExam: ExamFact;
  medical: { number: string | null; validUntil: string | null };
  balanceTiyn: number;
};

export type ReasonCode =
  | "noProgramme"
  | "theoryHours"
  | "driving"
  | "theoryExamMissing"
  | "theoryExamFailed"
  | "practicalExamMissing"
  | "practicalExamFailed"
  | "medicalMissing"
  | "medicalNoDate"
  | "medicalExpired"
  | "balance";

/** `exams:reasons.<code>` with its params, all ready to print. */
export type Reason = { code: ReasonCode; params: Record<string, string> };
export type Eligibility = { eligible: boolean; reasons: Reason[] };

/** Hours with one decimal and a decimal comma, as read in Kazakhstan: 750 min → "12,5". */
export function hoursText(minutes: number): string {
  return (Math.round(minutes / 6) / 10).toString().replace(".", ",");
}

export function eligibility(f: EligibilityFacts): Eligibility {
  const reasons: Reason[] = [];
  const add = (code: ReasonCode, params: Record<string, string> = {}) => reasons.push({ code, params });

  if (f.drivingRequiredMinutes === null) add("noProgramme");
  if (f.theoryHours !== null && f.theoryDoneMinutes < f.theoryHours * 60) {
    add("theoryHours", { done: hoursText(f.theoryDoneMinutes), required: String(f.theoryHours) });
  }
  if (f.drivingRequiredMinutes !== null && f.drivingDoneMinutes < f.drivingRequiredMinutes) {
    add("driving", { done: hoursText(f.drivingDoneMinutes), required: hoursText(f.drivingRequiredMinutes) });
  }
  for (const [exam, missing, failed] of [
    [f.theoryExam, "theoryExamMissing", "theoryExamFailed"],
    [f.practicalExam, "practicalExamMissing", "practicalExamFailed"],
  ] as const) {
    if (!exam) add(missing);
    else if (!exam.passed)
      add(failed, { attempt: String(exam.attempt), score: String(exam.score ?? ""), max: String(exam.maxScore ?? "") });
  }
  if (!f.medical.number && !f.medical.validUntil) add("medicalMissing");
  else if (!f.medical.validUntil) add("medicalNoDate");
  else if (f.medical.validUntil < f.today) add("medicalExpired", { date: formatDate(f.medical.validUntil) });
  if (f.balanceTiyn > 0) add("balance", { amount: formatTiyn(f.balanceTiyn) });
  return { eligible: reasons.length === 0, reasons };
}

type TraineeForFacts = {
  id: string;
  category: string;
  gearbox: "manual" | "automatic";
  medicalCertNumber: string | null;
  medicalCertValidUntil: Date | null;
  contractPriceTiyn: bigint;
};

export const factsSelect = {
  id: true,
  category: true,
  gearbox: true,
  medicalCertNumber: true,
  medicalCertValidUntil: true,
  contractPriceTiyn: true,
} as const;

/** The latest attempt of each kind, per trainee. */
async function latestExams(tx: Tx, traineeIds: string[]) {
  if (traineeIds.length === 0) return new Map<string, { theory: ExamFact; practical: ExamFact }>();
  const rows = await tx.$queryRaw<
    {
      trainee_id: string;
      kind: "theory" | "practical";
      attempt: number;
      score: number | null;
      max_score: number | null;
      passed: boolean;
    }[]
  >`
    SELECT DISTINCT ON (trainee_id, kind) trainee_id::text, kind::text AS kind, attempt, score, max_score, passed
    FROM exam_result WHERE trainee_id = ANY(${traineeIds}::uuid[])
    ORDER BY trainee_id, kind, attempt DESC`;
  const out = new Map<string, { theory: ExamFact; practical: ExamFact }>();
  for (const r of rows) {
    const cur = out.get(r.trainee_id) ?? { theory: null, practical: null };
    cur[r.kind] = { attempt: r.attempt, score: r.score, maxScore: r.max_score, passed: r.passed };
    out.set(r.trainee_id, cur);
  }
  return out;
}

/**
 * Gathers the facts for each trainee: driving through `drivingProgress` (the same numbers as the card, hours
 * entered on adoption included); theory from attendance plus the theory hours entered on adoption.
 */
export async function loadFacts(
  tx: Tx,
  schoolId: string,
  trainees: TraineeForFacts[],
  today: string,
): Promise<Map<string, EligibilityFacts>> {
  const exams = await latestExams(
    tx,
    trainees.map((t) => t.id),
  );
  const theory = await theoryAttendedMinutes(
    tx,
    trainees.map((t) => t.id),
  );
  const paid = await paidByTrainee(
    tx,
    trainees.map((t) => t.id),
  );
  const out = new Map<string, EligibilityFacts>();
  for (const t of trainees) {
    const progress = await drivingProgress(tx, schoolId, t);
    const e = exams.get(t.id);
    out.set(t.id, {
      today,
      drivingDoneMinutes: progress.doneMinutes,
      drivingRequiredMinutes: progress.requiredMinutes,
      theoryDoneMinutes: (theory.get(t.id) ?? 0) + progress.priorTheoryMinutes,
      theoryHours: progress.theoryHours,
      theoryExam: e?.theory ?? null,
      practicalExam: e?.practical ?? null,
      medical: {
        number: t.medicalCertNumber,
        validUntil: isoDayOrNull(t.medicalCertValidUntil),
      },
      balanceTiyn: Number(t.contractPriceTiyn) - (paid.get(t.id) ?? 0),
    });
  }
  return out;
}
