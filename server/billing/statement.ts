// Bank statement import (1C "1CClientBankExchange"): every incoming document to the operator's accounts
// is matched to an invoice by the invoice number in its purpose and the amount, shown for review, and
// the matched ones are applied in one transaction. A document becomes a payment under a key made of its
// date, number, payer and amount, so importing the same statement again pays nothing twice.
import { createHash, randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { applyPayment } from "./ledger.ts";
import { operatorRequisites } from "./settings.ts";
import {
  decodeStatement,
  incomingPayments,
  invoiceNumbersIn,
  parseStatement,
  StatementError,
  type PaymentDocument,
} from "./client-bank-exchange.ts";

export type MatchKind = "matched" | "amountMismatch" | "unknown" | "alreadyApplied" | "invoiceClosed";
export type PreviewRow = {
  key: string;
  line: number;
  number: string;
  date: string;
  amountTiyn: number;
  payerName: string | null;
  payerBin: string | null;
  purpose: string;
  kind: MatchKind;
  invoice: { id: string; number: string; amountTiyn: number; schoolName: string; buyerBin: string } | null;
  payerBinDiffers: boolean;
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
  const { documents } = parse(text);
  if (documents.length === 0) throw new AppError("BAD_REQUEST", "billing.statement.empty", {}, "file");
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

/** What applying the statement would do, document by document. */
export async function previewStatement(db: PrismaClient, id: string) {
  const st = await db.bankStatement.findUnique({ where: { id } });
  if (!st) throw new AppError("NOT_FOUND", "notFound");
  const { header, documents } = parse(st.content);
  const accounts = (await operatorRequisites(db)).banks.map((b) => b.iik);
  const incoming = incomingPayments(documents, accounts);
  const numbers = [...new Set(incoming.flatMap((d) => invoiceNumbersIn(d.purpose)))];
  const invoices = await db.invoice.findMany({
    where: { number: { in: numbers } },
    include: { school: { select: { name: true } }, payments: { select: { amountTiyn: true, refundedTiyn: true } } },
  });
  const byNumber = new Map(invoices.map((i) => [i.number, i]));
  const keys = incoming.map(docKey);
  const applied = new Set(
    (
      await db.payment.findMany({ where: { method: "bank", externalRef: { in: keys } }, select: { externalRef: true } })
    ).map((p) => p.externalRef),
  );
  const rows: PreviewRow[] = incoming.map((d) => {
    const key = docKey(d);
    const candidates = invoiceNumbersIn(d.purpose)
      .map((n) => byNumber.get(n))
      .filter((i) => i !== undefined);
    const inv =
      candidates.find((i) => i.status === "open" && Number(i.amountTiyn) - paid(i.payments) === d.amountTiyn) ??
      candidates[0] ??
      null;
    const base = {
      key,
      line: d.line,
      number: d.number,
      date: d.date,
      amountTiyn: d.amountTiyn,
      payerName: d.payerName,
      payerBin: d.payerBin,
      purpose: d.purpose,
      invoice: inv
        ? {
            id: inv.id,
            number: inv.number,
            amountTiyn: Number(inv.amountTiyn),
            schoolName: inv.school.name,
            buyerBin: (inv.buyer as { binIin: string }).binIin,
          }
        : null,
      payerBinDiffers: !!inv && !!d.payerBin && d.payerBin !== (inv.buyer as { binIin: string }).binIin,
    };
    const kind: MatchKind = applied.has(key)
      ? "alreadyApplied"
      : !inv
        ? "unknown"
        : inv.status !== "open"
          ? "invoiceClosed"
          : Number(inv.amountTiyn) - paid(inv.payments) !== d.amountTiyn
            ? "amountMismatch"
            : "matched";
    return { ...base, kind };
  });
  return {
    id: st.id,
    fileName: st.fileName,
    uploadedAt: st.uploadedAt,
    appliedAt: st.appliedAt,
    paidCount: st.paidCount,
    period: { from: header.dateFrom, to: header.dateTo },
    documents: documents.length,
    rows,
  };
}

function paid(payments: { amountTiyn: bigint; refundedTiyn: bigint }[]): number {
  return payments.reduce((s, p) => s + Number(p.amountTiyn) - Number(p.refundedTiyn), 0);
}

/** Applies the matched documents in one transaction; returns how many invoices it paid. */
export async function applyStatement(db: PrismaClient, id: string, userId: string) {
  const preview = await previewStatement(db, id);
  if (preview.appliedAt) throw new AppError("CONFLICT", "billing.statement.alreadyApplied");
  const matched = preview.rows.filter((r) => r.kind === "matched");
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
          externalRef: r.key,
          amountTiyn: r.amountTiyn,
          receivedOn: r.date,
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
