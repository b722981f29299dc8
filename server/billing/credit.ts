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
  const [row] = await tx.$queryRaw<{ received: bigint }[]>`
    SELECT coalesce((SELECT sum(p.amount_tiyn - p.refunded_tiyn) FROM payment p WHERE p.invoice_id = ${invoiceId}::uuid), 0)
         - coalesce((SELECT sum(c.amount_tiyn) FROM school_credit c JOIN payment p ON p.id = c.payment_id
                     WHERE p.invoice_id = ${invoiceId}::uuid), 0) AS received`;
  return Number(row?.received ?? 0n);
}

/** What a payment put on the credit balance and is still there (its overpayment less what refunds took back). */
export async function paymentCredit(tx: Tx, paymentId: string): Promise<number> {
  const r = await tx.schoolCredit.aggregate({ where: { paymentId }, _sum: { amountTiyn: true } });
  return Number(r._sum.amountTiyn ?? 0n);
}
