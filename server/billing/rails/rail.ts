// A payment rail is a payment system that calls US: the payer's app (Kaspi today; Halyk ePay, Freedom Pay next)
// asks whether an account exists and what it owes (check), then says the money is taken (pay). What is common to
// every such rail is here; what a rail's wire looks like (parameters, codes, XML/JSON) is its own module
// (./kaspi.ts). What is being paid is a payee's ledger: the operator's invoices (./invoice-payee.ts), or a school's
// tuition (server/tuition/kaspi-payee.ts, docs/decisions/042-tuition-instalments.md).
import type { Tx } from "../../db/client.ts";

export type RailId = "kaspi";

/** Why an answer is what it is; each rail maps a verdict to its own result code and the payer's text. */
export type Verdict =
  | "ok"
  | "unknownAccount"
  | "wrongSum"
  | "voided"
  | "alreadyPaid"
  | "nothingDue"
  | "badRequest"
  | "forbidden"
  | "tooManyRequests"
  | "failed";

/** What the answer says beyond its verdict (for the payer's text and the protocol's fields). */
export type Decision = {
  verdict: Verdict;
  /** the debt's own name (an invoice number) */
  label?: string;
  /** what is owed now */
  owedTiyn?: number;
};

export type CheckRequest = { command: "check"; txnId: string; account: string };
export type PayRequest = { command: "pay"; txnId: string; account: string; sumTiyn: number; txnDate: Date | null };

/** The answer as the rail sends it back; a repeated pay gets the stored one, word for word. */
export type Answer = {
  txnId: string;
  /** our id of the transaction (a pay that was accepted) */
  prvTxnId: string | null;
  sumTiyn: number | null;
  /** the rail's result code */
  result: number;
  comment: string;
};

/**
 * A debt an account names, as it stands (under the debtor's lock when the ledger was asked to lock): an operator's
 * invoice (`invoiceId`), or a trainee's tuition at a school (`traineeId`, ADR 042).
 */
export type Debt = { invoiceId: string | null; traineeId?: string; label: string; schoolId: string; owedTiyn: number };

/** What a settled debt recorded: a payment of an invoice, or a trainee's tuition payment. */
export type Settled = { paymentId: string | null; traineePaymentId?: string | null };

export type Found = { ok: true; debt: Debt } | { ok: false; decision: Decision };

/** Money that arrived through a rail, to be recorded against a debt. */
export type Receipt = { rail: RailId; txnId: string; amountTiyn: number; receivedOn: string; note: string };

/** What a payee sells: accounts to look up, debts to settle. */
export interface PayeeLedger {
  /** The debt `account` names; with `lock`, read under the debtor's row lock (a pay), else as it is (a check). */
  find(tx: Tx, account: string, opts: { lock: boolean }): Promise<Found>;
  /** Records the money against the debt (the caller checked the sum): the ledger's one path for every rail. */
  settle(tx: Tx, debt: Debt, receipt: Receipt): Promise<Settled>;
}

/** A rail's own words: its result code for a verdict, and what it tells the payer about a decision. */
export type RailWords = { code(verdict: Verdict): number; text(d: Decision): string };

/** One payee on one rail: whose ledger a request goes to, and how the rail words the answers. */
export type Rail = { id: RailId; payee: string; ledger: PayeeLedger; words: RailWords };
