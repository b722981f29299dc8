// The operator's accounting of a month (docs/decisions/041-acts-per-month.md): the acts dated in it with their
// totals, and the register an accountant enters electronic invoices (ЭСФ) from — one row per act line with every
// field the ЭСФ form asks (turnover date, buyer, contract, service, amounts without and with VAT), and the invoices
// issued in the month on a second sheet.
import type { Tx } from "../db/client.ts";
import { translator, type Locale } from "../../domain/i18n/index.ts";
import { isoDay } from "../../domain/kz/time.ts";
import { addRows, day, fileName, tableSheet, tenge, workbook, xlsxDownload, type Column } from "../exports/common.ts";
import { vatIncluded, type Party } from "./documents.ts";
import { monthOf } from "./acts.ts";
import { operatorRequisites } from "./settings.ts";

type Offer = { version: number; date: string };

/** The acts dated in the month (`YYYY-MM`), newest number last, with the month's totals. */
export async function monthActs(tx: Tx, month: string) {
  const { first, last } = monthOf(`${month}-01`);
  const acts = await tx.$queryRaw<
    {
      id: string;
      number: string;
      act_date: Date;
      total_tiyn: bigint;
      vat_tiyn: bigint;
      school_id: string;
      name: string;
      bin_iin: string;
    }[]
  >`
    SELECT a.id::text, a.number, a.act_date, a.total_tiyn, a.vat_tiyn, s.id::text AS school_id, s.name, s.bin_iin
      FROM service_act a JOIN school s ON s.id = a.school_id
     WHERE a.act_date BETWEEN ${first}::date AND ${last}::date
     ORDER BY a.act_date, a.number`;
  return {
    month,
    acts: acts.map((a) => ({
      id: a.id,
      number: a.number,
      date: isoDay(a.act_date),
      totalTiyn: Number(a.total_tiyn),
      vatTiyn: Number(a.vat_tiyn),
      school: { id: a.school_id, name: a.name, binIin: a.bin_iin },
    })),
    totals: {
      count: acts.length,
      totalTiyn: acts.reduce((n, a) => n + Number(a.total_tiyn), 0),
      vatTiyn: acts.reduce((n, a) => n + Number(a.vat_tiyn), 0),
    },
  };
}

