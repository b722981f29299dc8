// Why a suspended school is suspended: the access ladder (non-payment, contract 4.2.6) or the operator by
// hand, with the reason the operator gave. Both are access_transition rows (server/billing/ledger.ts);
// the latest move into "suspended" tells which, so nothing else has to be stored.
import type { Tx } from "../db/client.ts";

export type Suspension = { byOperator: boolean; reason: string | null; since: Date };

/** The school's latest suspension (read in the school's own scope; RLS shows only its rows). */
export async function suspensionOf(tx: Pick<Tx, "accessTransition">, schoolId: string): Promise<Suspension | null> {
  const last = await tx.accessTransition.findFirst({
    where: { schoolId, toStatus: "suspended" },
    orderBy: { at: "desc" },
    select: { cause: true, reason: true, at: true },
  });
  if (!last) return null;
  const byOperator = last.cause === "operator";
  return { byOperator, reason: byOperator ? last.reason : null, since: last.at };
}
