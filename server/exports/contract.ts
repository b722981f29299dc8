// The contract between the school and a trainee as PDF, from the school's own text (or the default
// one, marked as a template to check), with the placeholders filled in from the register.
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { translator, type Locale } from "../../domain/i18n/index.ts";
import { createPdf } from "../documents/pdf.ts";
import { day, fileName, fullName, money, nbPhone as phone, today } from "./common.ts";
import { ensureRoom, pdfDownload, PAGE } from "./pdf-layout.ts";
import { DEFAULT_TEMPLATES, fillTemplate, type Placeholder } from "./contract-template.ts";

/** The school's text for a language, or the default one. */
export async function contractTemplate(db: Tx, schoolId: string, locale: Locale) {
  const row = await db.contractTemplate.findUnique({ where: { schoolId_locale: { schoolId, locale } } });
  return row
    ? { body: row.body, custom: true as const, updatedAt: row.updatedAt }
    : { body: DEFAULT_TEMPLATES[locale], custom: false as const, updatedAt: null };
}

export async function contractPdf(db: Tx, schoolId: string, locale: Locale, traineeId: string) {
  const t = translator(locale);
  const tr = await db.trainee.findUnique({ where: { id: traineeId } });
  if (!tr) throw new AppError("NOT_FOUND", "notFound");
  const [school, template] = await Promise.all([
    db.school.findUniqueOrThrow({
      where: { id: schoolId },
      select: { name: true, binIin: true, address: true, directorName: true, phone: true, email: true },
    }),
    contractTemplate(db, schoolId, locale),
  ]);
  const group = tr.groupId
    ? await db.studyGroup.findUnique({
        where: { id: tr.groupId },
        select: { number: true, startsOn: true, endsOn: true },
      })
    : null;
  const own = await db.programme.findUnique({
    where: { schoolId_category_gearbox: { schoolId, category: tr.category, gearbox: tr.gearbox } },
  });
  const programme =
    own ??
    (await db.programmeTemplate.findUnique({
      where: { category_gearbox: { category: tr.category, gearbox: tr.gearbox } },
    }));
  const values: Record<Placeholder, string> = {
    "school.name": school.name,
    "school.binIin": school.binIin,
    "school.address": school.address ?? "",
    "school.directorName": school.directorName,
    "school.phone": phone(school.phone),
    "school.email": school.email,
    "trainee.fullName": fullName(tr),
    "trainee.iin": tr.iin,
    "trainee.birthDate": day(tr.birthDate),
    "trainee.address": tr.address ?? "",
    "trainee.phone": phone(tr.phone),
    "trainee.email": tr.email ?? "",
    "trainee.category": tr.category,
    "trainee.gearbox": t(`training:gearbox.${tr.gearbox}`).toLowerCase(),
    "contract.number": tr.contractNumber ?? t("exports:contract.noNumber"),
    // No price entered yet is a blank to fill, not a free course.
    "contract.price": tr.contractPriceTiyn > 0n ? money(tr.contractPriceTiyn) : "",
    "programme.theoryHours": programme ? String(programme.theoryHours) : "",
    "programme.drivingHours": programme ? String(programme.drivingHours) : "",
    // The training period is the group's; a trainee not yet in a group has it blank.
    "group.number": group?.number ?? "",
    "group.startsOn": group ? day(group.startsOn) : "",
    "group.endsOn": group ? day(group.endsOn) : "",
    date: day(today()),
  };
  const text = fillTemplate(template.body, values);

  const doc = createPdf({
    title: `${t("exports:contract.title")} ${values["contract.number"]} — ${values["trainee.fullName"]}`,
  });
  if (!template.custom) {
    doc
      .font("regular")
      .fontSize(8)
      .fillColor("#a33")
      .text(t("exports:contract.defaultNote"), PAGE.LEFT, doc.y, { width: PAGE.WIDTH, align: "center" });
    doc.moveDown(0.8);
  }
  doc.fillColor("black");
  // "# " is the title, "## " a section heading, a blank line a gap; everything else a paragraph.
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trimEnd();
    if (line.startsWith("# ")) {
      doc
        .font("bold")
        .fontSize(13)
        .text(line.slice(2).trim(), PAGE.LEFT, doc.y, { width: PAGE.WIDTH, align: "center" });
      doc.moveDown(0.3);
    } else if (line.startsWith("## ")) {
      ensureRoom(doc, 60);
      doc.moveDown(0.4);
      doc.font("bold").fontSize(10.5).text(line.slice(3).trim(), PAGE.LEFT, doc.y, { width: PAGE.WIDTH });
      doc.moveDown(0.2);
    } else if (line.trim() === "") {
      doc.moveDown(0.5);
    } else {
      doc
        .font("regular")
        .fontSize(10)
        .text(line, PAGE.LEFT, doc.y, { width: PAGE.WIDTH, align: "justify", lineGap: 1.5 });
    }
  }
  return pdfDownload(doc, fileName([t("exports:contract.file"), tr.contractNumber ?? tr.lastName], "pdf"));
}
