// The driving lessons journal for a period: one row per lesson with who, which car, how long, and
// the mark with the time it was entered (stamped by the database, never back-dated).
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { translator, type Locale } from "../../domain/i18n/index.ts";
import { almatyDate, almatyTime, almatyToInstant } from "../../domain/kz/time.ts";
import type { SchoolCtx } from "../trpc.ts";
import { addRows, day, dayTime, fileName, streamedWorkbook, tableSheet, type Column } from "./common.ts";
import { onlyRole } from "../../domain/roles.ts";

export async function lessonsXlsx(
  db: Tx,
  school: SchoolCtx,
  userId: string,
  locale: Locale,
  range: { from: string; to: string },
) {
  const t = translator(locale);
  const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000;
  if (!(days >= 0 && days <= 366)) throw new AppError("BAD_REQUEST", "exports.range", {}, "to");
  // An instructor who is nothing else in the school exports their own lessons only, as on the schedule.
  const onlyOwn = onlyRole(school.roles, "instructor");
  const rows = await db.drivingLesson.findMany({
    where: {
      startsAt: {
        gte: almatyToInstant(range.from, "00:00"),
        lt: new Date(almatyToInstant(range.to, "00:00").getTime() + 86_400_000),
      },
      ...(onlyOwn ? { instructorId: userId } : {}),
    },
    orderBy: [{ startsAt: "asc" }],
    select: {
      startsAt: true,
      endsAt: true,
      status: true,
      note: true,
      instructorId: true,
      markedAt: true,
      trainee: { select: { lastName: true, firstName: true, middleName: true } },
      vehicle: { select: { plate: true } },
    },
  });
  const instructors = await db.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.instructorId))] } },
    select: { id: true, fullName: true },
  });
  const names = new Map(instructors.map((i) => [i.id, i.fullName]));
  const c = (k: string) => t(`exports:lessons.cols.${k}`);
  const columns: Column[] = [
    { header: c("date"), width: 12 },
    { header: c("time"), width: 13 },
    { header: c("trainee"), width: 30 },
    { header: c("instructor"), width: 26 },
    { header: c("plate"), width: 13 },
    { header: c("minutes"), width: 12, number: "0" },
    { header: c("status"), width: 15 },
    { header: c("note"), width: 30 },
    { header: c("markedAt"), width: 18 },
  ];
  // Streamed: a year of a school's lessons held as a workbook in memory outgrew the web process's heap.
  const { wb, download } = streamedWorkbook();
  const ws = tableSheet(wb, t("exports:lessons.sheet"), columns);
  // Set before the rows: a streamed row is written out as it is added.
  ws.getColumn(8).alignment = { wrapText: true, vertical: "top" };
  addRows(
    ws,
    columns,
    rows.map((r) => [
      day(almatyDate(r.startsAt)),
      `${almatyTime(r.startsAt)}–${almatyTime(r.endsAt)}`,
      [r.trainee.lastName, r.trainee.firstName, r.trainee.middleName].filter(Boolean).join(" "),
      names.get(r.instructorId) ?? "",
      r.vehicle.plate,
      Math.round((r.endsAt.getTime() - r.startsAt.getTime()) / 60_000),
      t(`training:lessons.status.${r.status}`),
      r.note ?? "",
      dayTime(r.markedAt),
    ]),
  );
  return download(fileName([t("exports:lessons.file"), range.from, range.to], "xlsx"));
}
