// The school's credit balance: money it holds with the operator (an overpayment, a credit note) as entries of
// `school_credit`, each under a unique key, so whatever writes one twice (a retried billing run, a repeated
// webhook) writes it once. The ledger takes credit only inside the school's row lock (ledger.lockSchool), so
// the balance read there is the balance it spends.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";

type Entry = {
  key: string;
  schoolId: string;
  kind: "overpayment" | "credit_note" | "applied" | "refund";
  amountTiyn: number;
  invoiceId?: string | null;
  paymentId?: string | null;
  creditNoteId?: string | null;
};

/** Writes an entry once per key; false when the key was taken (nothing written). */
export async function addCredit(tx: Tx, e: Entry): Promise<boolean> {
  if (e.amountTiyn === 0) return false;
  const { count } = await tx.schoolCredit.createMany({
    data: [
      {
        id: randomUUID(),
        key: e.key,
        schoolId: e.schoolId,
        kind: e.kind,
        amountTiyn: e.amountTiyn,
        invoiceId: e.invoiceId ?? null,
        paymentId: e.paymentId ?? null,
        creditNoteId: e.creditNoteId ?? null,
      },
    ],
    skipDuplicates: true,
  });
  return count === 1;
}

/** The school's credit balance in tiyn. */
export async function creditBalance(tx: Tx, schoolId: string): Promise<number> {
  const r = await tx.schoolCredit.aggregate({ where: { schoolId }, _sum: { amountTiyn: true } });
  return Number(r._sum.amountTiyn ?? 0n);
}

/**
 * What an invoice has received: its payments less their refunds, less what of them went to the credit balance
 * (an overpayment's excess is the school's credit, not this invoice's money — counting it twice would pay two
 * invoices with it).
 */
export async function invoiceReceived(tx: Tx, invoiceId: string): Promise<number> {
  return (await invoicesReceived(tx, [invoiceId])).get(invoiceId) ?? 0;
}

/** invoiceReceived for many invoices in one read: invoice id → tiyn received (an invoice without payments is absent). */
export async function invoicesReceived(tx: Tx, invoiceIds: string[]): Promise<Map<string, number>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: string; received: bigint }[]>`
    SELECT p.invoice_id::text AS id, sum(p.amount_tiyn - p.refunded_tiyn - coalesce(c.credit, 0)) AS received
    FROM payment p
    LEFT JOIN LATERAL (SELECT sum(s.amount_tiyn) AS credit FROM school_credit s WHERE s.payment_id = p.id) c ON true
    WHERE p.invoice_id = ANY(${invoiceIds}::uuid[])
    GROUP BY p.invoice_id`;
  return new Map(rows.map((r) => [r.id, Number(r.received)]));
}

/**
 * What is still to pay on an invoice: on an open one its amount less the credit taken off it (credit_tiyn, ADR 037)
 * less what it received (invoiceReceived); nothing on a paid or void one. The invoice desk, the operator's schools
 * list and the school's billing page all count a debt with this.
 */
export function leftToPay(
  inv: { status: string; amountTiyn: bigint | number; creditTiyn: bigint | number },
  receivedTiyn: number,
): number {
  if (inv.status !== "open") return 0;
  return Math.max(0, Number(inv.amountTiyn) - Number(inv.creditTiyn) - receivedTiyn);
}

/** What a payment put on the credit balance and is still there (its overpayment less what refunds took back). */
export async function paymentCredit(tx: Tx, paymentId: string): Promise<number> {
  const r = await tx.schoolCredit.aggregate({ where: { paymentId }, _sum: { amountTiyn: true } });
  return Number(r._sum.amountTiyn ?? 0n);
}
