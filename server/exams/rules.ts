// How an internal exam's result is read, and how a certificate's number is shown.
//
// Theory is modelled on the state theory exam: 40 questions, passed with at least 32 correct answers.
// score = correct answers, max_score = 40 (always; the server sets it).
//
// Practical: the examiner counts penalty points. score = penalty points, max_score = the most penalty
// points that still pass — the school's rule, 100 unless the person entering says otherwise.
// Passed when score ≤ max_score.
//
// `passed` is never typed by a person: the server derives it from these rules when the result is
// entered and again when it is corrected.
import type { ExamKind } from "../db/generated/prisma/enums.ts";

export const THEORY_QUESTIONS = 40;
export const THEORY_PASS = 32;
export const PRACTICAL_DEFAULT_MAX_PENALTY = 100;
export const PRACTICAL_LIMIT = 1000;

export function examPassed(kind: ExamKind, score: number, maxScore: number): boolean {
  return kind === "theory" ? score >= THEORY_PASS : score <= maxScore;
}

/**
 * The certificate's printed number: `А-2026-000123` — series «А» (one series per school), the year of
 * issue in Almaty, and the school's sequential number padded to six digits. The sequence runs across
 * years (it is never reset), so the year is for the reader; the number alone identifies the certificate.
 */
export function displayNumber(number: number, issuedAt: Date): string {
  const year = new Date(issuedAt.getTime() + 5 * 3600_000).getUTCFullYear();
  return `А-${year}-${String(number).padStart(6, "0")}`;
}
