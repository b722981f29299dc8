// The operator's list of personal-data consent withdrawal requests, of every school (operator role).
import type { Tx } from "../db/client.ts";
import { isoDay } from "../../domain/kz/time.ts";

/** Withdrawal requests of all schools, newest first (at most 100), with the school's name and the effective day. */
export async function allWithdrawals(db: Tx) {
  const rows = await db.consentWithdrawal.findMany({ orderBy: { receivedAt: "desc" }, take: 100 });
  const schools = await db.school.findMany({
    where: { id: { in: rows.map((r) => r.schoolId) } },
    select: { id: true, name: true },
  });
  return rows.map((r) => ({
    ...r,
    effectiveOn: isoDay(r.effectiveOn),
    school: schools.find((s) => s.id === r.schoolId)?.name ?? "",
  }));
}
