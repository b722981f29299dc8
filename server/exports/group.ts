// The group list for the state exam: a header block naming the school and the group, then every
// trainee of the group with IIN, birth date, driving hours done against the programme, the medical
// certificate's validity and what is still to pay.
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { translator, type Locale } from "../../domain/i18n/index.ts";
import { drivingProgress } from "../training/lessons.ts";
import {
  addRows,
  day,
  dayTime,
  fileName,
  fullName,
  tableSheet,
  tenge,
  today,
  workbook,
  xlsxDownload,
  type Column,
} from "./common.ts";
import { guardedSelect, OFFICE_VIEW, type GuardedField, type TraineeView } from "../../domain/visibility.ts";
import { byName } from "../trainees/select.ts";

/** As the caller's role may see it (ADR 026): a column it doesn't see of every trainee is left out. Without a view: the office's list. */
export async function groupXlsx(
  db: Tx,
  school: { id: string; name: string },
  locale: Locale,
  groupId: string,
  view: TraineeView = OFFICE_VIEW,
) {
  const t = translator(locale);
  const group = await db.studyGroup.findUnique({ where: { id: groupId } });
  if (!group) throw new AppError("NOT_FOUND", "notFound");
  const [trainees, teacher] = await Promise.all([
    db.trainee.findMany({
      where: { groupId: group.id },
      orderBy: byName(locale),
      select: {
        id: true,
        lastName: true,
        firstName: true,
        middleName: true,
        category: true,
        gearbox: true,
        ...guardedSelect(view),
      },
    }),
    group.teacherId ? db.user.findUnique({ where: { id: group.teacherId }, select: { fullName: true } }) : null,
  ]);
  const progress: Awaited<ReturnType<typeof drivingProgress>>[] = [];
  for (const tr of trainees) progress.push(await drivingProgress(db, school.id, tr));

  const c = (k: string) => t(`exports:group.cols.${k}`);
  type Row = (typeof trainees)[number] & {
    iin?: string;
    birthDate?: Date;
    medicalCertValidUntil?: Date | null;
    contractPriceTiyn?: bigint;
    paidTiyn?: bigint;
  };
  type P = Awaited<ReturnType<typeof drivingProgress>>;
  const all: (Column & { field?: GuardedField; value: (tr: Row, p: P, i: number) => string | number | null })[] = [
    { header: c("n"), width: 6, number: "0", value: (_tr, _p, i) => i + 1 },
    { header: c("fullName"), width: 34, value: (tr) => fullName(tr) },
    { header: c("iin"), width: 15, field: "iin", value: (tr) => tr.iin ?? "" },
    { header: c("birthDate"), width: 13, field: "birthDate", value: (tr) => day(tr.birthDate) },
    {
      header: c("drivingDone"),
      width: 14,
      number: "0.0",
      value: (_tr, p) => Math.round((p.doneMinutes / 60) * 10) / 10,
    },
    {
      header: c("drivingRequired"),
      width: 14,
      number: "0",
      value: (_tr, p) => (p.requiredMinutes === null ? "" : p.requiredMinutes / 60),
    },
    {
      header: c("medicalUntil"),
      width: 16,
      field: "medicalCertValidUntil",
      value: (tr) => day(tr.medicalCertValidUntil),
    },
    {
      header: c("balance"),
      width: 16,
      money: true,
      field: "balanceTiyn",
      value: (tr) => tenge((tr.contractPriceTiyn ?? 0n) - (tr.paidTiyn ?? 0n)),
    },
  ];
  const columns = all.filter((col) => !col.field || view.every.has(col.field));
  const headerBlock: [string, string][] = [
    [t("exports:group.school"), school.name],
    [t("exports:group.number"), group.number],
    [t("exports:group.category"), group.category],
    [t("exports:group.dates"), `${day(group.startsOn)} — ${day(group.endsOn)}`],
    [t("exports:group.teacher"), teacher?.fullName ?? t("exports:group.noTeacher")],
    [t("exports:group.count"), String(trainees.length)],
    [t("exports:generated"), dayTime(new Date())],
  ];
  const headerRow = headerBlock.length + 3;
  const wb = workbook();
  const ws = tableSheet(wb, t("exports:group.sheet", { number: group.number }), columns, headerRow);
  const title = ws.getRow(1);
  title.getCell(1).value = t("exports:group.title");
  title.font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, columns.length);
  headerBlock.forEach(([label, value], i) => {
    const row = ws.getRow(i + 2);
    row.getCell(1).value = label;
    row.getCell(1).font = { bold: true };
    ws.mergeCells(i + 2, 1, i + 2, 2);
    row.getCell(3).value = value;
    row.getCell(3).numFmt = "@";
    ws.mergeCells(i + 2, 3, i + 2, columns.length);
  });
  addRows(
    ws,
    columns,
    trainees.map((tr, i) => columns.map((col) => col.value(tr as Row, progress[i]!, i))),
  );
  return xlsxDownload(wb, fileName([t("exports:group.file", { number: group.number }), today()], "xlsx"));
}
