// Acts of completed work per month of access (docs/decisions/041-acts-per-month.md). After a month ends, each
// school gets one act for the days of its paid periods that fell in that month (and any earlier days of periods
// paid late), dated the last day it covers: the month's last day, or the end of a shorter final period. A period's
// amount is spread over its days; the part that reaches the period's end takes what is left, so the acts of an
// invoice add up to its amount to the tiyn. Every act is a row a unique key allows once per school and month, and
// every line a row the invoice and its first day allow once: a run repeated or killed half-way acts nothing twice.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import { storeDocument } from "../documents/cabinet.ts";
import { addDays, daysBetween, dbDay, isoDay } from "../../domain/kz/time.ts";
import { actPdf, vatIncluded, type ActDocData, type Party, type Requisites } from "./documents.ts";
import { invoiceLine, lockSchool, nextNumber } from "./ledger.ts";

/** The first and last day of the month a day falls in. */
export function monthOf(day: string): { first: string; last: string } {
  const first = `${day.slice(0, 7)}-01`;
  const [y, m] = first.split("-").map(Number) as [number, number];
  return { first, last: isoDay(new Date(Date.UTC(y, m, 0))) };
}

/** The month before the one a day falls in, as its first day. */
export const previousMonth = (day: string) => monthOf(addDays(monthOf(day).first, -1)).first;

export type ActPart = { from: string; to: string; amountTiyn: number };

/**
 * The parts of a paid period still to be acted up to `through` (the last day of the act's month), one per calendar
 * month. `actedThrough` is the last day already acted (null: none) and `actedTiyn` what those acts came to. A part's
 * amount is the period's amount times its share of the period's days, rounded to the tiyn; the part that ends the
 * period takes the rest, so the parts of a period always sum to its amount.
 */
export function actParts(
  period: { start: string; end: string; amountTiyn: number },
  actedThrough: string | null,
  actedTiyn: number,
  through: string,
): ActPart[] {
  const days = daysBetween(period.start, period.end) + 1;
  const parts: ActPart[] = [];
  let from = actedThrough ? addDays(actedThrough, 1) : period.start;
  let acted = actedTiyn;
  while (from <= period.end && from <= through) {
    const to = [period.end, through, monthOf(from).last].sort()[0]!;
    // what the period's days up to `to` are worth, rounded once: the parts never drift from the amount
    const upTo =
      to === period.end
        ? period.amountTiyn
        : Math.round((period.amountTiyn * (daysBetween(period.start, to) + 1)) / days);
    parts.push({ from, to, amountTiyn: upTo - acted });
    acted = upTo;
    from = addDays(to, 1);
  }
  return parts;
}

type Unacted = {
  id: string;
  number: string;
  period_start: Date;
  period_end: Date;
  amount_tiyn: bigint;
  vat_rate_bp: number | null;
  supplier: unknown;
  buyer: unknown;
  offer: unknown;
  plan_name_kk: string;
  plan_name_ru: string;
  from_plan_kk: string | null;
  from_plan_ru: string | null;
  acted_through: Date | null;
  acted_tiyn: bigint;
};

/**
 * The school's act for `month` (its first day), issued once: null when the school had no paid day to act by the
 * month's end, or when that month's act exists already (a repeated run). Runs under the school's lock, in the
 * caller's operator-role transaction.
 */
