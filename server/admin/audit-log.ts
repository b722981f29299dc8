// The operator's audit log browser: every school's entries, newest first, 50 a page.
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { auditInput } from "./schema.ts";

const PAGE = 50;

/** One page of the audit log, by school and action; `nextBefore` is the cursor of the next page, if any. */
export async function auditPage(db: Tx, input: z.output<typeof auditInput>) {
  const rows = await db.auditLog.findMany({
    where: {
      schoolId: input.schoolId,
      action: input.action,
      ...(input.before ? { id: { lt: BigInt(input.before) } } : {}),
    },
    orderBy: { id: "desc" },
    take: PAGE + 1,
  });
  const page = rows.slice(0, PAGE).map((r) => ({ ...r, id: String(r.id) }));
  return { items: page, nextBefore: rows.length > PAGE ? page[page.length - 1]!.id : null };
}
