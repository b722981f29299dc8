// Expiry warnings: documents that have expired or expire within 30 days — trainees' medical
// certificates, instructors' certificates, vehicles' insurance and inspection. A pure function turns
// facts and a date into warnings (unit-tested); one query gathers the facts for one or many schools.
import type { Tx } from "../db/client.ts";
import { addDays } from "../kz/time.ts";

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

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

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
    (a, b) => a.validUntil.localeCompare(b.validUntil) || kindOrder(a.kind) - kindOrder(b.kind) || a.name.localeCompare(b.name, "ru"),
  );
}

/** Trainees whose medical certificate still matters: not yet finished, not gone. */
export const MEDICAL_STATUSES = ["applicant", "enrolled", "training", "exams"] as const;

/**
 * The facts behind the warnings of the given schools, only those dated on or before `today + 30`.
 * Works on the app role (RLS limits it to the request's school) and on the operator role (the job).
 */
export async function loadWarningFacts(db: Pick<Tx, "$queryRaw">, schoolIds: readonly string[], today: string): Promise<WarningFact[]> {
  if (schoolIds.length === 0) return [];
  const ids = [...schoolIds];
  const horizon = addDays(today, WARNING_DAYS);
  const statuses = [...MEDICAL_STATUSES];
  const rows = await db.$queryRaw<{ school_id: string; kind: WarningKind; subject_id: string; name: string; valid_until: string }[]>`
    SELECT t.school_id::text, 'medical' AS kind, t.id::text AS subject_id, t.last_name || ' ' || t.first_name AS name,
           to_char(t.medical_cert_valid_until, 'YYYY-MM-DD') AS valid_until
      FROM trainee t
     WHERE t.school_id = ANY(${ids}::uuid[]) AND t.status::text = ANY(${statuses}::text[])
       AND t.medical_cert_valid_until <= ${horizon}::date
    UNION ALL
    SELECT sp.school_id::text, 'instructorCert', sp.user_id::text, u.full_name,
           to_char(sp.instructor_cert_valid_until, 'YYYY-MM-DD')
      FROM staff_profile sp JOIN app_user u ON u.id = sp.user_id
     WHERE sp.school_id = ANY(${ids}::uuid[]) AND sp.instructor_cert_valid_until <= ${horizon}::date
       AND u.deactivated_at IS NULL
       AND EXISTS (SELECT 1 FROM membership m WHERE m.school_id = sp.school_id AND m.user_id = sp.user_id AND m.role = 'instructor')
    UNION ALL
    SELECT v.school_id::text, 'insurance', v.id::text, v.plate, to_char(v.insurance_valid_until, 'YYYY-MM-DD')
      FROM vehicle v
     WHERE v.school_id = ANY(${ids}::uuid[]) AND v.active AND v.insurance_valid_until <= ${horizon}::date
    UNION ALL
    SELECT v.school_id::text, 'inspection', v.id::text, v.plate, to_char(v.inspection_valid_until, 'YYYY-MM-DD')
      FROM vehicle v
     WHERE v.school_id = ANY(${ids}::uuid[]) AND v.active AND v.inspection_valid_until <= ${horizon}::date`;
  return rows.map((r) => ({ schoolId: r.school_id, kind: r.kind, subjectId: r.subject_id, name: r.name, validUntil: r.valid_until }));
}

/** The warnings of one school on `today` (Almaty date). */
export async function schoolWarnings(db: Pick<Tx, "$queryRaw">, schoolId: string, today: string): Promise<Warning[]> {
  return computeWarnings(await loadWarningFacts(db, [schoolId], today), today);
}
