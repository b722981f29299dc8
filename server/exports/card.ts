// The trainee's card as PDF: personal data, training, status history, contract, medical
// certificate and driving hours — what a registrar files and an inspector asks to see.
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { translator, type Locale } from "../../domain/i18n/index.ts";
import { createPdf } from "../documents/pdf.ts";
import { drivingProgress } from "../training/lessons.ts";
import { day, dayTime, fileName, fullName, money, nbPhone as phone, today } from "./common.ts";
import { facts, heading, pdfDownload, table, PAGE } from "./pdf-layout.ts";
import { ownTrainees } from "../trainees/access.ts";
import { OFFICE_VIEW, sees, type GuardedField, type TraineeView } from "../../domain/visibility.ts";

const hours = (minutes: number) => (Math.round((minutes / 60) * 10) / 10).toString();

/** As the caller's role may see the trainee (ADR 026): a line or a section it doesn't see is left out. Without a view: the office's card. */
export async function traineeCardPdf(
  db: Tx,
  school: { id: string; name: string },
  locale: Locale,
  traineeId: string,
  view: TraineeView = OFFICE_VIEW,
) {
  const t = translator(locale);
  const tr = await db.trainee.findUnique({
    where: { id: traineeId },
    include: {
      group: { select: { number: true, startsOn: true, endsOn: true } },
      statusChanges: { orderBy: { changedAt: "asc" } },
    },
  });
  if (!tr) throw new AppError("NOT_FOUND", "notFound");
  const [progress, actors, schoolRow] = await Promise.all([
    drivingProgress(db, school.id, tr),
    db.user.findMany({
      where: { id: { in: [...new Set(tr.statusChanges.map((c) => c.changedBy))] } },
      select: { id: true, fullName: true },
    }),
    db.school.findUnique({
      where: { id: school.id },
      select: { name: true, binIin: true, address: true, phone: true },
    }),
  ]);
  const names = new Map(actors.map((a) => [a.id, a.fullName]));
  const own = (await ownTrainees(db, view, [tr.id])).has(tr.id);
  const shown = (field: GuardedField) => sees(view, field, own);
  const only = (rows: [GuardedField | null, string, string][]): [string, string][] =>
    rows.filter(([field]) => !field || shown(field)).map(([, k, v]) => [k, v]);
  const f = (k: string) => t(`exports:card.fields.${k}`);
  const name = fullName(tr);

  const doc = createPdf({ title: `${t("exports:card.title")} — ${name}` });
  doc
    .font("bold")
    .fontSize(11)
    .fillColor("#1f3a5f")
    .text(schoolRow?.name ?? school.name, PAGE.LEFT, doc.y, { width: PAGE.WIDTH });
  doc
    .font("regular")
    .fontSize(9)
    .fillColor("#555555")
    .text(
      [
        schoolRow?.binIin ? `${t("exports:card.binIin")} ${schoolRow.binIin}` : null,
        schoolRow?.address,
        phone(schoolRow?.phone),
      ]
        .filter(Boolean)
        .join(" · "),
      { width: PAGE.WIDTH },
    );
  doc.moveDown(1);
  doc
    .font("bold")
    .fontSize(16)
    .fillColor("black")
    .text(t("exports:card.title"), { width: PAGE.WIDTH, align: "center" });
  doc.font("regular").fontSize(13).text(name, { width: PAGE.WIDTH, align: "center" });
  doc.fontSize(10);

  heading(doc, t("exports:card.sections.personal"));
  facts(
    doc,
    only([
      [null, f("fullName"), name],
      ["latinName", f("latinName"), tr.latinName ?? ""],
      ["iin", f("iin"), tr.iin],
      ["birthDate", f("birthDate"), day(tr.birthDate)],
      ["sex", f("sex"), t(`common:sex.${tr.sex}`)],
      ["phone", f("phone"), phone(tr.phone)],
      ["email", f("email"), tr.email ?? ""],
      ["address", f("address"), tr.address ?? ""],
    ]),
  );

  heading(doc, t("exports:card.sections.training"));
  facts(doc, [
    [f("category"), tr.category],
    [f("gearbox"), t(`training:gearbox.${tr.gearbox}`)],
    [
      f("group"),
      tr.group ? `${tr.group.number} (${day(tr.group.startsOn)} — ${day(tr.group.endsOn)})` : t("exports:card.noGroup"),
    ],
    [f("status"), t(`common:traineeStatus.${tr.status}`)],
    [f("enrolledAt"), dayTime(tr.enrolledAt)],
    [
      f("driving"),
      progress.requiredMinutes === null
        ? t("exports:card.drivingNoProgramme", { done: hours(progress.doneMinutes) })
        : t("exports:card.drivingOf", { done: hours(progress.doneMinutes), required: hours(progress.requiredMinutes) }),
    ],
    [f("theory"), progress.theoryHours === null ? "" : t("exports:card.hours", { hours: progress.theoryHours })],
  ]);

  if (shown("contractNumber")) {
    heading(doc, t("exports:card.sections.contract"));
    facts(
      doc,
      only([
        ["contractNumber", f("contractNumber"), tr.contractNumber ?? t("exports:contract.noNumber")],
        ["contractPriceTiyn", f("price"), money(tr.contractPriceTiyn)],
        ["paidTiyn", f("paid"), money(tr.paidTiyn)],
        ["balanceTiyn", f("balance"), money(tr.contractPriceTiyn - tr.paidTiyn)],
      ]),
    );
  }

  if (shown("medicalCertNumber")) {
    heading(doc, t("exports:card.sections.medical"));
    facts(
      doc,
      only([
        ["medicalCertNumber", f("medicalNumber"), tr.medicalCertNumber ?? ""],
        ["medicalCertIssuedOn", f("medicalIssued"), day(tr.medicalCertIssuedOn)],
        ["medicalCertValidUntil", f("medicalUntil"), day(tr.medicalCertValidUntil)],
      ]),
    );
  }

  heading(doc, t("exports:card.sections.history"));
  if (tr.statusChanges.length === 0) {
    doc.fillColor("#555555").text(t("exports:card.noHistory"), { width: PAGE.WIDTH }).fillColor("black");
  } else {
    const h = (k: string) => t(`exports:card.history.${k}`);
    table(
      doc,
      [h("at"), h("change"), h("reason"), h("by")],
      [0.2, 0.32, 0.26, 0.22],
      tr.statusChanges.map((c) => [
        dayTime(c.changedAt),
        `${c.fromStatus ? t(`common:traineeStatus.${c.fromStatus}`) : "—"} → ${t(`common:traineeStatus.${c.toStatus}`)}`,
        c.reason ?? "",
        names.get(c.changedBy) ?? "",
      ]),
    );
  }

  doc.moveDown(1.5);
  doc
    .fontSize(8)
    .fillColor("#777777")
    .text(t("exports:generatedAt", { at: dayTime(new Date()) }), PAGE.LEFT, doc.y, { width: PAGE.WIDTH });
  return pdfDownload(doc, fileName([t("exports:card.file"), tr.lastName, tr.firstName, today()], "pdf"));
}
