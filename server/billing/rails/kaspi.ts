// Kaspi's "payments to the merchant" protocol (the QIWI/OSMP family), as Kaspi calls it on us:
//   GET or POST (form) /pay/kaspi/<payee>  command=check|pay, txn_id, account, sum (tenge, "15000.00"),
//   txn_date (pay: YYYYMMDDHHMMSS, Almaty time).
// The answer is XML, or JSON when the request's Accept header prefers application/json:
//   <response><txn_id/><prv_txn_id/>(pay only)<sum/><result/><comment/></response>
// Result codes (Kaspi's list): 0 done; 1 account not found; 2 refused as asked — the sum is not what is owed, or
// the invoice was voided (Kaspi's "order cancelled"); 3 already paid / nothing to pay; 5 any other error (a bad
// request, access refused, too many requests from one address, our own failure). Comments are in Russian, then Kazakh: Kaspi shows them to the payer.
import { formatTiyn, translator } from "../../../domain/i18n/index.ts";
import type { CheckRequest, Decision, PayRequest, RailWords, Verdict } from "./rail.ts";

/** Kaspi's requests are a handful of short fields. */
export const KASPI_BODY_LIMIT = 16 * 1024;

const CODES: Record<Verdict, number> = {
  ok: 0,
  unknownAccount: 1,
  wrongSum: 2,
  voided: 2,
  alreadyPaid: 3,
  nothingDue: 3,
  badRequest: 5,
  forbidden: 5,
  tooManyRequests: 5,
  failed: 5,
};

/** Kaspi shows the comment in its app; both languages while they fit its field. */
const MAX_COMMENT = 250;

/** The payer's text from a block of kaspi:… keys: `answer` (the operator's invoices) or `tuition` (a school's). */
const textFrom =
  (block: "answer" | "tuition") =>
  (d: Decision): string => {
    const params = { number: d.label ?? "", amount: d.owedTiyn === undefined ? "" : formatTiyn(d.owedTiyn) };
    const key = d.verdict === "ok" && d.owedTiyn === undefined ? `kaspi:${block}.paid` : `kaspi:${block}.${d.verdict}`;
    const ru = translator("ru")(key, params);
    const both = `${ru} / ${translator("kk")(key, params)}`;
    return both.length <= MAX_COMMENT ? both : ru;
  };

export const kaspiWords: RailWords = { code: (v) => CODES[v], text: textFrom("answer") };
/** The same codes, worded for a school's tuition: a contract and a trainee's IIN rather than an invoice and a BIN. */
export const kaspiTuitionWords: RailWords = { code: (v) => CODES[v], text: textFrom("tuition") };

/** Fields as sent (for the request log), cut short. */
export type Sent = { command?: string; txnId?: string; account?: string; sum?: string; txnDate?: string };

const cut = (v: string | undefined) => (v === undefined ? undefined : v.slice(0, 100));

export function sentFields(params: URLSearchParams): Sent {
  return {
    command: cut(params.get("command") ?? undefined),
    txnId: cut(params.get("txn_id") ?? undefined),
    account: cut(params.get("account") ?? undefined),
    sum: cut(params.get("sum") ?? undefined),
    txnDate: cut(params.get("txn_date") ?? undefined),
  };
}

/** "15000.00", "15000.5", "15000" → tiyn; null when it is not an amount of tenge. */
export function parseSum(v: string | undefined): number | null {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(v?.trim() ?? "");
  return m ? Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0")) : null;
}

/** YYYYMMDDHHMMSS, Almaty time → the instant; null when it is no real moment. */
export function parseTxnDate(v: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}+05:00`);
  if (Number.isNaN(at.getTime())) return null;
  // Round trip: 20260231… is no date.
  const back = new Date(at.getTime() + 5 * 3600_000).toISOString();
  return back.slice(0, 19) === `${y}-${mo}-${d}T${h}:${mi}:${s}` ? at : null;
}

/** The request, or why it can't be one (the verdict is then badRequest). */
export function parseRequest(sent: Sent): CheckRequest | PayRequest | { bad: string } {
  const txnId = sent.txnId?.trim() ?? "";
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(txnId)) return { bad: "txn_id" };
  const account = sent.account?.trim() ?? "";
  if (account === "" || account.length > 64) return { bad: "account" };
  if (sent.command === "check") return { command: "check", txnId, account };
  if (sent.command !== "pay") return { bad: "command" };
  const sumTiyn = parseSum(sent.sum);
  if (sumTiyn === null || sumTiyn <= 0) return { bad: "sum" };
  let txnDate: Date | null = null;
  if (sent.txnDate !== undefined && sent.txnDate !== "") {
    txnDate = parseTxnDate(sent.txnDate);
    if (!txnDate) return { bad: "txn_date" };
  }
  return { command: "pay", txnId, account, sumTiyn, txnDate };
}

const tenge = (tiyn: number) => `${Math.floor(tiyn / 100)}.${String(tiyn % 100).padStart(2, "0")}`;
const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

export type Wire = {
  txnId: string;
  prvTxnId: string | null;
  sumTiyn: number | null;
  result: number;
  comment: string;
  command: "check" | "pay" | null;
};

/** The answer's body: XML by default, JSON when asked. */
export function render(w: Wire, format: "xml" | "json"): { contentType: string; body: string } {
  const sum = w.sumTiyn === null ? "" : tenge(w.sumTiyn);
  if (format === "json") {
    const body = {
      txn_id: w.txnId,
      ...(w.command === "pay" ? { prv_txn_id: w.prvTxnId ?? "" } : {}),
      sum,
      result: w.result,
      comment: w.comment,
    };
    return { contentType: "application/json; charset=utf-8", body: JSON.stringify(body) };
  }
  const el = (name: string, v: string) => (v === "" ? `<${name}/>` : `<${name}>${escapeXml(v)}</${name}>`);
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<response>",
    el("txn_id", w.txnId),
    ...(w.command === "pay" ? [el("prv_txn_id", w.prvTxnId ?? "")] : []),
    el("sum", sum),
    el("result", String(w.result)),
    el("comment", w.comment),
    "</response>",
  ].join("\n");
  return { contentType: "application/xml; charset=utf-8", body };
}
