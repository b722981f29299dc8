// check and pay, whatever the rail. A check reads and writes nothing (the request log aside). A pay is recorded
// once per (rail, txn_id): in one transaction of the operator role it takes a lock on the txn_id (a second copy
// of the same pay waits here, then finds the first one's row and answers the same), looks the account up under
// the debtor's lock, and either settles the debt through the ledger or refuses — and stores the answer either
// way, so a repeat gets it word for word with the same prv_txn_id. The unique key on (rail, txn_id) holds even
// if the lock were gone. Only the exact sum owed is accepted (docs/decisions/038-kaspi-payments.md).
import { operatorDb, type Tx } from "../../db/client.ts";
import { almatyDate } from "../../../domain/kz/time.ts";
import type { Answer, CheckRequest, Decision, PayRequest, Rail } from "./rail.ts";

/** The answer a rail gives for a decision. */
export function answerFor(rail: Rail, txnId: string, decision: Decision, extra: Partial<Answer> = {}): Answer {
  return {
    txnId,
    prvTxnId: null,
    sumTiyn: decision.owedTiyn ?? null,
    result: rail.words.code(decision.verdict),
    comment: rail.words.text(decision),
    ...extra,
  };
}

/** Whether the account exists and what it owes now. */
export async function checkAccount(rail: Rail, req: CheckRequest): Promise<Answer> {
  return operatorDb().$transaction(async (tx) => {
    const found = await rail.ledger.find(tx, req.account, { lock: false });
    if (!found.ok) return answerFor(rail, req.txnId, found.decision);
    return answerFor(rail, req.txnId, { verdict: "ok", label: found.debt.label, owedTiyn: found.debt.owedTiyn });
  });
}

/** Records a pay once; `repeat` when this txn_id was answered before (the answer is then the stored one). */
export async function payAccount(rail: Rail, req: PayRequest): Promise<{ answer: Answer; repeat: boolean }> {
  // A burst of retries queues behind the lock: wait for a connection longer than Prisma's default 2 s rather
  // than answer 500 and have the rail send them all again.
  return operatorDb().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`rail:${rail.id}:${req.txnId}`}, 0))`;
      const seen = await tx.railTxn.findUnique({ where: { rail_txnId: { rail: rail.id, txnId: req.txnId } } });
      if (seen) {
        const stored: Answer = {
          txnId: seen.txnId,
          prvTxnId: seen.paymentId || seen.traineePaymentId ? String(seen.id) : null,
          sumTiyn: seen.sumTiyn === null ? null : Number(seen.sumTiyn),
          result: seen.result,
          comment: seen.comment,
        };
        return { answer: stored, repeat: true };
      }
      const found = await rail.ledger.find(tx, req.account, { lock: true });
      let decision: Decision;
      let refs: Refs = { invoiceId: null, paymentId: null, traineePaymentId: null };
      if (!found.ok) decision = found.decision;
      else if (req.sumTiyn !== found.debt.owedTiyn) {
        decision = { verdict: "wrongSum", label: found.debt.label, owedTiyn: found.debt.owedTiyn };
      } else {
        const settled = await rail.ledger.settle(tx, found.debt, {
          rail: rail.id,
          txnId: req.txnId,
          amountTiyn: req.sumTiyn,
          receivedOn: almatyDate(req.txnDate ?? new Date()),
          note: `${rail.id} ${req.txnId}`,
        });
        refs = {
          invoiceId: found.debt.invoiceId,
          paymentId: settled.paymentId,
          traineePaymentId: settled.traineePaymentId ?? null,
        };
        decision = { verdict: "ok", label: found.debt.label };
      }
      const a = answerFor(rail, req.txnId, decision, { sumTiyn: req.sumTiyn });
      const row = await store(tx, rail, req, a, refs);
      const recorded = refs.paymentId !== null || refs.traineePaymentId !== null;
      return { answer: { ...a, prvTxnId: recorded ? String(row.id) : null }, repeat: false };
    },
    { timeout: 30_000, maxWait: 15_000 },
  );
}

type Refs = { invoiceId: string | null; paymentId: string | null; traineePaymentId: string | null };

function store(tx: Tx, rail: Rail, req: PayRequest, a: Answer, refs: Refs) {
  return tx.railTxn.create({
    data: {
      rail: rail.id,
      payee: rail.payee,
      txnId: req.txnId,
      account: req.account,
      sumTiyn: req.sumTiyn,
      txnDate: req.txnDate,
      result: a.result,
      comment: a.comment,
      ...refs,
    },
    select: { id: true },
  });
}
