// Theory hours attended: the sum of the lessons a trainee was marked present at.
import type { Tx } from "../db/client.ts";

/** Minutes of theory attended, per trainee (trainees with none are absent from the map). */
export async function theoryAttendedMinutes(tx: Tx, traineeIds: string[]): Promise<Map<string, number>> {
  if (traineeIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ trainee_id: string; minutes: bigint }[]>`
    SELECT a.trainee_id::text, sum(extract(epoch FROM l.ends_at - l.starts_at) / 60)::bigint AS minutes
    FROM theory_attendance a JOIN theory_lesson l ON l.id = a.lesson_id
    WHERE a.present AND a.trainee_id = ANY(${traineeIds}::uuid[])
    GROUP BY a.trainee_id`;
  return new Map(rows.map((r) => [r.trainee_id, Number(r.minutes)]));
}