/** The month's ЭСФ register as XLSX, headers in the reader's language. */
export async function esfRegister(tx: Tx, month: string, locale: Locale) {
  const t = translator(locale);
  const c = (k: string) => t(`billingAdmin:esf.cols.${k}`);
  const { first, last } = monthOf(`${month}-01`);
  const [lines, invoices, supplier] = await Promise.all([
    tx.$queryRaw<
      {
        number: string;
        act_date: Date;
        period_from: Date;
        period_to: Date;
        amount_tiyn: bigint;
        vat_rate_bp: number | null;
        invoice_number: string;
        buyer: Party;
        offer: Offer;
        plan_kk: string;
        plan_ru: string;
        was_kk: string | null;
        was_ru: string | null;
      }[]
    >`
      SELECT a.number, a.act_date, l.period_from, l.period_to, l.amount_tiyn, i.vat_rate_bp, i.number AS invoice_number,
             i.buyer, i.offer, p.name_kk AS plan_kk, p.name_ru AS plan_ru, fp.name_kk AS was_kk, fp.name_ru AS was_ru
        FROM service_act a
        JOIN service_act_line l ON l.act_id = a.id
        JOIN invoice i ON i.id = l.invoice_id
        JOIN tariff_plan p ON p.id = i.plan_id
        LEFT JOIN plan_change pc ON pc.id = i.plan_change_id
        LEFT JOIN tariff_plan fp ON fp.id = pc.from_plan_id
       WHERE a.act_date BETWEEN ${first}::date AND ${last}::date
       ORDER BY a.act_date, a.number, l.period_from`,
    tx.invoice.findMany({
      where: { issuedOn: { gte: new Date(`${first}T00:00:00Z`), lte: new Date(`${last}T00:00:00Z`) } },
      orderBy: { number: "asc" },
    }),
    operatorRequisites(tx),
  ]);

  const wb = workbook();
  const actCols: Column[] = [
    { header: c("n"), width: 6, number: "0" },
    { header: c("act"), width: 16 },
    { header: c("turnoverDate"), width: 13 },
    { header: c("supplierBin"), width: 15 },
    { header: c("buyerBin"), width: 15 },
    { header: c("buyer"), width: 30 },
    { header: c("buyerAddress"), width: 30 },
    { header: c("contract"), width: 22 },
    { header: c("invoice"), width: 16 },
    { header: c("service"), width: 40 },
    { header: c("period"), width: 23 },
    { header: c("unit"), width: 9 },
    { header: c("qty"), width: 7, number: "0" },
    { header: c("withoutVat"), width: 15, money: true },
    { header: c("vatRate"), width: 9 },
    { header: c("vat"), width: 13, money: true },
    { header: c("withVat"), width: 15, money: true },
  ];
  const acts = tableSheet(wb, t("billingAdmin:esf.actsSheet"), actCols);
  const rows = lines.map((l, i) => {
    const amount = Number(l.amount_tiyn);
    const vat = l.vat_rate_bp ? vatIncluded(amount, l.vat_rate_bp) : 0;
    return [
      i + 1,
      l.number,
      day(l.act_date),
      supplier.bin,
      l.buyer.binIin,
      l.buyer.name,
      l.buyer.address ?? "",
      t("billingAdmin:esf.offer", { version: l.offer.version, date: day(l.offer.date) }),
      l.invoice_number,
      l.was_kk
        ? t("billingAdmin:esf.serviceUpgrade", {
            plan: locale === "kk" ? l.plan_kk : l.plan_ru,
            was: locale === "kk" ? l.was_kk : l.was_ru,
          })
        : t("billingAdmin:esf.service", { plan: locale === "kk" ? l.plan_kk : l.plan_ru }),
      `${day(l.period_from)}–${day(l.period_to)}`,
      t("billingAdmin:esf.unit"),
      1,
      tenge(amount - vat),
      l.vat_rate_bp ? `${l.vat_rate_bp / 100}%` : t("billingAdmin:esf.noVat"),
      tenge(vat),
      tenge(amount),
    ];
  });
  const sumOf = (k: number) => rows.reduce((n, r) => n + Math.round(Number(r[k]) * 100), 0) / 100;
  addRows(acts, actCols, [
    ...rows,
    [
      "",
      t("billingAdmin:esf.total"),
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      null,
      sumOf(13),
      "",
      sumOf(15),
      sumOf(16),
    ],
  ]);

  const invCols: Column[] = [
    { header: c("invoice"), width: 16 },
    { header: c("issuedOn"), width: 13 },
    { header: c("buyerBin"), width: 15 },
    { header: c("buyer"), width: 30 },
    { header: c("period"), width: 23 },
    { header: c("withVat"), width: 15, money: true },
    { header: c("vat"), width: 13, money: true },
    { header: c("status"), width: 14 },
  ];
  const inv = tableSheet(wb, t("billingAdmin:esf.invoicesSheet"), invCols);
  addRows(
    inv,
    invCols,
    invoices.map((i) => {
      const buyer = i.buyer as unknown as Party;
      const amount = Number(i.amountTiyn);
      return [
        i.number,
        day(i.issuedOn),
        buyer.binIin,
        buyer.name,
        `${day(i.periodStart)}–${day(i.periodEnd)}`,
        tenge(amount),
        tenge(i.vatRateBp ? vatIncluded(amount, i.vatRateBp) : 0),
        t(`billingAdmin:esf.status.${i.status}`),
      ];
    }),
  );
  return xlsxDownload(wb, fileName([t("billingAdmin:esf.file"), month], "xlsx"));
}
