// Bank statement import (1C "1CClientBankExchange"): every document of the file is accounted for — each lands
// in exactly one category (matched, amount mismatch, unknown, already applied, invoice closed, not a receipt,
// unreadable), so the preview's counts and sums add up to the file's. A receipt to the operator's accounts is
// matched to an invoice by the invoice number in its purpose and the amount; the matched ones are applied in
// one transaction, and an unmatched one can be assigned to an invoice by hand. A document becomes a payment
// under a key made of its date, number, payer and amount (unique with the method), so nothing is paid twice.
import { createHash, randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import { AppError, uniqueViolationFields } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { applyPayment } from "./ledger.ts";
import { operatorRequisites } from "./settings.ts";
import {
  decodeStatement,
  invoiceNumbersIn,
  parseStatement,
  receiptStatus,
  StatementError,
  type PaymentDocument,
} from "./client-bank-exchange.ts";

/** The categories, in the order the preview shows them: what will be paid first, then what needs a look. */
export const CATEGORIES = [
  "matched",
  "amountMismatch",
  "unknown",
  "invoiceClosed",
  "alreadyApplied",
  "notReceipt",
  "unreadable",
] as const;
export type MatchKind = (typeof CATEGORIES)[number];
/** Why a document isn't a receipt, why it can't be read, or why it counts as applied already. */
export type RowReason = "outgoing" | "ownTransfer" | "otherAccount" | "badAmount" | "badDate" | "repeatedInFile";

export type PreviewRow = {
  /** the payment key of a receipt; null for what is not one */
  key: string | null;
  line: number;
  number: string;
  date: string | null;
  /** null only for a document whose amount can't be read */
  amountTiyn: number | null;
  payerName: string | null;
  payerBin: string | null;
  purpose: string;
  kind: MatchKind;
  reason: RowReason | null;
  /** the line of the key that can't be read (unreadable documents) */
  reasonLine: number | null;
  invoice: { id: string; number: string; amountTiyn: number; schoolName: string; buyerBin: string } | null;
  payerBinDiffers: boolean;
  /** the payment this document became, when it is one already */
  payment: { invoiceNumber: string; thisStatement: boolean } | null;
  /** an unmatched receipt the operator can assign to an invoice by hand */
  assignable: boolean;
};

const docKey = (d: PaymentDocument) => `${d.date}|${d.number}|${d.payerBin ?? d.payerAccount ?? ""}|${d.amountTiyn}`;

function parse(text: string) {
  try {
    return parseStatement(text);
  } catch (err) {
    if (err instanceof StatementError)
      throw new AppError("BAD_REQUEST", `billing.statement.${err.reason}`, { line: err.line }, "file");
    throw err;
  }
}

/** Stores an uploaded statement (after checking it parses) and returns its id. */
export async function uploadStatement(
  db: PrismaClient,
  file: { name: string; bytes: Uint8Array },
  userId: string,
): Promise<string> {
  const text = decodeStatement(file.bytes);
  const { documents, unreadable } = parse(text);
  if (documents.length + unreadable.length === 0)
    throw new AppError("BAD_REQUEST", "billing.statement.empty", {}, "file");
  // A text statement never holds NUL, and PostgreSQL can't store it: binary data, refused with its line.
  const nul = text.indexOf("\u0000");
  if (nul >= 0)
    throw new AppError(
      "BAD_REQUEST",
      "billing.statement.binary",
      { line: text.slice(0, nul).split(/\r\n|\r|\n/).length },
      "file",
    );
  const id = randomUUID();
  await db.bankStatement.create({
    data: {
      id,
      sha256: createHash("sha256").update(file.bytes).digest("hex"),
      fileName: file.name.slice(0, 200),
      content: text,
      uploadedBy: userId,
    },
  });
  return id;
}

/** What applying the statement would do, every document of it in exactly one category, with the totals. */
export async function previewStatement(db: PrismaClient, id: string) {
  const st = await db.bankStatement.findUnique({ where: { id } });
  if (!st) throw new AppError("NOT_FOUND", "notFound");
  const { header, documents, unreadable } = parse(st.content);
  const accounts = (await operatorRequisites(db)).banks.map((b) => b.iik);
  const status = new Map(documents.map((d) => [d, receiptStatus(d, accounts, header.accounts)]));
  const receipts = documents.filter((d) => status.get(d)!.receipt);
  const numbers = [...new Set(receipts.flatMap((d) => invoiceNumbersIn(d.purpose)))];
  const invoices = await db.invoice.findMany({
    where: { number: { in: numbers } },
    include: { school: { select: { name: true } }, payments: { select: { amountTiyn: true, refundedTiyn: true } } },
  });
  const byNumber = new Map(invoices.map((i) => [i.number, i]));
  const payments = new Map(
    (
      await db.payment.findMany({
        where: { method: "bank", externalRef: { in: receipts.map(docKey) } },
        select: {
          externalRef: true,
          statementId: true,
          invoice: {
            select: {
              id: true,
              number: true,
              amountTiyn: true,
              buyer: true,
              school: { select: { name: true } },
            },
          },
        },
      })
    ).map((p) => [p.externalRef, p]),
  );
  const invoiceRow = (inv: {
    id: string;
    number: string;
    amountTiyn: bigint;
    buyer: unknown;
    school: { name: string };
  }) => ({
    id: inv.id,
    number: inv.number,
    amountTiyn: Number(inv.amountTiyn),
    schoolName: inv.school.name,
    buyerBin: (inv.buyer as { binIin: string }).binIin,
  });

  const seenInFile = new Set<string>();
  const rows: PreviewRow[] = documents.map((d) => {
    const base = {
      line: d.line,
      number: d.number,
      date: d.date,
      amountTiyn: d.amountTiyn,
      payerName: d.payerName,
      payerBin: d.payerBin,
      purpose: d.purpose,
      reasonLine: null,
      payerBinDiffers: false,
      payment: null,
      assignable: false,
    };
    const rs = status.get(d)!;
    if (!rs.receipt) return { ...base, key: null, kind: "notReceipt", reason: rs.reason, invoice: null };
    const key = docKey(d);
    const repeated = seenInFile.has(key);
    seenInFile.add(key);
    const pay = payments.get(key);
    if (pay || repeated) {
      const thisStatement = pay?.statementId === st.id && !repeated;
      return {
        ...base,
        key,
        // applied from this statement (by its apply or by hand): matched, and was applied
        kind: thisStatement ? "matched" : "alreadyApplied",
        reason: repeated ? "repeatedInFile" : null,
        invoice: pay ? invoiceRow(pay.invoice) : null,
        payment: pay ? { invoiceNumber: pay.invoice.number, thisStatement } : null,
      };
    }
    const candidates = invoiceNumbersIn(d.purpose)
      .map((n) => byNumber.get(n))
      .filter((i) => i !== undefined);
    const inv = candidates.find((i) => i.status === "open" && left(i) === d.amountTiyn) ?? candidates[0] ?? null;
    const kind: MatchKind = !inv
      ? "unknown"
      : inv.status !== "open"
        ? "invoiceClosed"
        : left(inv) !== d.amountTiyn
          ? "amountMismatch"
          : "matched";
    return {
      ...base,
      key,
      kind,
      reason: null,
      invoice: inv ? invoiceRow(inv) : null,
      payerBinDiffers: !!inv && !!d.payerBin && d.payerBin !== (inv.buyer as { binIin: string }).binIin,
      assignable: kind === "unknown" || kind === "amountMismatch",
    };
  });
  for (const u of unreadable)
    rows.push({
      key: null,
      line: u.line,
      number: u.number,
      date: u.date,
      amountTiyn: u.amountTiyn,
      payerName: u.payerName,
      payerBin: u.payerBin,
      purpose: u.purpose,
      kind: "unreadable",
      reason: u.reason,
      reasonLine: u.reasonLine,
      invoice: null,
      payerBinDiffers: false,
      payment: null,
      assignable: false,
    });
  rows.sort((a, b) => a.line - b.line);

  const sum = (list: PreviewRow[]) => list.reduce((s, r) => s + (r.amountTiyn ?? 0), 0);
  const categories = CATEGORIES.map((kind) => {
    const of = rows.filter((r) => r.kind === kind);
    return { kind, count: of.length, sumTiyn: sum(of) };
  });
  // The file's side of the check: what its documents credit and debit the statement's own accounts, against
  // the bank's ВсегоПоступило / ВсегоСписано when it wrote them.
  const own = header.accounts.length > 0 ? header.accounts : accounts;
  const side = (d: PaymentDocument, dir: "in" | "out") => {
    if (d.direction) return d.direction === dir;
    const mine = dir === "in" ? d.recipientAccount : d.payerAccount;
    return mine !== null && own.includes(mine);
  };
  const credited = documents.filter((d) => side(d, "in")).reduce((s, d) => s + d.amountTiyn, 0);
  const debited = documents.filter((d) => side(d, "out")).reduce((s, d) => s + d.amountTiyn, 0);
  return {
    id: st.id,
    fileName: st.fileName,
    uploadedAt: st.uploadedAt,
    appliedAt: st.appliedAt,
    paidCount: st.paidCount,
    period: { from: header.dateFrom, to: header.dateTo },
    /** the number of СекцияДокумент in the file */
    documents: documents.length + unreadable.length,
    rows,
    categories,
    totals: {
      count: rows.length,
      sumTiyn: sum(rows),
      /** documents whose amount can't be read: the sum leaves them out */
      unknownAmounts: rows.filter((r) => r.amountTiyn === null).length,
    },
    file: {
      count: documents.length + unreadable.length,
      sumTiyn:
        documents.reduce((s, d) => s + d.amountTiyn, 0) + unreadable.reduce((s, u) => s + (u.amountTiyn ?? 0), 0),
      credited,
      debited,
      bankCredited: header.credited,
      bankDebited: header.debited,
      /** the bank's totals disagree with the documents: something in the file is missing or unreadable */
      mismatch:
        (header.credited !== null && header.credited !== credited) ||
        (header.debited !== null && header.debited !== debited),
    },
  };
}

/** What is left to pay on an open invoice: its amount less the credit taken off it and what it received. */
function left(inv: {
  amountTiyn: bigint;
  creditTiyn: bigint;
  payments: { amountTiyn: bigint; refundedTiyn: bigint }[];
}) {
  return Number(inv.amountTiyn) - Number(inv.creditTiyn) - paid(inv.payments);
}

function paid(payments: { amountTiyn: bigint; refundedTiyn: bigint }[]): number {
  return payments.reduce((s, p) => s + Number(p.amountTiyn) - Number(p.refundedTiyn), 0);
}

/** Applies the matched documents in one transaction; returns how many invoices it paid. */
export async function applyStatement(db: PrismaClient, id: string, userId: string) {
  const preview = await previewStatement(db, id);
  if (preview.appliedAt) throw new AppError("CONFLICT", "billing.statement.alreadyApplied");
  const matched = preview.rows.filter((r) => r.kind === "matched" && r.payment === null);
  return db.$transaction(
    async (tx) => {
      // Claim the statement first: a second apply of it at the same moment waits on this row, then finds it
      // applied and is refused — instead of paying nothing and overwriting the first one's record.
      const { count } = await tx.bankStatement.updateMany({
        where: { id, appliedAt: null },
        data: { appliedAt: new Date(), appliedBy: userId },
      });
      if (count === 0) throw new AppError("CONFLICT", "billing.statement.alreadyApplied");
      let paidCount = 0;
      for (const r of matched) {
        const result = await applyPayment(tx, {
          invoiceId: r.invoice!.id,
          method: "bank",
          externalRef: r.key!,
          amountTiyn: r.amountTiyn!,
          receivedOn: r.date!,
          payerName: r.payerName,
          payerBin: r.payerBin,
          note: `№ ${r.number}: ${r.purpose}`.slice(0, 500),
          statementId: id,
          recordedBy: userId,
        });
        if (result.outcome === "paid") paidCount++;
      }
      await tx.bankStatement.update({ where: { id }, data: { paidCount } });
      return { paid: paidCount, matched: matched.length };
    },
    { timeout: 120_000 },
  );
}

/**
 * An unmatched receipt of a statement (no invoice found, or an amount that differs) assigned to an invoice by
 * hand: applied like the statement's own payments, under the document's key, so it is paid once whatever is
 * uploaded, applied or assigned after it; audited.
 */
export async function assignStatementDocument(
  db: PrismaClient,
  actor: { id: string },
  meta: RequestMeta,
  input: { id: string; line: number; invoiceNumber: string },
) {
  const preview = await previewStatement(db, input.id);
  const row = preview.rows.find((r) => r.line === input.line);
  if (!row) throw new AppError("NOT_FOUND", "billing.statement.noDocument", { line: input.line });
  if (row.payment || row.kind === "alreadyApplied") throw new AppError("CONFLICT", "billing.statement.documentApplied");
  if (!row.assignable) throw new AppError("BAD_REQUEST", "billing.statement.notAssignable");
  const number = invoiceNumbersIn(input.invoiceNumber)[0] ?? input.invoiceNumber;
  const invoice = await db.invoice.findUnique({
    where: { number },
    select: { id: true, number: true, status: true, schoolId: true },
  });
  if (!invoice) throw new AppError("BAD_REQUEST", "billing.statement.noInvoice", { number }, "invoiceNumber");
  if (invoice.status !== "open")
    throw new AppError("CONFLICT", "billing.statement.invoiceClosed", { number }, "invoiceNumber");
  try {
    return await db.$transaction(
      async (tx) => {
        const r = await applyPayment(tx, {
          invoiceId: invoice.id,
          method: "bank",
          externalRef: row.key!,
          amountTiyn: row.amountTiyn!,
          receivedOn: row.date!,
          payerName: row.payerName,
          payerBin: row.payerBin,
          note: `№ ${row.number}: ${row.purpose}`.slice(0, 500),
          statementId: input.id,
          recordedBy: actor.id,
        });
        if (r.outcome === "duplicate") throw new AppError("CONFLICT", "billing.statement.documentApplied");
        await audit(tx, meta, {
          action: "billing.statement_document_assigned",
          schoolId: invoice.schoolId,
          actorUserId: actor.id,
          details: {
            statementId: input.id,
            line: row.line,
            document: row.number,
            key: row.key!,
            was: row.kind,
            invoice: invoice.number,
            amountTiyn: row.amountTiyn!,
            outcome: r.outcome,
          },
        });
        return { outcome: r.outcome, invoice: invoice.number, document: row.number };
      },
      { timeout: 30_000 },
    );
  } catch (e) {
    // two assignments of the same document at once: the second one's insert meets the unique key
    if (uniqueViolationFields(e)) throw new AppError("CONFLICT", "billing.statement.documentApplied");
    throw e;
  }
}
