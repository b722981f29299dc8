// Expiry warnings: documents that have expired or expire within 30 days — trainees' medical
// certificates, instructors' certificates, vehicles' insurance and inspection. A pure function turns
// facts and a date into warnings (unit-tested); server/dashboard/warnings.ts gathers the facts.
import { daysBetween } from "./kz/time.ts";

export const WARNING_DAYS = 30;
export const WARNING_KINDS = ["medical", "instructorCert", "insurance", "inspection"] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

/** A document with a validity date: whose it is (a trainee, an instructor, a vehicle) and until when. */
export type WarningFact = {
  schoolId: string;
  kind: WarningKind;
  /** trainee id, instructor's user id, or vehicle id — what the warning links to */
  subjectId: string;
  /** the trainee's or instructor's name, or the vehicle's plate */
  name: string;
  /** valid through this calendar day (inclusive), YYYY-MM-DD */
  validUntil: string;
};

export type Warning = WarningFact & {
  state: "expired" | "soon";
  /** days from today to validUntil: 0 = last valid day is today, negative = expired that many days ago */
  days: number;
};

/**
 * Which facts need attention on `today` (an Almaty calendar date, YYYY-MM-DD): expired once the
 * validity day has passed, "soon" while 0–30 days are left. Expired first, then by date and name.
 */
export function computeWarnings(facts: readonly WarningFact[], today: string): Warning[] {
  const out: Warning[] = [];
  for (const f of facts) {
    const days = daysBetween(today, f.validUntil);
    if (days > WARNING_DAYS) continue;
    out.push({ ...f, state: days < 0 ? "expired" : "soon", days });
  }
  const kindOrder = (k: WarningKind) => WARNING_KINDS.indexOf(k);
  return out.sort(
    (a, b) =>
      a.validUntil.localeCompare(b.validUntil) ||
      kindOrder(a.kind) - kindOrder(b.kind) ||
      a.name.localeCompare(b.name, "ru"),
  );
}
