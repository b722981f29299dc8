// What people see of Kaspi: the school's billing page (how to pay, what to enter) and the operator's request log.
import { z } from "zod";
import type { Tx } from "../../db/client.ts";
import { config } from "../../config.ts";
import type { SchoolCtx } from "../../trpc.ts";
import { kaspiSettings, OPERATOR_PAYEE } from "./settings.ts";

/** The school's billing page: whether Kaspi is on, the service to find in the app, the BIN to enter. */
export async function kaspiForSchool(tx: Tx, school: SchoolCtx) {
  const [settings, row] = await Promise.all([
    kaspiSettings(tx),
    tx.school.findUnique({ where: { id: school.id }, select: { binIin: true } }),
  ]);
  const c = config();
  return {
    enabled: settings.enabled && settings.payees[OPERATOR_PAYEE] !== undefined,
    serviceName: settings.serviceName,
    bin: row?.binIin ?? null,
    // `npm start`'s local Kaspi, to pay an invoice without a phone; never in production.
    devPayUrl: c.NODE_ENV !== "production" ? (c.KASPI_STANDIN_URL ?? null) : null,
  };
}

export const kaspiRequestsInput = z.object({
  q: z.string().trim().max(64).optional(),
  page: z.coerce.number().int().min(0).max(10_000).default(0),
});

/** The request log, newest first, 50 a page; `q` finds a txn_id or an account exactly. */
export async function kaspiRequests(db: Tx, input: z.infer<typeof kaspiRequestsInput>) {
  const where = input.q ? { OR: [{ txnId: input.q }, { account: input.q }] } : {};
  const [rows, total] = await Promise.all([
    db.railRequest.findMany({ where, orderBy: { id: "desc" }, skip: input.page * 50, take: 50 }),
    db.railRequest.count({ where }),
  ]);
  return {
    total,
    items: rows.map((r) => ({
      id: String(r.id),
      at: r.at,
      payee: r.payee,
      command: r.command,
      txnId: r.txnId,
      account: r.account,
      sum: r.sum,
      result: r.result,
      httpStatus: r.httpStatus,
      prvTxnId: r.prvTxnId === null ? null : String(r.prvTxnId),
      note: r.note,
      remoteAddr: r.remoteAddr,
    })),
  };
}
