// Schools as billing accounts in the operator's console: plan, access state, paid-through date and debt,
// and access suspended (contract 4.2.6) or restored by hand with a reason.
import type { Tx } from "../db/client.ts";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import type { SchoolStatus } from "../db/generated/prisma/enums.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { schoolSearch } from "../schools/search.ts";
import { almatyDate, dbDay, isoDay } from "../../domain/kz/time.ts";
import { invoicesReceived, leftToPay } from "./credit.ts";
import { setAccessByOperator } from "./ledger.ts";

type Actor = { id: string };

/**
 * Schools with plan, access state, paid-through date and debt — what is left to pay on their open invoices past
 * their due date (credit taken off and payments received counted, credit.leftToPay); by name or BIN.
 */
export async function schoolAccounts(db: Tx, input: { status?: SchoolStatus; q?: string }) {
  const today = almatyDate(new Date());
  const schools = await db.school.findMany({
    where: {
      status: input.status,
      ...schoolSearch(input.q),
    },
    select: {
      id: true,
      name: true,
      slug: true,
      binIin: true,
      status: true,
      subscription: { select: { paidThrough: true, plan: { select: { nameKk: true, nameRu: true } } } },
      invoices: {
        where: { status: "open", dueOn: { lt: dbDay(today) } },
        select: { id: true, status: true, amountTiyn: true, creditTiyn: true },
      },
    },
    orderBy: { name: "asc" },
    take: 300,
  });
  const received = await invoicesReceived(
    db,
    schools.flatMap((s) => s.invoices.map((i) => i.id)),
  );
  return schools.map((s) => ({
    id: s.id,
    name: s.name,
    slug: s.slug,
    binIin: s.binIin,
    status: s.status,
    planKk: s.subscription?.plan.nameKk ?? null,
    planRu: s.subscription?.plan.nameRu ?? null,
    paidThrough: s.subscription ? isoDay(s.subscription.paidThrough) : null,
    debtTiyn: s.invoices.reduce((sum, i) => sum + leftToPay(i, received.get(i.id) ?? 0), 0),
  }));
}

/** Suspend (contract 4.2.6) or restore a school by hand, with a reason; audited in the same transaction. */
export async function setAccess(
  db: PrismaClient,
  actor: Actor,
  meta: RequestMeta,
  input: { schoolId: string; action: "suspend" | "restore"; reason: string },
) {
  return db.$transaction(async (tx) => {
    const r = await setAccessByOperator(
      tx,
      input.schoolId,
      input.action === "suspend" ? "suspended" : "restore",
      actor.id,
      input.reason,
    );
    await audit(tx, meta, {
      action: "billing.access_changed",
      schoolId: input.schoolId,
      actorUserId: actor.id,
      details: { ...r, reason: input.reason },
    });
    return r;
  });
}
