// The trainee register as XLSX: every trainee of the school (or those the list page's filters pick),
// one row each, with the contract's money and the medical certificate's validity.
import type { Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import { translator, type Locale } from "../../app/i18n/index.ts";
import { addRows, day, fileName, fullName, phone, streamedWorkbook, tableSheet, tenge, today, type Column } from "./common.ts";

export type RegisterFilter = { status?: string; category?: string; groupId?: string; q?: string };

export function registerWhere(f: RegisterFilter): Prisma.TraineeWhereInput {
  const and: Prisma.TraineeWhereInput[] = [];
  if (f.status) and.push({ status: f.status as Prisma.TraineeWhereInput["status"] });
  if (f.category) and.push({ category: f.category });
  if (f.groupId) and.push({ groupId: f.groupId });
  if (f.q) {
    const q = f.q;
    and.push(
      /^\+?\d+$/.test(q)
        ? { OR: [{ iin: { startsWith: q } }, { phone: { contains: q.replace(/^8/, "") } }] }
        : { OR: [{ lastName: { contains: q, mode: "insensitive" } }, { firstName: { contains: q, mode: "insensitive" } }, { latinName: { contains: q, mode: "insensitive" } }] },
    );
  }
  return { AND: and };
}

export async function registerXlsx(db: Tx, locale: Locale, filter: RegisterFilter) {
  const t = translator(locale);
  const rows = await db.trainee.findMany({
    where: registerWhere(filter),
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }, { id: "asc" }],
    select: {
      lastName: true, firstName: true, middleName: true, latinName: true, iin: true, birthDate: true, category: true, gearbox: true,
      status: true, phone: true, contractNumber: true, contractPriceTiyn: true, paidTiyn: true, medicalCertValidUntil: true,
      group: { select: { number: true } },
    },
  });
  const c = (k: string) => t(`exports:register.cols.${k}`);
  const columns: Column[] = [
    { header: c("n"), width: 6, number: "0" },
    { header: c("fullName"), width: 32 },
    { header: c("latinName"), width: 26 },
    { header: c("iin"), width: 15 },
    { header: c("birthDate"), width: 13 },
    { header: c("category"), width: 10 },
    { header: c("gearbox"), width: 15 },
    { header: c("status"), width: 16 },
    { header: c("group"), width: 12 },
    { header: c("phone"), width: 18 },
    { header: c("contractNumber"), width: 16 },
    { header: c("price"), width: 14, money: true },
    { header: c("paid"), width: 14, money: true },
    { header: c("balance"), width: 14, money: true },
    { header: c("medicalUntil"), width: 16 },
  ];
  const { wb, download } = streamedWorkbook();
  const ws = tableSheet(wb, t("exports:register.sheet"), columns);
  addRows(ws, columns, rows.map((r, i) => [
    i + 1,
    fullName(r),
    r.latinName ?? "",
    r.iin,
    day(r.birthDate),
    r.category,
    t(`training:gearbox.${r.gearbox}`),
    t(`common:traineeStatus.${r.status}`),
    r.group?.number ?? "",
    phone(r.phone),
    r.contractNumber ?? "",
    tenge(r.contractPriceTiyn),
    tenge(r.paidTiyn),
    tenge(r.contractPriceTiyn - r.paidTiyn),
    day(r.medicalCertValidUntil),
  ]));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return download(fileName([t("exports:register.file"), today()], "xlsx"));
}
