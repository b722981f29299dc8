// Demo data: an operator, two schools with a director, a registrar, an instructor and 50 trainees
// each, and the current offer version from prisma/seed/. Idempotent: every row has a fixed key and
// is upserted, so running it again changes nothing. Runs on the operator role (RLS applies).
import { readFileSync } from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import type { PrismaClient } from "./generated/prisma/client.ts";
import { offerSha256 } from "../offer/service.ts";
import { hashPassword } from "../auth/password.ts";
import { makeBin, makeIin } from "../../domain/kz/iin.ts";
import { seedDemoQuestions } from "../quiz/sample-questions.ts";
import { addDays, almatyDate, isoDay } from "../../domain/kz/time.ts";
import { billingSettings } from "../billing/settings.ts";
import { applyPayment, escalate, issueNextInvoice } from "../billing/ledger.ts";
import { issueMonthAct, monthOf } from "../billing/acts.ts";
import { projectRoot } from "../root.ts";

export const DEMO_PASSWORD = "demo-parol-2026";

export const DEMO_LOGINS = [
  { email: "operator@avtomektep.kz", role: "operator (super_admin)" },
  { email: "director@almaty.demo.kz", role: "director, demo-almaty" },
  { email: "registrar@almaty.demo.kz", role: "registrar, demo-almaty" },
  { email: "instructor@almaty.demo.kz", role: "instructor, demo-almaty and demo-astana" },
  { email: "director@astana.demo.kz", role: "director, demo-astana" },
  { email: "registrar@astana.demo.kz", role: "registrar, demo-astana" },
] as const;

