// Certificates of completion (свидетельство об окончании / бітіргені туралы куәлік).
//
// Numbering: certificate_counter holds each school's last number. Issuing locks that row
// (SELECT … FOR UPDATE) in the same transaction as the insert, so issues at the same instant are
// applied one after the other and get consecutive numbers; an issue that fails rolls its increment
// back with everything else — no gaps, no duplicates. A cancelled certificate keeps its number.
//
// Who gets one: a trainee in status «exams» or «graduated» who is eligible for the state exam
// (eligibility.ts). Issuing to a trainee in «exams» moves them to «graduated» in the same
// transaction (through changeStatus, so it is journaled like any status change). One active
// certificate per trainee per category; to re-issue, cancel the old one first (the new one gets the
// next number).
import { randomUUID } from "node:crypto";
import { traineeRowSelect } from "../trainees/select.ts";
import ExcelJS from "exceljs";
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { SchoolCtx } from "../trpc.ts";
import { translator, formatDate, type Locale } from "../../domain/i18n/index.ts";
import { almatyDate, isoDay } from "../../domain/kz/time.ts";
import { appendJournal, dbNow } from "../training/journal.ts";
import { changeStatus } from "../training/status.ts";
import { drivingProgress } from "../training/lessons.ts";
import { createPdf, pdfBuffer, PDF, XLSX } from "../documents/pdf.ts";
import { eligibility, factsSelect, loadFacts, type Reason } from "./eligibility.ts";
import { displayNumber } from "./rules.ts";
import { OFFICE_VIEW, type TraineeView } from "../../domain/visibility.ts";
import { nameSearch, viewOf } from "../trainees/access.ts";
import { shownCertificate } from "./minimise.ts";
import type { certificateListInput, idInput } from "./schema.ts";
import type { FileDownload } from "../../domain/files.ts";

const fullName = (t: { lastName: string; firstName: string; middleName: string | null }) =>
  [t.lastName, t.firstName, t.middleName].filter(Boolean).join(" ");

export function reasonsText(reasons: Reason[], locale: Locale): string {
  const t = translator(locale);
  return reasons.map((r) => t(`exams:reasons.${r.code}`, r.params)).join("; ");
}

