// Who owes what for tuition (docs/decisions/042-tuition-instalments.md): every trainee whose payments fall short of
// the contract price, with what is overdue, what is due now and the next instalment's date, read from the ledger
// (the payments) against each schedule; the most overdue first. The office's list and its XLSX.
import type { Tx } from "../db/client.ts";
import { Prisma } from "../db/generated/prisma/client.ts";
import { translator, type Locale } from "../../domain/i18n/index.ts";
import { almatyDate, isoDay } from "../../domain/kz/time.ts";
import { standing } from "../../domain/tuition.ts";
import {
  addRows,
  day,
  fileName,
  phone,
  tableSheet,
  tenge,
  workbook,
  xlsxDownload,
  type Column,
} from "../exports/common.ts";

export type Debtor = {
  id: string;
  fullName: string;
  contractNumber: string | null;
  phone: string | null;
  priceTiyn: number;
  paidTiyn: number;
  balanceTiyn: number;
  overdueTiyn: number;
  dueNowTiyn: number;
  nextDueOn: string | null;
};

/** The school's tuition debtors on `today`, most overdue first, then by name in the reader's order. */
export async function tuitionDebtors(tx: Tx, locale: Locale, today = almatyDate(new Date())) {
  const order = Prisma.raw(locale === "kk" ? "name_kk" : "name_ru");
  // price less payments, per trainee, in one pass; the schedules of those who owe, in a second
  const owing = await tx.$queryRaw<
    {
      id: string;
      full_name: string;
      contract_number: string | null;
      phone: string | null;
      price: bigint;
      paid: bigint;
    }[]
  >`
    SELECT t.id::text, t.${order} AS full_name, t.contract_number, t.phone, t.contract_price_tiyn AS price,
            coalesce(p.paid, 0)::bigint AS paid
       FROM trainee t
       LEFT JOIN (SELECT trainee_id, sum(amount_tiyn) AS paid FROM trainee_payment GROUP BY trainee_id) p
              ON p.trainee_id = t.id
      WHERE t.contract_price_tiyn > coalesce(p.paid, 0)
        AND t.status NOT IN ('expelled', 'transferred')
      ORDER BY t.${order}, t.id`;
  const schedules = await tx.tuitionInstalment.findMany({
    where: { traineeId: { in: owing.map((o) => o.id) } },
    select: { traineeId: true, seq: true, dueOn: true, amountTiyn: true },
  });
  const byTrainee = new Map<string, typeof schedules>();
  for (const i of schedules) byTrainee.set(i.traineeId, [...(byTrainee.get(i.traineeId) ?? []), i]);
  const debtors: Debtor[] = owing.map((o) => {
    const s = standing(
      (byTrainee.get(o.id) ?? []).map((i) => ({
        seq: i.seq,
        dueOn: isoDay(i.dueOn),
        amountTiyn: Number(i.amountTiyn),
      })),
      Number(o.price),
      Number(o.paid),
      today,
    );
    return {
      id: o.id,
      fullName: o.full_name.trim(),
      contractNumber: o.contract_number,
      phone: o.phone,
      priceTiyn: Number(o.price),
      paidTiyn: Number(o.paid),
      balanceTiyn: s.balanceTiyn,
      overdueTiyn: s.overdueTiyn,
      dueNowTiyn: s.dueNowTiyn,
      nextDueOn: s.next?.dueOn ?? null,
    };
  });
  // stable: the name order stays within the same overdue amount
  debtors.sort((a, b) => b.overdueTiyn - a.overdueTiyn);
  return {
    today,
    debtors,
    totals: {
      count: debtors.length,
      overdueTiyn: debtors.reduce((n, d) => n + d.overdueTiyn, 0),
      balanceTiyn: debtors.reduce((n, d) => n + d.balanceTiyn, 0),
    },
  };
}

/** The debtors list as XLSX, headers in the reader's language. */
export async function tuitionDebtorsXlsx(tx: Tx, locale: Locale) {
  const t = translator(locale);
  const { today, debtors, totals } = await tuitionDebtors(tx, locale);
  const c = (k: string) => t(`training:debtors.cols.${k}`);
  const columns: Column[] = [
    { header: c("n"), width: 6, number: "0" },
    { header: c("fullName"), width: 34 },
    { header: c("contract"), width: 16 },
    { header: c("phone"), width: 18 },
    { header: c("price"), width: 14, money: true },
    { header: c("paid"), width: 14, money: true },
    { header: c("balance"), width: 14, money: true },
    { header: c("overdue"), width: 14, money: true },
    { header: c("dueNow"), width: 14, money: true },
    { header: c("next"), width: 14 },
  ];
  const wb = workbook();
  const ws = tableSheet(wb, t("training:debtors.sheet"), columns);
  addRows(ws, columns, [
    ...debtors.map((d, i) => [
      i + 1,
      d.fullName,
      d.contractNumber ?? "",
      phone(d.phone),
      tenge(d.priceTiyn),
      tenge(d.paidTiyn),
      tenge(d.balanceTiyn),
      tenge(d.overdueTiyn),
      tenge(d.dueNowTiyn),
      d.nextDueOn ? day(d.nextDueOn) : "",
    ]),
    ["", t("training:debtors.total"), "", "", "", "", tenge(totals.balanceTiyn), tenge(totals.overdueTiyn), "", ""],
  ]);
  return xlsxDownload(wb, fileName([t("training:debtors.file"), today], "xlsx"));
}
