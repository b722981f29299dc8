// The reconciliation act (акт сверки взаиморасчётов) between the operator and one school for a date range, read
// from the ledger (docs/decisions/041-acts-per-month.md, "Reconciliation"): what the operator rendered (acts, by
// their dates) and paid back (refunds) is the school's debit; what the school paid, and what the operator credited
// it (credit notes), its credit. The opening
// balance is the same sums before the range; the closing one adds the range's. A positive balance is the school's
// debt to the operator, a negative one its advance.
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { PDF } from "../documents/pdf.ts";
import type { FileDownload } from "../../domain/files.ts";
import { almatyDate, isoDay } from "../../domain/kz/time.ts";
import { reconciliationPdf, type Party, type Requisites } from "./documents.ts";
import { operatorRequisites } from "./settings.ts";

export type ReconciliationLine = {
  date: string;
  kind: "act" | "payment" | "refund" | "credit_note";
  /** the act's or invoice's number, the payment's reference */
  number: string;
  debitTiyn: number;
  creditTiyn: number;
};

export type Reconciliation = {
  from: string;
  to: string;
  openingTiyn: number;
  lines: ReconciliationLine[];
  debitTiyn: number;
  creditTiyn: number;
  closingTiyn: number;
};

/** Every movement of the school's account up to `to`, oldest first (acts, payments and refunds by their dates). */
async function movements(tx: Tx, schoolId: string, to: string): Promise<ReconciliationLine[]> {
  const rows = await tx.$queryRaw<{ date: Date; kind: ReconciliationLine["kind"]; number: string; amount: bigint }[]>`
    SELECT a.act_date AS date, 'act' AS kind, a.number, a.total_tiyn AS amount
      FROM service_act a WHERE a.school_id = ${schoolId}::uuid AND a.act_date <= ${to}::date
    UNION ALL
    -- acts issued at payment before acts per month (ADR 041): the whole invoice, on the day the act was made
    SELECT (d.created_at AT TIME ZONE 'Asia/Almaty')::date, 'act', d.number, i.amount_tiyn
      FROM school_document d JOIN invoice i ON i.id = d.invoice_id
     WHERE d.school_id = ${schoolId}::uuid AND d.kind = 'act'
       AND (d.created_at AT TIME ZONE 'Asia/Almaty')::date <= ${to}::date
    UNION ALL
    SELECT p.received_on, 'payment', i.number || ' · ' || p.external_ref, p.amount_tiyn
      FROM payment p JOIN invoice i ON i.id = p.invoice_id
     WHERE p.school_id = ${schoolId}::uuid AND p.received_on <= ${to}::date
    UNION ALL
    -- refunds the operator made from the desk, each on its day
    SELECT (r.at AT TIME ZONE 'Asia/Almaty')::date, 'refund', i.number || ' · ' || r.reference, r.amount_tiyn
      FROM payment_refund r JOIN payment p ON p.id = r.payment_id JOIN invoice i ON i.id = p.invoice_id
     WHERE r.school_id = ${schoolId}::uuid AND (r.at AT TIME ZONE 'Asia/Almaty')::date <= ${to}::date
    UNION ALL
    -- and what else the payment system says was refunded (a card refund made in Stripe), on its last refund's day
    SELECT (p.refunded_at AT TIME ZONE 'Asia/Almaty')::date, 'refund', i.number || ' · ' || p.external_ref,
           p.refunded_tiyn - coalesce((SELECT sum(r.amount_tiyn) FROM payment_refund r WHERE r.payment_id = p.id), 0)
      FROM payment p JOIN invoice i ON i.id = p.invoice_id
     WHERE p.school_id = ${schoolId}::uuid AND p.refunded_at IS NOT NULL
       AND p.refunded_tiyn > coalesce((SELECT sum(r.amount_tiyn) FROM payment_refund r WHERE r.payment_id = p.id), 0)
       AND (p.refunded_at AT TIME ZONE 'Asia/Almaty')::date <= ${to}::date
    UNION ALL
    SELECT (n.at AT TIME ZONE 'Asia/Almaty')::date, 'credit_note', n.number, n.amount_tiyn
      FROM credit_note n WHERE n.school_id = ${schoolId}::uuid AND (n.at AT TIME ZONE 'Asia/Almaty')::date <= ${to}::date
    ORDER BY 1, 2, 3`;
  return rows.map((r) => {
    const amount = Number(r.amount);
    const debit = r.kind === "payment" || r.kind === "credit_note" ? 0 : amount;
    return { date: isoDay(r.date), kind: r.kind, number: r.number, debitTiyn: debit, creditTiyn: amount - debit };
  });
}

/** The reconciliation of one school's account for `from`..`to` (both days included). */
export async function reconciliation(tx: Tx, schoolId: string, from: string, to: string): Promise<Reconciliation> {
  if (from > to) throw new AppError("BAD_REQUEST", "billing.reconciliationRange");
  const all = await movements(tx, schoolId, to);
  const before = all.filter((l) => l.date < from);
  const lines = all.filter((l) => l.date >= from);
  const sum = (ls: ReconciliationLine[], k: "debitTiyn" | "creditTiyn") => ls.reduce((n, l) => n + l[k], 0);
  const openingTiyn = sum(before, "debitTiyn") - sum(before, "creditTiyn");
  const debitTiyn = sum(lines, "debitTiyn");
  const creditTiyn = sum(lines, "creditTiyn");
  return { from, to, openingTiyn, lines, debitTiyn, creditTiyn, closingTiyn: openingTiyn + debitTiyn - creditTiyn };
}

/** The reconciliation act as a bilingual PDF, with both parties' requisites as they are today. */
export async function reconciliationDocument(
  tx: Tx,
  schoolId: string,
  input: { from: string; to: string },
): Promise<FileDownload> {
  const school = await tx.school.findUnique({
    where: { id: schoolId },
    select: { name: true, binIin: true, address: true, directorName: true },
  });
  if (!school) throw new AppError("NOT_FOUND", "notFound");
  const [data, supplier] = await Promise.all([
    reconciliation(tx, schoolId, input.from, input.to),
    operatorRequisites(tx),
  ]);
  const customer: Party = { name: school.name, binIin: school.binIin, address: school.address };
  const pdf = await reconciliationPdf({
    ...data,
    date: almatyDate(new Date()),
    executor: supplier as Requisites,
    customer,
    customerDirector: school.directorName,
  });
  return {
    fileName: `akt-sverki-${school.binIin}-${input.from}-${input.to}.pdf`,
    contentType: PDF,
    base64: pdf.toString("base64"),
  };
}