export async function issueCertificate(
  tx: Tx,
  school: SchoolCtx,
  actorId: string,
  locale: Locale,
  input: { traineeId: string },
) {
  const [locked] = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id::text FROM trainee WHERE id = ${input.traineeId}::uuid FOR UPDATE`;
  if (!locked) throw new AppError("NOT_FOUND", "notFound", {}, "traineeId");
  const trainee = await tx.trainee.findUniqueOrThrow({
    where: { id: input.traineeId },
    select: { ...factsSelect, lastName: true, firstName: true, middleName: true, status: true },
  });
  const name = `${trainee.lastName} ${trainee.firstName}`;
  if (trainee.status !== "exams" && trainee.status !== "graduated") {
    throw new AppError("BAD_REQUEST", "certificates.wrongStatus", { name, status: trainee.status }, "traineeId");
  }
  const active = await tx.certificate.findFirst({
    where: { traineeId: trainee.id, category: trainee.category, cancelledAt: null },
  });
  if (active) {
    throw new AppError(
      "CONFLICT",
      "certificates.alreadyIssued",
      { name, category: trainee.category, number: displayNumber(active.number, active.issuedAt) },
      "traineeId",
    );
  }
  const today = almatyDate(new Date());
  const facts = (await loadFacts(tx, school.id, [trainee], today)).get(trainee.id)!;
  const check = eligibility(facts);
  if (!check.eligible) {
    throw new AppError(
      "BAD_REQUEST",
      "certificates.notEligible",
      { name, reasons: reasonsText(check.reasons, locale) },
      "traineeId",
    );
  }

  // The school's counter row, locked until this transaction ends.
  await tx.$executeRaw`INSERT INTO certificate_counter (school_id, last_number) VALUES (${school.id}::uuid, 0) ON CONFLICT (school_id) DO NOTHING`;
  const [counter] = await tx.$queryRaw<{ last_number: number }[]>`
    SELECT last_number FROM certificate_counter WHERE school_id = ${school.id}::uuid FOR UPDATE`;
  const number = counter!.last_number + 1;
  await tx.$executeRaw`UPDATE certificate_counter SET last_number = ${number} WHERE school_id = ${school.id}::uuid`;

  const issuedAt = await dbNow(tx);
  const id = randomUUID();
  await tx.certificate.create({
    data: {
      id,
      schoolId: school.id,
      number,
      traineeId: trainee.id,
      category: trainee.category,
      issuedAt,
      issuedBy: actorId,
    },
    select: { id: true },
  });
  if (trainee.status === "exams")
    await changeStatus(tx, school.id, actorId, { traineeId: trainee.id, to: "graduated" });
  const display = displayNumber(number, issuedAt);
  await appendJournal(tx, school.id, {
    kind: "certificate.issued",
    actorUserId: actorId,
    subjectId: trainee.id,
    data: { certificateId: id, number, displayNumber: display, category: trainee.category },
  });
  return { id, number, displayNumber: display, issuedAt };
}

export async function cancelCertificate(
  tx: Tx,
  school: SchoolCtx,
  actorId: string,
  input: { id: string; reason: string },
) {
  const cert = await tx.certificate.findUnique({ where: { id: input.id } });
  if (!cert) throw new AppError("NOT_FOUND", "notFound");
  const at = await dbNow(tx);
  // Only an active one changes: two people cancelling at once — the second is told it already is.
  const { count } = await tx.certificate.updateMany({
    where: { id: cert.id, cancelledAt: null },
    data: { cancelledAt: at, cancelledBy: actorId, cancelReason: input.reason },
  });
  if (count === 0) throw new AppError("BAD_REQUEST", "certificates.alreadyCancelled");
  await appendJournal(tx, school.id, {
    kind: "certificate.cancelled",
    actorUserId: actorId,
    subjectId: cert.traineeId,
    data: {
      certificateId: cert.id,
      number: cert.number,
      displayNumber: displayNumber(cert.number, cert.issuedAt),
      reason: input.reason,
    },
  });
  return { id: cert.id, number: cert.number, cancelledAt: at };
}

export async function listCertificates(
  tx: Tx,
  input: { status: "all" | "active" | "cancelled"; q?: string; id?: string },
) {
  const q = input.q?.trim();
  const rows = await tx.certificate.findMany({
    where: {
      ...(input.id ? { id: input.id } : {}),
      ...(input.status === "active"
        ? { cancelledAt: null }
        : input.status === "cancelled"
          ? { cancelledAt: { not: null } }
          : {}),
      ...(q && /^\d+$/.test(q) ? { number: Number(q) } : {}),
    },
    orderBy: { number: "desc" },
    take: 5000,
  });
  const [trainees, users] = await Promise.all([
    tx.trainee.findMany({
      where: { id: { in: [...new Set(rows.map((r) => r.traineeId))] } },
      select: {
        ...traineeRowSelect,
        groupId: true,
        enrolledAt: true,
        category: true,
        gearbox: true,
      },
    }),
    tx.user.findMany({
      where: { id: { in: [...new Set(rows.flatMap((r) => [r.issuedBy, ...(r.cancelledBy ? [r.cancelledBy] : [])]))] } },
      select: { id: true, fullName: true },
    }),
  ]);
  const tMap = new Map(trainees.map((t) => [t.id, t]));
  const names = new Map(users.map((u) => [u.id, u.fullName]));
  const out = rows.map((r) => {
    const t = tMap.get(r.traineeId)!;
    return {
      id: r.id,
      number: r.number,
      displayNumber: displayNumber(r.number, r.issuedAt),
      category: r.category,
      issuedAt: r.issuedAt,
      issuedBy: names.get(r.issuedBy) ?? null,
      cancelledAt: r.cancelledAt,
      cancelledBy: r.cancelledBy ? (names.get(r.cancelledBy) ?? null) : null,
      cancelReason: r.cancelReason,
      trainee: {
        id: t.id,
        fullName: fullName(t),
        iin: t.iin,
        status: t.status,
        groupId: t.groupId,
        enrolledAt: t.enrolledAt,
        category: t.category,
        gearbox: t.gearbox,
      },
    };
  });
  // A name typed into the search narrows by trainee, found the way the register finds them (Kazakh letters
  // folded, Latin spellings, words in any order); a part of the printed number ("B-2026") works too.
  if (q && !/^\d+$/.test(q)) {
    const named = new Set(
      (await tx.trainee.findMany({ where: await nameSearch(tx, q), select: { id: true } })).map((t) => t.id),
    );
    const needle = q.toLocaleLowerCase("ru");
    return out.filter((c) => named.has(c.trainee.id) || c.displayNumber.toLocaleLowerCase("ru").includes(needle));
  }
  return out;
}

/** The register of certificates as the caller's role may read it (a search by digits looks for a number, never an IIN). */
export async function findCertificates(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: z.infer<typeof certificateListInput>,
) {
  const view = viewOf({ school, user: actor });
  return (await listCertificates(tx, input)).map((c) => shownCertificate(view, c));
}

/** One certificate, as the caller's role may read it. */
export async function getCertificate(tx: Tx, school: SchoolCtx, actor: { id: string }, input: z.infer<typeof idInput>) {
  const [cert] = await listCertificates(tx, { status: "all", id: input.id });
  if (!cert) throw new AppError("NOT_FOUND", "notFound");
  return shownCertificate(viewOf({ school, user: actor }), cert);
}

/** The certificate as an A4 page in the user's language. */
export async function certificatePdf(tx: Tx, school: SchoolCtx, locale: Locale, id: string): Promise<FileDownload> {
  const [cert] = await listCertificates(tx, { status: "all", id });
  if (!cert) throw new AppError("NOT_FOUND", "notFound");
  const t = translator(locale);
  const schoolRow = await tx.school.findUniqueOrThrow({
    where: { id: school.id },
    select: { name: true, directorName: true, address: true },
  });
  const progress = await drivingProgress(tx, school.id, {
    id: cert.trainee.id,
    category: cert.category,
    gearbox: cert.trainee.gearbox,
  });
  const group = cert.trainee.groupId
    ? await tx.studyGroup.findUnique({
        where: { id: cert.trainee.groupId },
        select: { number: true, startsOn: true, endsOn: true },
      })
    : null;
  const from = group
    ? formatDate(isoDay(group.startsOn))
    : cert.trainee.enrolledAt
      ? formatDate(cert.trainee.enrolledAt)
      : "—";
  const to = group ? formatDate(isoDay(group.endsOn)) : formatDate(cert.issuedAt);

  const doc = createPdf({ title: `${t("exams:pdf.title")} ${cert.displayNumber}` });
  const width = doc.page.width - 100;
  doc
    .rect(30, 30, doc.page.width - 60, doc.page.height - 60)
    .lineWidth(2)
    .stroke("#1f3a68");
  doc
    .rect(36, 36, doc.page.width - 72, doc.page.height - 72)
    .lineWidth(0.5)
    .stroke("#1f3a68");
  doc.y = 80;
  doc.font("bold").fontSize(13).fillColor("#000").text(schoolRow.name, 50, doc.y, { width, align: "center" });
  if (schoolRow.address)
    doc.font("regular").fontSize(9).fillColor("#444").text(schoolRow.address, { width, align: "center" });
  doc.moveDown(3);
  doc.font("bold").fontSize(26).fillColor("#1f3a68").text(t("exams:pdf.title"), { width, align: "center" });
  doc.font("regular").fontSize(13).fillColor("#000").text(t("exams:pdf.subtitle"), { width, align: "center" });
  doc.moveDown(0.8);
  doc
    .font("bold")
    .fontSize(16)
    .text(t("exams:pdf.number", { number: cert.displayNumber }), { width, align: "center" });
  doc.moveDown(2);
  doc.font("regular").fontSize(12).text(t("exams:pdf.certifies"), { width, align: "center" });
  doc.moveDown(0.5);
  doc.font("bold").fontSize(20).text(cert.trainee.fullName, { width, align: "center" });
  doc
    .font("regular")
    .fontSize(11)
    .text(t("exams:pdf.iin", { iin: cert.trainee.iin }), { width, align: "center" });
  doc.moveDown(1);
  doc.fontSize(12).text(t("exams:pdf.completed", { from, to }), { width, align: "center" });
  doc.moveDown(1.5);

  const rows: [string, string][] = [
    [t("exams:pdf.category"), cert.category],
    [
      t("exams:pdf.programme"),
      progress.theoryHours !== null && progress.requiredMinutes !== null
        ? t("exams:pdf.hours", { theory: progress.theoryHours, driving: progress.requiredMinutes / 60 })
        : "—",
    ],
    ...(group ? ([[t("exams:pdf.group"), group.number]] as [string, string][]) : []),
    [t("exams:pdf.period"), `${from} — ${to}`],
    [t("exams:pdf.issuedOn"), formatDate(cert.issuedAt)],
  ];
  const labelW = 190;
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font("regular").fontSize(11).fillColor("#444").text(label, 80, y, { width: labelW });
    doc
      .font("bold")
      .fillColor("#000")
      .text(value, 80 + labelW, y, { width: width - labelW - 60 });
    doc.moveDown(0.6);
  }

  if (cert.cancelledAt) {
    doc.moveDown(1);
    doc
      .font("bold")
      .fontSize(14)
      .fillColor("#b00020")
      .text(
        t("exams:pdf.cancelled", { date: formatDate(cert.cancelledAt), reason: cert.cancelReason ?? "" }),
        50,
        doc.y,
        { width, align: "center" },
      );
    doc.fillColor("#000");
  }

  const signY = doc.page.height - 210;
  doc.font("regular").fontSize(11).fillColor("#000");
  doc.text(t("exams:pdf.director"), 80, signY, { width: 300 });
  doc
    .moveTo(80, signY + 44)
    .lineTo(250, signY + 44)
    .lineWidth(0.7)
    .stroke("#000");
  doc
    .font("bold")
    .fontSize(11)
    .fillColor("#000")
    .text(schoolRow.directorName, 265, signY + 32, { width: 260 });
  doc
    .font("regular")
    .fontSize(8)
    .fillColor("#555")
    .text(t("exams:pdf.signature"), 80, signY + 47, { width: 170, align: "center" });
  doc
    .fontSize(10)
    .fillColor("#000")
    .text(t("exams:pdf.stamp"), 80, signY + 80, { width: 200 });
  doc
    .fontSize(8)
    .fillColor("#777")
    .text(t("exams:pdf.footer", { number: cert.displayNumber }), 50, doc.page.height - 80, { width, align: "center" });

  const buf = await pdfBuffer(doc);
  return {
    fileName: `${t("exams:pdf.fileName")}-${cert.displayNumber}.pdf`,
    contentType: PDF,
    base64: buf.toString("base64"),
  };
}

/** The register of issued certificates as XLSX, headers in the user's language. */
export async function registerXlsx(
  tx: Tx,
  locale: Locale,
  status: "all" | "active" | "cancelled",
  view: TraineeView = OFFICE_VIEW,
): Promise<FileDownload> {
  // The IIN column only for a role that sees IINs (ADR 026); without a view, the office's register.
  const withIin = view.every.has("iin");
  const t = translator(locale);
  const rows = (await listCertificates(tx, { status })).sort((a, b) => a.number - b.number);
  const wb = new ExcelJS.Workbook();
  wb.creator = "Avtomektep";
  const ws = wb.addWorksheet(t("exams:register.sheet"), { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = [
    { header: t("exams:register.cols.number"), key: "number", width: 18 },
    { header: t("exams:register.cols.issuedOn"), key: "issuedOn", width: 14 },
    { header: t("exams:register.cols.trainee"), key: "trainee", width: 36 },
    ...(withIin ? [{ header: t("exams:register.cols.iin"), key: "iin", width: 16 }] : []),
    { header: t("exams:register.cols.category"), key: "category", width: 12 },
    { header: t("exams:register.cols.status"), key: "status", width: 16 },
    { header: t("exams:register.cols.cancelReason"), key: "cancelReason", width: 40 },
  ];
  if (withIin) ws.getColumn("iin").numFmt = "@";
  for (const c of rows) {
    ws.addRow({
      number: c.displayNumber,
      issuedOn: formatDate(c.issuedAt),
      trainee: c.trainee.fullName,
      ...(withIin ? { iin: c.trainee.iin } : {}),
      category: c.category,
      status: t(c.cancelledAt ? "exams:certificates.status.cancelled" : "exams:certificates.status.active"),
      cancelReason: c.cancelReason ?? "",
    });
  }
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF7" } };
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    fileName: `${t("exams:register.fileName")}-${almatyDate(new Date())}.xlsx`,
    contentType: XLSX,
    base64: buf.toString("base64"),
  };
}
