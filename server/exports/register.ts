// The trainee register as XLSX: every trainee of the school (or those the list page's filters pick),
// one row each, with the contract's money and the medical certificate's validity.
import type { Tx } from "../db/client.ts";
import { translator, type Locale } from "../../domain/i18n/index.ts";
import {
  addRows,
  day,
  fileName,
  fullName,
  phone,
  streamedWorkbook,
  tableSheet,
  tenge,
  today,
  type Column,
} from "./common.ts";
import { traineeFilters } from "../trainees/access.ts";
import { byName } from "../trainees/select.ts";
import { guardedSelect, OFFICE_VIEW, type GuardedField, type TraineeView } from "../../domain/visibility.ts";

export type RegisterFilter = { status?: string; category?: string; groupId?: string; q?: string; ids?: string[] };

/**
 * The register as the caller's role may see it (ADR 026): a column the role doesn't see of every trainee
 * is left out, not left empty. Without a view: the whole register, as the office keeps it.
 */
export async function registerXlsx(db: Tx, locale: Locale, filter: RegisterFilter, view: TraineeView = OFFICE_VIEW) {
  const t = translator(locale);
  const rows = await db.trainee.findMany({
    where: { AND: await traineeFilters(db, filter, view) },
    orderBy: byName(locale),
    select: {
      lastName: true,
      firstName: true,
      middleName: true,
      category: true,
      gearbox: true,
      status: true,
      ...guardedSelect(view),
      group: { select: { number: true } },
    },
  });
  type Row = (typeof rows)[number] & {
    latinName?: string | null;
    iin?: string;
    birthDate?: Date;
    phone?: string | null;
    contractNumber?: string | null;
    contractPriceTiyn?: bigint;
    paidTiyn?: bigint;
    medicalCertValidUntil?: Date | null;
  };
  const c = (k: string) => t(`exports:register.cols.${k}`);
  const all: (Column & { field?: GuardedField; value: (r: Row, i: number) => string | number | null })[] = [
    { header: c("n"), width: 6, number: "0", value: (_r, i) => i + 1 },
    { header: c("fullName"), width: 32, value: (r) => fullName(r) },
    { header: c("latinName"), width: 26, field: "latinName", value: (r) => r.latinName ?? "" },
    { header: c("iin"), width: 15, field: "iin", value: (r) => r.iin ?? "" },
    { header: c("birthDate"), width: 13, field: "birthDate", value: (r) => day(r.birthDate) },
    { header: c("category"), width: 10, value: (r) => r.category },
    { header: c("gearbox"), width: 15, value: (r) => t(`training:gearbox.${r.gearbox}`) },
    { header: c("status"), width: 16, value: (r) => t(`common:traineeStatus.${r.status}`) },
    { header: c("group"), width: 12, value: (r) => r.group?.number ?? "" },
    { header: c("phone"), width: 18, field: "phone", value: (r) => phone(r.phone) },
    { header: c("contractNumber"), width: 16, field: "contractNumber", value: (r) => r.contractNumber ?? "" },
    {
      header: c("price"),
      width: 14,
      money: true,
      field: "contractPriceTiyn",
      value: (r) => tenge(r.contractPriceTiyn ?? 0n),
    },
    { header: c("paid"), width: 14, money: true, field: "paidTiyn", value: (r) => tenge(r.paidTiyn ?? 0n) },
    {
      header: c("balance"),
      width: 14,
      money: true,
      field: "balanceTiyn",
      value: (r) => tenge((r.contractPriceTiyn ?? 0n) - (r.paidTiyn ?? 0n)),
    },
    {
      header: c("medicalUntil"),
      width: 16,
      field: "medicalCertValidUntil",
      value: (r) => day(r.medicalCertValidUntil),
    },
  ];
  const columns = all.filter((col) => !col.field || view.every.has(col.field));
  const { wb, download } = streamedWorkbook();
  const ws = tableSheet(wb, t("exports:register.sheet"), columns);
  addRows(
    ws,
    columns,
    rows.map((r, i) => columns.map((col) => col.value(r as Row, i))),
  );
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return download(fileName([t("exports:register.file"), today()], "xlsx"));
}