/** Stable ids from names, so a second run finds the rows of the first. */
export function demoId(name: string): string {
  const h = createHash("sha256").update(`avtomektep-demo:${name}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const LAST = [
  "Ахметов",
  "Серікбаев",
  "Иванов",
  "Нұрланов",
  "Жумабеков",
  "Ким",
  "Оспанов",
  "Петров",
  "Қасымов",
  "Әлиев",
];
const FIRST_M = ["Арман", "Данияр", "Ерлан", "Нұрсұлтан", "Алексей", "Тимур", "Бауыржан"];
const FIRST_F = ["Айгерім", "Дана", "Мария", "Әсел", "Жанар", "Ольга", "Гүлнұр"];
const CATS = ["B", "B", "B", "A", "C", "BE", "B1"];
const STATUSES = ["applicant", "enrolled", "training", "training", "exams", "graduated"] as const;

export function offerTexts() {
  const dir = path.join(projectRoot, "prisma/seed");
  return {
    textKk: readFileSync(path.join(dir, "offer.kk.md"), "utf8"),
    textRu: readFileSync(path.join(dir, "offer.ru.md"), "utf8"),
  };
}

export async function seedOffer(db: PrismaClient): Promise<void> {
  const { textKk, textRu } = offerTexts();
  await db.offerVersion.upsert({
    where: { version: 1 },
    update: {},
    create: {
      id: demoId("offer:1"),
      version: 1,
      textKk,
      textRu,
      sha256: offerSha256(textKk, textRu),
      summaryKk: "Жария шарттың бастапқы нұсқасы",
      summaryRu: "Первоначальная редакция публичного договора",
      publishedAt: new Date("2026-01-01T00:00:00+05:00"),
      effectiveFrom: new Date("2026-01-01T00:00:00+05:00"),
    },
  });
}

export async function seedDemo(db: PrismaClient, opts: { traineesPerSchool?: number } = {}): Promise<void> {
  await seedOffer(db);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const verified = new Date("2026-01-10T10:00:00+05:00");

  const user = (email: string, fullName: string, extra: { operatorRole?: "super_admin" } = {}) =>
    db.user.upsert({
      where: { email },
      update: {},
      create: {
        id: demoId(`user:${email}`),
        email,
        fullName,
        passwordHash,
        locale: "kk",
        emailVerifiedAt: verified,
        ...extra,
      },
    });
  await user("operator@avtomektep.kz", "Оператор Avtomektep", { operatorRole: "super_admin" });

  const schools = [
    {
      slug: "demo-almaty",
      name: "Автомектеп «Алматы Жол» (демо)",
      bin: makeBin("1503", 1201),
      city: "almaty",
      director: "Сейтқали Асқар Болатұлы",
      registrar: "Оразбаева Динара",
    },
    {
      slug: "demo-astana",
      name: "Автошкола «Астана Драйв» (демо)",
      bin: makeBin("1811", 3407),
      city: "astana",
      director: "Ковалёва Елена Сергеевна",
      registrar: "Тұрсынов Марат",
    },
  ];
  const instructor = await user("instructor@almaty.demo.kz", "Жақсылықов Ерболат");
  const offer = await db.offerVersion.findUniqueOrThrow({ where: { version: 1 } });

  for (const [i, s] of schools.entries()) {
    const schoolId = demoId(`school:${s.slug}`);
    const director = await user(`director@${s.city}.demo.kz`, s.director);
    const registrar = await user(`registrar@${s.city}.demo.kz`, s.registrar);
    await db.school.upsert({
      where: { slug: s.slug },
      update: {},
      create: {
        id: schoolId,
        slug: s.slug,
        name: s.name,
        kind: "legal_entity",
        binIin: s.bin,
        directorName: s.director,
        phone: `+7701000000${i}`,
        email: `director@${s.city}.demo.kz`,
        address: s.city === "almaty" ? "Алматы, Абай даңғылы 10" : "Астана, Мәңгілік Ел 25",
        status: "active",
      },
    });
    const members = [
      { userId: director.id, role: "director" as const },
      { userId: registrar.id, role: "registrar" as const },
      { userId: instructor.id, role: "instructor" as const },
    ];
    for (const m of members) {
      await db.membership.upsert({
        where: { schoolId_userId_role: { schoolId, userId: m.userId, role: m.role } },
        update: {},
        create: { id: demoId(`membership:${s.slug}:${m.userId}:${m.role}`), schoolId, ...m },
      });
    }
    await db.offerAcceptance.upsert({
      where: { schoolId_offerVersionId: { schoolId, offerVersionId: offer.id } },
      update: {},
      create: {
        id: demoId(`acceptance:${s.slug}`),
        schoolId,
        userId: director.id,
        offerVersionId: offer.id,
        textSha256: offer.sha256,
        acceptedAt: verified,
        ip: "127.0.0.1",
        userAgent: "seed",
      },
    });
    const consentId = demoId(`consent:${s.slug}`);
    if (!(await db.consent.findUnique({ where: { id: consentId } }))) {
      await db.consent.create({
        data: {
          id: consentId,
          schoolId,
          userId: director.id,
          kind: "personal_data",
          offerVersionId: offer.id,
          textSha256: offer.sha256,
          grantedAt: verified,
        },
      });
    }

    const n = opts.traineesPerSchool ?? 50;
    const trainees = Array.from({ length: n }, (_, k) => {
      const female = k % 3 === 1;
      const year = 1975 + ((k * 7 + i * 3) % 30);
      const birthDate = `${year}-${String((k % 12) + 1).padStart(2, "0")}-${String((k % 27) + 1).padStart(2, "0")}`;
      const last = LAST[(k + i) % LAST.length]!;
      const lastName = female && /(ов|ев|ин)$/.test(last) ? `${last}а` : last;
      return {
        id: demoId(`trainee:${s.slug}:${k}`),
        schoolId,
        iin: makeIin(birthDate, female ? "female" : "male", 100 + k * 13 + i * 1000),
        lastName,
        firstName: (female ? FIRST_F : FIRST_M)[k % 7]!,
        birthDate: new Date(`${birthDate}T00:00:00Z`),
        sex: female ? ("female" as const) : ("male" as const),
        phone: `+7707${String(1000000 + i * 100000 + k).padStart(7, "0")}`,
        category: CATS[k % CATS.length]!,
        status: STATUSES[k % STATUSES.length]!,
        createdById: registrar.id,
      };
    });
    await db.trainee.createMany({
      data: trainees.map((t, k) => ({
        ...t,
        contractNumber: `${s.city === "almaty" ? "АЖ" : "АД"}-2026/${String(k + 1).padStart(3, "0")}`,
        contractPriceTiyn: 250_000_00n,
      })),
      skipDuplicates: true,
    });
    // Databases seeded before contracts existed get them too.
    for (const [k, t] of trainees.entries()) {
      await db.trainee.updateMany({
        where: { id: t.id, contractNumber: null },
        data: {
          contractNumber: `${s.city === "almaty" ? "АЖ" : "АД"}-2026/${String(k + 1).padStart(3, "0")}`,
          contractPriceTiyn: 250_000_00n,
        },
      });
    }
    await seedTraining(db, {
      schoolId,
      slug: s.slug,
      instructorId: instructor.id,
      registrarId: registrar.id,
      index: i,
      trainees,
    });
    if (i === 0) await seedAdoption(db, { schoolId, registrarId: registrar.id, trainees });
    await seedBilling(db, schoolId, i === 0 ? "paid" : "overdue");
  }
  await seedDemoQuestions(db, demoId);
}

/**
 * Training data for the demo: the instructor's profile, two cars, a group, payments, and — once, on
 * the first run — journal entries for the trainees' statuses and a week of driving lessons.
 */
async function seedTraining(
  db: PrismaClient,
  s: {
    schoolId: string;
    slug: string;
    instructorId: string;
    registrarId: string;
    index: number;
    trainees: { id: string; status: string; category: string }[];
  },
) {
  const { schoolId } = s;
  await db.staffProfile.upsert({
    where: { schoolId_userId: { schoolId, userId: s.instructorId } },
    update: {},
    create: {
      schoolId,
      userId: s.instructorId,
      licenceCategories: ["A", "B", "BE"],
      instructorCertNumber: `МПОВ-${1200 + s.index}`,
      instructorCertValidUntil: new Date("2027-06-30T00:00:00Z"),
    },
  });
  const soon = new Date(Date.now() + 20 * 86_400_000);
  const cars = [
    {
      id: demoId(`vehicle:${s.slug}:1`),
      plate: s.index ? "123ABC01" : "123ABC02",
      makeModel: "Chevrolet Cobalt",
      gearbox: "manual" as const,
      insuranceValidUntil: new Date("2027-03-01T00:00:00Z"),
    },
    {
      id: demoId(`vehicle:${s.slug}:2`),
      plate: s.index ? "456KZA01" : "456KZA02",
      makeModel: "Hyundai Accent",
      gearbox: "automatic" as const,
      insuranceValidUntil: new Date(soon.toISOString().slice(0, 10)),
    },
  ];
  await db.vehicle.createMany({
    data: cars.map((c) => ({
      ...c,
      schoolId,
      category: "B",
      dualControls: true,
      inspectionValidUntil: new Date("2027-05-15T00:00:00Z"),
    })),
    skipDuplicates: true,
  });
  // Working hours Mon–Sat 08:00–20:00, a leave of three days in ten days' time, the automatic car's service day
  // in five (ADR 032): the staff page, the vehicle page and the grid show them. Dates once, on the first run.
  await db.instructorHours.createMany({
    data: [1, 2, 3, 4, 5, 6].map((weekday) => ({
      schoolId,
      userId: s.instructorId,
      weekday,
      starts: 8 * 60,
      ends: 20 * 60,
    })),
    skipDuplicates: true,
  });
  const inDays = (n: number) => new Date(`${addDays(almatyDate(new Date()), n)}T00:00:00Z`);
  if ((await db.instructorAbsence.count({ where: { schoolId } })) === 0)
    await db.instructorAbsence.create({
      data: {
        id: demoId(`absence:${s.slug}`),
        schoolId,
        userId: s.instructorId,
        startsOn: inDays(10),
        endsOn: inDays(12),
        reason: "leave",
        note: "Ежегодный отпуск",
        createdBy: s.registrarId,
      },
    });
  if ((await db.vehicleDowntime.count({ where: { schoolId } })) === 0)
    await db.vehicleDowntime.create({
      data: {
        id: demoId(`downtime:${s.slug}`),
        schoolId,
        vehicleId: cars[1]!.id,
        startsOn: inDays(5),
        endsOn: inDays(5),
        reason: "service",
        note: "ТО-2, замена масла",
        createdBy: s.registrarId,
      },
    });
  const groupId = demoId(`group:${s.slug}:B-2026-11`);
  await db.studyGroup.createMany({
    data: [
      {
        id: groupId,
        schoolId,
        number: "B-2026-11",
        category: "B",
        startsOn: new Date("2026-11-02T00:00:00Z"),
        endsOn: new Date("2027-01-29T00:00:00Z"),
        timetable: "Дс/Ср/Жм 18:30–20:30 · Пн/Ср/Пт 18:30–20:30, ауд. 2",
      },
    ],
    skipDuplicates: true,
  });
  const inTraining = s.trainees.filter(
    (t) => t.category === "B" && ["enrolled", "training", "exams"].includes(t.status),
  );
  await db.trainee.updateMany({ where: { id: { in: inTraining.map((t) => t.id) }, groupId: null }, data: { groupId } });

  // What follows is history: written once, never again on later runs.
  if (await db.journalHead.findUnique({ where: { schoolId } })) return;
  const { appendJournal } = await import("../training/journal.ts");
  const path = ["applicant", "enrolled", "training", "exams", "graduated"];
  await db.$transaction(
    async (tx) => {
      for (const t of s.trainees) {
        const steps = path.indexOf(t.status);
        for (let k = 1; k <= steps; k++) {
          await tx.traineeStatusChange.create({
            data: {
              id: demoId(`status:${t.id}:${k}`),
              schoolId,
              traineeId: t.id,
              fromStatus: path[k - 1] as never,
              toStatus: path[k] as never,
              changedBy: s.registrarId,
            },
          });
          await appendJournal(tx, schoolId, {
            kind: k === 1 ? "trainee.enrolled" : "trainee.status_changed",
            actorUserId: s.registrarId,
            subjectId: t.id,
            data: { from: path[k - 1]!, to: path[k]!, reason: null },
          });
        }
        if (steps >= 1) {
          await tx.traineePayment.create({
            data: {
              id: demoId(`payment:${t.id}`),
              schoolId,
              traineeId: t.id,
              amountTiyn: 100_000_00n,
              paidOn: new Date("2026-11-02T00:00:00Z"),
              note: "Kaspi",
              createdBy: s.registrarId,
            },
          });
          await tx.trainee.update({ where: { id: t.id }, data: { paidTiyn: 100_000_00n, enrolledAt: new Date() } });
        }
      }
      // A week of lessons for the manual-gearbox B trainees in training: the past ones done, the rest booked.
      const manual = inTraining.filter((t) => t.status === "training").slice(0, 8);
      const monday = new Date(Date.now() - ((new Date().getUTCDay() + 6) % 7) * 86_400_000);
      let slot = 0;
      for (const t of manual) {
        for (let d = 0; d < 5; d += 2) {
          const day = new Date(monday.getTime() + (d + (slot % 2)) * 86_400_000).toISOString().slice(0, 10);
          const startsAt = new Date(`${day}T${String(9 + (slot % 4) * 2).padStart(2, "0")}:00:00+05:00`);
          const id = demoId(`lesson:${t.id}:${d}`);
          const past = startsAt.getTime() < Date.now() - 2 * 3600_000;
          const overlaps = await tx.drivingLesson.count({
            where: {
              status: { not: "cancelled" },
              OR: [{ instructorId: s.instructorId }, { vehicleId: cars[0]!.id }, { traineeId: t.id }],
              startsAt: { lt: new Date(startsAt.getTime() + 90 * 60_000) },
              endsAt: { gt: startsAt },
            },
          });
          if (overlaps) continue;
          await tx.drivingLesson.create({
            data: {
              id,
              schoolId,
              traineeId: t.id,
              instructorId: s.instructorId,
              vehicleId: cars[0]!.id,
              startsAt,
              endsAt: new Date(startsAt.getTime() + 90 * 60_000),
              bookedBy: s.registrarId,
              ...(past ? { status: "done", markedBy: s.instructorId, markedAt: new Date() } : {}),
            },
          });
          if (past)
            await appendJournal(tx, schoolId, {
              kind: "lesson.marked",
              actorUserId: s.instructorId,
              subjectId: t.id,
              data: { lessonId: id, status: "done", note: null, minutes: 90 },
            });
        }
        slot++;
      }
    },
    { timeout: 120_000 },
  );
}

/**
 * demo-almaty started using Avtomektep with trainees half-way through (ADR 029): for those now in exams or
 * graduated, the registrar entered on adoption what the paper journal says — start date, the programme's theory
 * and driving hours, both internal exams passed — and their medical certificates and full payment, so they are
 * eligible and the certificate path works in the demo. The first of them still owes the last payment, to show
 * what "not eligible" reads like. Once: a school with any record entered on adoption is left as it is.
 */
async function seedAdoption(
  db: PrismaClient,
  s: { schoolId: string; registrarId: string; trainees: { id: string; status: string; category: string }[] },
) {
  if (await db.priorTraining.count({ where: { schoolId: s.schoolId } })) return;
  const { savePriorTraining } = await import("../training/adoption.ts");
  const today = almatyDate(new Date());
  const late = s.trainees.filter((t) => t.status === "exams" || t.status === "graduated");
  await db.$transaction(
    async (tx) => {
      for (const [k, t] of late.entries()) {
        const own = await tx.programme.findUnique({
          where: { schoolId_category_gearbox: { schoolId: s.schoolId, category: t.category, gearbox: "manual" } },
        });
        const programme =
          own ??
          (await tx.programmeTemplate.findUnique({
            where: { category_gearbox: { category: t.category, gearbox: "manual" } },
          }));
        if (!programme) continue;
        await savePriorTraining(
          tx,
          s.schoolId,
          s.registrarId,
          t.id,
          {
            startedOn: addDays(today, -200),
            theoryMinutes: programme.theoryHours * 60,
            drivingMinutes: programme.drivingHours * 60,
            theoryExam: { takenOn: addDays(today, -90), score: 35, maxScore: 40 },
            practicalExam: { takenOn: addDays(today, -60), score: null, maxScore: null },
          },
          null,
        );
        await tx.trainee.update({
          where: { id: t.id },
          data: {
            medicalCertNumber: `083/у-${2400 + k}`,
            medicalCertIssuedOn: new Date(`${addDays(today, -210)}T00:00:00Z`),
            medicalCertValidUntil: new Date(`${addDays(today, 520)}T00:00:00Z`),
          },
        });
        if (k === 0) continue;
        await tx.traineePayment.create({
          data: {
            id: demoId(`payment:${t.id}:rest`),
            schoolId: s.schoolId,
            traineeId: t.id,
            amountTiyn: 150_000_00n,
            paidOn: new Date(`${addDays(today, -30)}T00:00:00Z`),
            note: "Kaspi",
            createdBy: s.registrarId,
          },
        });
        await tx.trainee.update({ where: { id: t.id }, data: { paidTiyn: { increment: 150_000_00n } } });
      }
    },
    { timeout: 120_000 },
  );
}

/**
 * Billing for the demo schools, once: demo-almaty on the Standard plan with two paid months, the acts of the months
 * already served in its cabinet (drawn up as the monthly run would, ADR 041); demo-astana with an invoice two days
 * overdue (the past-due banner).
 */
async function seedBilling(db: PrismaClient, schoolId: string, kind: "paid" | "overdue"): Promise<void> {
  if ((await db.invoice.count({ where: { schoolId } })) > 0) return;
  const today = almatyDate(new Date());
  const plan = await db.tariffPlan.findUniqueOrThrow({ where: { code: "standard" } });
  const paidThrough = addDays(today, kind === "paid" ? -40 : -3);
  await db.$transaction(
    async (tx) => {
      const sub = { planId: plan.id, paidThrough: new Date(`${paidThrough}T00:00:00Z`) };
      await tx.subscription.upsert({ where: { schoolId }, update: sub, create: { schoolId, ...sub } });
      const settings = await billingSettings(tx);
      if (kind === "overdue") {
        await issueNextInvoice(tx, schoolId, addDays(paidThrough, -settings.invoiceDaysBefore), settings);
        await escalate(tx, schoolId, "active", today, settings);
        return;
      }
      // two months in a row, each paid on the day before it began
      let through = paidThrough;
      for (let n = 0; n < 2; n++) {
        await tx.subscription.update({ where: { schoolId }, data: { paidThrough: new Date(`${through}T00:00:00Z`) } });
        const invoice = await issueNextInvoice(tx, schoolId, addDays(through, -settings.invoiceDaysBefore), settings);
        const inv = await tx.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
        await applyPayment(tx, {
          invoiceId: inv.id,
          method: "manual",
          externalRef: `seed-${schoolId}-${n}`,
          amountTiyn: Number(inv.amountTiyn),
          receivedOn: through,
          note: "demo",
        });
        through = isoDay(inv.periodEnd);
      }
      for (let month = monthOf(addDays(paidThrough, 1)).first; monthOf(month).last < today; ) {
        await issueMonthAct(tx, schoolId, month);
        month = addDays(monthOf(month).last, 1);
      }
    },
    { timeout: 60_000 },
  );
}
