// The facts behind the expiry warnings (domain/warnings.ts turns them into warnings): one query for one
// or many schools.
import type { Tx } from "../db/client.ts";
import { addDays } from "../../domain/kz/time.ts";
import {
  computeWarnings,
  WARNING_DAYS,
  type Warning,
  type WarningFact,
  type WarningKind,
} from "../../domain/warnings.ts";

/** Trainees whose medical certificate still matters: not yet finished, not gone. */
export const MEDICAL_STATUSES = ["applicant", "enrolled", "training", "exams"] as const;

/**
 * The facts behind the warnings of the given schools, only those dated on or before `today + 30`.
 * Works on the app role (RLS limits it to the request's school) and on the operator role (the job).
 */
export async function loadWarningFacts(
  db: Pick<Tx, "$queryRaw">,
  schoolIds: readonly string[],
  today: string,
): Promise<WarningFact[]> {
  if (schoolIds.length === 0) return [];
  const ids = [...schoolIds];
  const horizon = addDays(today, WARNING_DAYS);
  const statuses = [...MEDICAL_STATUSES];
  const rows = await db.$queryRaw<
    { school_id: string; kind: WarningKind; subject_id: string; name: string; valid_until: string }[]
  >`
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
  return rows.map((r) => ({
    schoolId: r.school_id,
    kind: r.kind,
    subjectId: r.subject_id,
    name: r.name,
    validUntil: r.valid_until,
  }));
}

/** The warnings of one school on `today` (Almaty date). */
export async function schoolWarnings(db: Pick<Tx, "$queryRaw">, schoolId: string, today: string): Promise<Warning[]> {
  return computeWarnings(await loadWarningFacts(db, [schoolId], today), today);
}