export async function issueMonthAct(tx: Tx, schoolId: string, month: string): Promise<{ number: string } | null> {
  if (!(await lockSchool(tx, schoolId))) return null;
  const { last } = monthOf(month);
  const done = await tx.serviceAct.findUnique({ where: { schoolId_month: { schoolId, month: dbDay(month) } } });
  if (done) return null;
  const invoices = await tx.$queryRaw<Unacted[]>`
    SELECT i.id, i.number, i.period_start, i.period_end, i.amount_tiyn, i.vat_rate_bp, i.supplier, i.buyer, i.offer,
           p.name_kk AS plan_name_kk, p.name_ru AS plan_name_ru, fp.name_kk AS from_plan_kk, fp.name_ru AS from_plan_ru,
           max(l.period_to) AS acted_through, coalesce(sum(l.amount_tiyn), 0)::bigint AS acted_tiyn
      FROM invoice i
      JOIN tariff_plan p ON p.id = i.plan_id
      LEFT JOIN plan_change pc ON pc.id = i.plan_change_id
      LEFT JOIN tariff_plan fp ON fp.id = pc.from_plan_id
      LEFT JOIN service_act_line l ON l.invoice_id = i.id
     WHERE i.school_id = ${schoolId}::uuid AND i.status = 'paid' AND i.period_start <= ${last}::date
       AND NOT EXISTS (SELECT 1 FROM school_document d WHERE d.kind = 'act' AND d.invoice_id = i.id)
     GROUP BY i.id, p.id, fp.id
    HAVING coalesce(max(l.period_to), i.period_start - 1) < least(i.period_end, ${last}::date)
     ORDER BY i.period_start, i.number`;
  const lines = invoices.flatMap((inv) =>
    actParts(
      { start: isoDay(inv.period_start), end: isoDay(inv.period_end), amountTiyn: Number(inv.amount_tiyn) },
      inv.acted_through ? isoDay(inv.acted_through) : null,
      Number(inv.acted_tiyn),
      last,
    ).map((part) => ({ inv, part })),
  );
  if (lines.length === 0) return null;

  // the last day served in the month: its last day, or the end of a shorter final period within it (an act that
  // carries only earlier days of a period paid late is dated the month's last day)
  const latest = lines
    .map((l) => l.part.to)
    .sort()
    .at(-1)!;
  const date = latest >= month ? latest : last;
  const number = await nextNumber(tx, "act", Number(date.slice(0, 4)));
  const newest = invoices.at(-1)!;
  const school = await tx.school.findUniqueOrThrow({ where: { id: schoolId }, select: { directorName: true } });
  const total = lines.reduce((n, l) => n + l.part.amountTiyn, 0);
  const vatRateBp = newest.vat_rate_bp;
  const data: ActDocData = {
    number,
    date,
    executor: newest.supplier as Requisites,
    customer: newest.buyer as Party,
    customerDirector: school.directorName,
    offer: newest.offer as { version: number; date: string },
    invoiceNumber: [...new Set(lines.map((l) => l.inv.number))].join(", "),
    lines: lines.map(({ inv, part }) => ({
      ...invoiceLine(
        {
          periodStart: dbDay(part.from),
          periodEnd: dbDay(part.to),
          amountTiyn: BigInt(part.amountTiyn),
          plan: { nameKk: inv.plan_name_kk, nameRu: inv.plan_name_ru },
          upgradeFrom: inv.from_plan_kk ? { nameKk: inv.from_plan_kk, nameRu: inv.from_plan_ru! } : null,
        },
        part.to,
      ),
    })),
    totalTiyn: total,
    vat: vatRateBp ? { rateBp: vatRateBp } : null,
    periodStart: lines.map((l) => l.part.from).sort()[0]!,
    periodEnd: date,
  };
  const doc = await storeDocument(tx, {
    schoolId,
    kind: "act",
    number,
    fileName: `${number}.pdf`,
    content: await actPdf(data),
    titleKk: `Орындалған жұмыстар актісі № ${number}`,
    titleRu: `Акт выполненных работ № ${number}`,
  });
  const actId = randomUUID();
  await tx.serviceAct.create({
    data: {
      id: actId,
      schoolId,
      month: dbDay(month),
      number,
      actDate: dbDay(date),
      totalTiyn: BigInt(total),
      vatTiyn: BigInt(vatRateBp ? vatIncluded(total, vatRateBp) : 0),
      documentId: doc.id,
    },
  });
  await tx.serviceActLine.createMany({
    data: lines.map(({ inv, part }) => ({
      invoiceId: inv.id,
      periodFrom: dbDay(part.from),
      periodTo: dbDay(part.to),
      actId,
      schoolId,
      amountTiyn: BigInt(part.amountTiyn),
    })),
  });
  return { number };
}

/**
 * The schools whose act for `month` is still to be drawn up: a paid period with days up to the month's end not yet
 * acted, and no act for that month yet. One query over all schools (the monthly run fans out from it).
 */
export async function schoolsToAct(tx: Tx, month: string): Promise<string[]> {
  const { last } = monthOf(month);
  const rows = await tx.$queryRaw<{ school_id: string }[]>`
    SELECT DISTINCT i.school_id::text
      FROM invoice i
     WHERE i.status = 'paid' AND i.period_start <= ${last}::date
       AND NOT EXISTS (SELECT 1 FROM service_act a WHERE a.school_id = i.school_id AND a.month = ${month}::date)
       AND NOT EXISTS (SELECT 1 FROM school_document d WHERE d.kind = 'act' AND d.invoice_id = i.id)
       AND coalesce((SELECT max(l.period_to) FROM service_act_line l WHERE l.invoice_id = i.id), i.period_start - 1)
           < least(i.period_end, ${last}::date)`;
  return rows.map((r) => r.school_id);
}
