// The operator's invoices as a rail's accounts: the payer enters the invoice number (AM-2026-00042, or its
// digits 202600042) or the school's BIN/IIN, which names the school's oldest unpaid invoice. A payment is
// recorded by the ledger's applyPayment — the path card and bank payments take — so it restores access at
// once and issues the act exactly as they do.
import { invoiceReceived } from "../credit.ts";
import type { Tx } from "../../db/client.ts";
import { applyPayment, lockSchool } from "../ledger.ts";
import type { Debt, Found, PayeeLedger, Receipt } from "./rail.ts";

type Account = { kind: "invoice"; number: string } | { kind: "bin"; bin: string };

/** What a payer typed, as an invoice number or a BIN/IIN; null when it can be neither. */
export function parseAccount(raw: string): Account | null {
  const s = raw.toUpperCase().replace(/[\s\u00a0№#.\-_/]/g, "");
  if (/^\d{12}$/.test(s)) return { kind: "bin", bin: s };
  const m = /^(?:AM)?(\d{4})(\d{5,7})$/.exec(s);
  if (m) return { kind: "invoice", number: `AM-${m[1]}-${m[2]}` };
  return null;
}

/**
 * What is still owed on an invoice: its amount less the credit taken off it and what its payments brought in (net
 * of refunds and of what went to the credit balance) — the ledger's own count (credit.ts).
 */
async function owedOn(tx: Tx, invoice: { id: string; amountTiyn: bigint; creditTiyn: bigint }): Promise<number> {
  return Number(invoice.amountTiyn) - Number(invoice.creditTiyn) - (await invoiceReceived(tx, invoice.id));
}

const invoiceFields = {
  id: true,
  number: true,
  schoolId: true,
  status: true,
  amountTiyn: true,
  creditTiyn: true,
} as const;

async function debtOf(
  tx: Tx,
  invoice: { id: string; number: string; schoolId: string; status: string; amountTiyn: bigint; creditTiyn: bigint },
): Promise<Found> {
  if (invoice.status === "void") return { ok: false, decision: { verdict: "voided", label: invoice.number } };
  const owedTiyn = invoice.status === "paid" ? 0 : await owedOn(tx, invoice);
  if (owedTiyn <= 0) return { ok: false, decision: { verdict: "alreadyPaid", label: invoice.number } };
  const debt: Debt = { invoiceId: invoice.id, label: invoice.number, schoolId: invoice.schoolId, owedTiyn };
  return { ok: true, debt };
}

export const operatorInvoices: PayeeLedger = {
  async find(tx, raw, { lock }) {
    const account = parseAccount(raw);
    if (!account) return { ok: false, decision: { verdict: "unknownAccount" } };
    if (account.kind === "invoice") {
      const found = await tx.invoice.findUnique({ where: { number: account.number }, select: { schoolId: true } });
      if (!found) return { ok: false, decision: { verdict: "unknownAccount" } };
      // Under the school's lock the invoice is read again: a payment that committed meanwhile is seen.
      if (lock) await lockSchool(tx, found.schoolId);
      const invoice = await tx.invoice.findUniqueOrThrow({ where: { number: account.number }, select: invoiceFields });
      return debtOf(tx, invoice);
    }
    const school = await tx.school.findUnique({ where: { binIin: account.bin }, select: { id: true } });
    if (!school) return { ok: false, decision: { verdict: "unknownAccount" } };
    if (lock) await lockSchool(tx, school.id);
    const oldest = await tx.invoice.findFirst({
      where: { schoolId: school.id, status: "open" },
      orderBy: [{ dueOn: "asc" }, { number: "asc" }],
      select: invoiceFields,
    });
    if (!oldest) return { ok: false, decision: { verdict: "nothingDue" } };
    return debtOf(tx, oldest);
  },

  async settle(tx, debt, receipt: Receipt) {
    // find() above names invoices only
    if (debt.invoiceId === null) throw new Error("the invoice payee settles invoices only");
    const r = await applyPayment(tx, {
      invoiceId: debt.invoiceId,
      method: receipt.rail,
      externalRef: receipt.txnId,
      amountTiyn: receipt.amountTiyn,
      receivedOn: receipt.receivedOn,
      note: receipt.note,
    });
    return { paymentId: r.paymentId };
  },
};
