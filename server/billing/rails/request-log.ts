// How long the rails' request log (rail_request, ADR 038) is kept: 400 days — a year in which a bank dispute or a
// payer's complaint can still ask what Kaspi sent and what we answered, and a margin. What a payment left behind
// for good is elsewhere: the payment, its act, and rail_txn with the answer given. The daily privacy run
// (jobs/privacy.ts) deletes older lines in batches, each its own short statement on the time index, so the table
// is never locked long; a second run finds nothing older and deletes nothing.
import type { PrismaClient } from "../../db/generated/prisma/client.ts";

export const RAIL_REQUEST_KEEP_DAYS = 400;
const BATCH = 5_000;

/** Deletes request log lines older than RAIL_REQUEST_KEEP_DAYS before `now`; how many went. */
export async function pruneRequestLog(db: PrismaClient, now = new Date(), batch = BATCH): Promise<number> {
  const before = new Date(now.getTime() - RAIL_REQUEST_KEEP_DAYS * 24 * 3600 * 1000);
  let deleted = 0;
  for (;;) {
    const n = await db.$executeRaw`
      DELETE FROM rail_request WHERE id IN (
        SELECT id FROM rail_request WHERE at < ${before} ORDER BY at LIMIT ${batch})`;
    deleted += n;
    if (n < batch) return deleted;
  }
}
