import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { operatorDb } from "../db/client.ts";
import { pdfText, xlsxRows } from "../../tests/documents.ts";
import { addMember, createSchool, traineeInput, uniqueIin } from "../../tests/factories.ts";
import { refusal } from "../../tests/refusal.ts";
import { addVehicle } from "../../tests/lessons.ts";
import { almatyDate, addDays, almatyToInstant } from "../../domain/kz/time.ts";
import { DEFAULT_TEMPLATES } from "./contract-template.ts";
import type { FileDownload } from "../../domain/files.ts";

type School = Awaited<ReturnType<typeof createSchool>>;

const bytes = (f: FileDownload) => Buffer.from(f.base64, "base64");
/** PDF text as one line: non-breaking spaces, line breaks and layout padding read as single spaces. */
const text = async (f: FileDownload) => (await pdfText(bytes(f))).replace(/[\s\u00a0]+/g, " ");
/** Keeps a copy of a generated file for looking at it (set DOCS_OUT to a folder). */
function keep(f: FileDownload, name: string) {
  if (!process.env.DOCS_OUT) return;
  mkdirSync(process.env.DOCS_OUT, { recursive: true });
  writeFileSync(`${process.env.DOCS_OUT}/${name}`, bytes(f));
}
let a: School;
let aigerim: string; // Әбенова Айгерім Сәкенқызы, B manual, in group, enrolled, has paid part
let aigerimIin: string;
let erlan: string; // Сапаров Ерлан, B, applicant, no group
let groupId: string;
let instructor: Awaited<ReturnType<typeof addMember>>;
const today = almatyDate(new Date());

beforeAll(async () => {
  a = await createSchool({ schoolName: "Көкшетау Автомектебі" });
  const s = a.slug;
  aigerimIin = uniqueIin("2001-05-17", "female");
  aigerim = (
    await a.director.trainees.create({
      school: s,
      ...traineeInput({
        iin: aigerimIin,
        lastName: "Әбенова",
        firstName: "Айгерім",
        middleName: "Сәкенқызы",
        latinName: "ABENOVA AIGERIM",
        phone: "+7 701 555 12 34",
        contractNumber: "Д-2026-017",
        contractPrice: "185000",
        medicalCertNumber: "МС-4471",
        medicalCertIssuedOn: "2026-01-10",
        medicalCertValidUntil: "2027-01-10",
      }),
    })
  ).id;
  erlan = (
    await a.director.trainees.create({
      school: s,
      ...traineeInput({
        lastName: "Сапаров",
        firstName: "Ерлан",
        contractNumber: "Д-2026-018",
        contractPrice: "160000",
      }),
    })
  ).id;
  await a.director.trainees.create({
    school: s,
    ...traineeInput({ lastName: "Жүнісов", firstName: "Нұрлан", category: "C" }),
  });
  await a.director.training.changeStatus({ school: s, traineeId: aigerim, to: "enrolled", reason: "Құжаттар толық" });
  await a.director.training.addPayment({ school: s, traineeId: aigerim, amountTiyn: 50_000_00, paidOn: today });
  groupId = (
    await a.director.resources.createGroup({
      school: s,
      number: "B-17/2026",
      category: "B",
      startsOn: "2026-09-01",
      endsOn: "2026-12-20",
    })
  ).id;
  await a.director.resources.assignToGroup({ school: s, traineeIds: [aigerim], groupId });

  // Two driving lessons of 90 minutes done yesterday and the day before, one booked for tomorrow.
  instructor = await addMember(a.schoolId, "instructor");
  await operatorDb().user.update({ where: { id: instructor.userId }, data: { fullName: "Қасымов Бауыржан" } });
  const vehicleId = await addVehicle(a.schoolId, { plate: "123ABC02", makeModel: "Lada Granta" });
  const lesson = (date: string, status: "done" | "booked", note: string | null = null) => {
    const startsAt = almatyToInstant(date, "10:00");
    return {
      id: randomUUID(),
      schoolId: a.schoolId,
      traineeId: aigerim,
      instructorId: instructor.userId,
      vehicleId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 90 * 60_000),
      status,
      note,
      bookedBy: a.userId,
      ...(status === "done"
        ? { markedBy: instructor.userId, markedAt: new Date(startsAt.getTime() + 95 * 60_000) }
        : {}),
    };
  };
  await operatorDb().drivingLesson.createMany({
    data: [
      lesson(addDays(today, -2), "done", "Қалада жүргізу"),
      lesson(addDays(today, -1), "done"),
      lesson(addDays(today, 1), "booked"),
    ],
  });
});

describe("the trainee register (XLSX)", () => {
  it("lists every trainee with names, IIN and money, headers and sheet in Kazakh and Russian", async () => {
    for (const lang of ["kk", "ru"] as const) {
      const file = await a.director.exports.register({ school: a.slug, lang });
      keep(file, `register-${lang}.xlsx`);
      expect(file.fileName).toBe(lang === "kk" ? `Оқушылар_тізілімі_${today}.xlsx` : `Реестр_курсантов_${today}.xlsx`);
      const sheets = await xlsxRows(bytes(file));
      const sheetName = lang === "kk" ? "Оқушылар тізілімі" : "Реестр курсантов";
      expect(Object.keys(sheets)).toEqual([sheetName]);
      const rows = sheets[sheetName]!;
      expect(rows[0]).toEqual(
        lang === "kk"
          ? [
              "№",
              "Аты-жөні",
              "Латынша аты-жөні",
              "ЖСН",
              "Туған күні",
              "Санат",
              "Беріліс қорабы",
              "Мәртебесі",
              "Топ",
              "Телефон",
              "Шарт нөмірі",
              "Оқу құны, ₸",
              "Төленді, ₸",
              "Қалдық, ₸",
              "Мед. анықтама мерзімі",
            ]
          : [
              "№",
              "ФИО",
              "ФИО латиницей",
              "ИИН",
              "Дата рождения",
              "Категория",
              "Коробка передач",
              "Статус",
              "Группа",
              "Телефон",
              "Номер договора",
              "Стоимость, ₸",
              "Оплачено, ₸",
              "Остаток, ₸",
              "Медсправка действительна до",
            ],
      );
      expect(rows).toHaveLength(4); // header + 3 trainees
      expect(rows.slice(1).map((r) => r[0])).toEqual(["1", "2", "3"]);
      const row = rows.find((r) => r[3] === aigerimIin)!;
      expect(row.slice(1)).toEqual([
        "Әбенова Айгерім Сәкенқызы",
        "ABENOVA AIGERIM",
        aigerimIin,
        "17.05.2001",
        "B",
        lang === "kk" ? "Механикалық" : "Механическая",
        lang === "kk" ? "Қабылданды" : "Зачислен",
        "B-17/2026",
        "+7 701 555 12 34",
        "Д-2026-017",
        "185000",
        "50000",
        "135000",
        "10.01.2027",
      ]);
    }
  });

  it("follows the list page's filters: status, category and group", async () => {
    const rowsOf = async (input: Record<string, string>) => {
      const sheets = await xlsxRows(bytes(await a.director.exports.register({ school: a.slug, lang: "ru", ...input })));
      return Object.values(sheets)[0]!
        .slice(1)
        .map((r) => r[1]);
    };
    expect(await rowsOf({ category: "C" })).toEqual(["Жүнісов Нұрлан"]);
    expect(await rowsOf({ status: "enrolled" })).toEqual(["Әбенова Айгерім Сәкенқызы"]);
    expect(await rowsOf({ groupId })).toEqual(["Әбенова Айгерім Сәкенқызы"]);
    expect(await rowsOf({ q: "Сапар" })).toEqual(["Сапаров Ерлан"]);
  });

  it("is open to every member, an instructor with the roster's columns only: no IIN, contacts, money or medical certificate (ADR 026)", async () => {
    const file = await instructor.caller.exports.register({ school: a.slug });
    const rows = Object.values(await xlsxRows(bytes(file)))[0]!;
    expect(rows[0]).toEqual(["№", "Аты-жөні", "Санат", "Беріліс қорабы", "Мәртебесі", "Топ"]); // the instructor's language is Kazakh
    expect(rows).toHaveLength(4);
    expect(rows.flat()).not.toContain(aigerimIin);
  });
});

describe("the group list for the state exam (XLSX)", () => {
  it("has the group's header block and each trainee's hours, certificate and balance", async () => {
    const required = await operatorDb().programmeTemplate.findUniqueOrThrow({
      where: { category_gearbox: { category: "B", gearbox: "manual" } },
    });
    for (const lang of ["kk", "ru"] as const) {
      const file = await a.director.exports.groupList({ school: a.slug, id: groupId, lang });
      keep(file, `group-${lang}.xlsx`);
      expect(file.fileName).toBe(
        lang === "kk" ? `B-17-2026_тобының_тізімі_${today}.xlsx` : `Список_группы_B-17-2026_${today}.xlsx`,
      );
      const sheets = await xlsxRows(bytes(file));
      const rows = sheets[lang === "kk" ? "B-17-2026 тобы" : "Группа B-17-2026"]!;
      expect(rows[0]![0]).toBe(
        lang === "kk"
          ? "Мемлекеттік емтиханға арналған топ тізімі"
          : "Список группы для сдачи государственного экзамена",
      );
      const block = Object.fromEntries(rows.slice(1, 8).map((r) => [r[0], r[2]]));
      expect(block[lang === "kk" ? "Автомектеп" : "Автошкола"]).toBe("Көкшетау Автомектебі");
      expect(block[lang === "kk" ? "Топ нөмірі" : "Номер группы"]).toBe("B-17/2026");
      expect(block[lang === "kk" ? "Оқу мерзімі" : "Срок обучения"]).toBe("01.09.2026 — 20.12.2026");
      expect(block[lang === "kk" ? "Оқытушы" : "Преподаватель"]).toBe(
        lang === "kk" ? "тағайындалмаған" : "не назначен",
      );
      const header = rows.findIndex((r) => r[0] === "№");
      expect(rows[header]).toEqual(
        lang === "kk"
          ? [
              "№",
              "Аты-жөні",
              "ЖСН",
              "Туған күні",
              "Жүргізу: өтті, сағ",
              "Жүргізу: бағдарлама, сағ",
              "Мед. анықтама мерзімі",
              "Төлемге қалдық, ₸",
            ]
          : [
              "№",
              "ФИО",
              "ИИН",
              "Дата рождения",
              "Вождение: пройдено, ч",
              "Вождение: по программе, ч",
              "Медсправка действительна до",
              "Остаток к оплате, ₸",
            ],
      );
      // only the group's one trainee; 2 × 90 minutes done = 3 hours
      expect(rows.slice(header + 1)).toEqual([
        [
          "1",
          "Әбенова Айгерім Сәкенқызы",
          aigerimIin,
          "17.05.2001",
          "3",
          String(required.drivingHours),
          "10.01.2027",
          "135000",
        ],
      ]);
    }
  });

  it("another school's group is not found", async () => {
    const b = await createSchool();
    expect((await refusal(b.director.exports.groupList({ school: b.slug, id: groupId }))).code).toBe("NOT_FOUND");
  });
});

describe("the driving lessons journal (XLSX)", () => {
  it("lists the lessons of the period with trainee, instructor, car, length, mark and marked-at time", async () => {
    const from = addDays(today, -7);
    for (const lang of ["kk", "ru"] as const) {
      const file = await a.director.exports.lessons({ school: a.slug, from, to: today, lang });
      keep(file, `lessons-${lang}.xlsx`);
      const rows = Object.values(await xlsxRows(bytes(file)))[0]!;
      expect(rows[0]).toEqual(
        lang === "kk"
          ? [
              "Күні",
              "Уақыты",
              "Оқушы",
              "Жүргізуге үйрету шебері",
              "Көлік нөмірі",
              "Ұзақтығы, мин",
              "Күйі",
              "Ескертпе",
              "Белгі енгізілген уақыт",
            ]
          : [
              "Дата",
              "Время",
              "Курсант",
              "Мастер ПОВ",
              "Госномер",
              "Длительность, мин",
              "Статус",
              "Примечание",
              "Отметка внесена",
            ],
      );
      expect(rows).toHaveLength(3); // tomorrow's lesson is outside the period
      const d = addDays(today, -2).split("-").reverse().join(".");
      expect(rows[1]).toEqual([
        d,
        "10:00–11:30",
        "Әбенова Айгерім Сәкенқызы",
        "Қасымов Бауыржан",
        "123ABC02",
        "90",
        lang === "kk" ? "Өтті" : "Состоялось",
        "Қалада жүргізу",
        `${d} 11:35`,
      ]);
    }
    const withTomorrow = await a.director.exports.lessons({ school: a.slug, from, to: addDays(today, 1), lang: "ru" });
    expect(Object.values(await xlsxRows(bytes(withTomorrow)))[0]!).toHaveLength(4);
  });

  it("refuses a period that ends before it starts", async () => {
    const r = await refusal(a.director.exports.lessons({ school: a.slug, from: today, to: addDays(today, -1) }));
    expect(r.status).toBe(400);
    expect(r.message).toMatch(/не более 366 дней/);
  });
});

describe("the trainee's card (PDF)", () => {
  it("shows the school, personal data, contract money, certificate, hours and status history", async () => {
    for (const lang of ["kk", "ru"] as const) {
      const file = await a.director.exports.traineeCard({ school: a.slug, id: aigerim, lang });
      keep(file, `card-${lang}.pdf`);
      expect(file.contentType).toBe("application/pdf");
      expect(file.fileName).toBe(
        lang === "kk"
          ? `Оқушы_карточкасы_Әбенова_Айгерім_${today}.pdf`
          : `Карточка_курсанта_Әбенова_Айгерім_${today}.pdf`,
      );
      const t = await text(file);
      expect(t).toContain("Көкшетау Автомектебі");
      expect(t).toContain(lang === "kk" ? "Оқушының жеке карточкасы" : "Личная карточка курсанта");
      expect(t).toContain("Әбенова Айгерім Сәкенқызы");
      expect(t).toContain(aigerimIin);
      expect(t).toContain("Д-2026-017");
      expect(t).toContain("185 000,00 ₸");
      expect(t).toContain("135 000,00 ₸");
      expect(t).toContain("10.01.2027");
      expect(t).toMatch(lang === "kk" ? /3 \/ \d+ сағ/ : /3 \/ \d+ ч/);
      expect(t).toContain(lang === "kk" ? "Өтініш беруші → Қабылданды" : "Заявитель → Зачислен");
      expect(t).toContain("Құжаттар толық");
    }
  });

  it("is refused to teachers and instructors, and B cannot open A's trainee by id", async () => {
    const teacher = await addMember(a.schoolId, "teacher");
    expect((await refusal(teacher.caller.exports.traineeCard({ school: a.slug, id: aigerim }))).code).toBe("FORBIDDEN");
    expect((await refusal(instructor.caller.exports.contract({ school: a.slug, id: aigerim }))).code).toBe("FORBIDDEN");
    const inspector = await addMember(a.schoolId, "inspector");
    expect(await text(await inspector.caller.exports.traineeCard({ school: a.slug, id: aigerim }))).toContain(
      aigerimIin,
    );
    const b = await createSchool();
    expect((await refusal(b.director.exports.traineeCard({ school: b.slug, id: aigerim }))).code).toBe("NOT_FOUND");
    expect((await refusal(b.director.exports.contract({ school: b.slug, id: aigerim }))).code).toBe("NOT_FOUND");
  });
});

describe("the contract (PDF) and its template", () => {
  it("fills the default text, marked as a template to check, in both languages", async () => {
    for (const lang of ["kk", "ru"] as const) {
      const file = await a.director.exports.contract({ school: a.slug, id: aigerim, lang });
      keep(file, `contract-${lang}.pdf`);
      expect(file.fileName).toBe(lang === "kk" ? "Шарт_Д-2026-017.pdf" : "Договор_Д-2026-017.pdf");
      const t = await text(file);
      expect(t).toContain(lang === "kk" ? "ҮЛГІ МӘТІН" : "ШАБЛОН");
      expect(t).toContain(lang === "kk" ? "ЖҮРГІЗУШІЛЕРДІ ДАЯРЛАУ" : "ПОДГОТОВКЕ ВОДИТЕЛЕЙ");
      expect(t).toContain("Әбенова Айгерім Сәкенқызы");
      expect(t).toContain(aigerimIin);
      expect(t).toContain("Д-2026-017");
      expect(t).toContain("185 000,00 ₸");
      expect(t).toContain("Көкшетау Автомектебі");
      expect(t).not.toContain("{{");
    }
  });

  it("fills every field the system knows — school, trainee, category, price, training dates — and leaves blank only what nobody entered", async () => {
    const s = await createSchool({ schoolName: "Жол Автомектебі", directorName: "Омаров Серік Қайратұлы" });
    await s.director.school.updateSettings({
      school: s.slug,
      name: "Жол Автомектебі",
      directorName: "Омаров Серік Қайратұлы",
      phone: "+7 727 300 40 50",
      email: "info@zhol.kz",
      address: "Алматы, Абай даңғылы, 10",
    });
    const iin = uniqueIin("2004-04-04", "female");
    const { id } = await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({
        iin,
        lastName: "Нұрланова",
        firstName: "Дана",
        phone: "+7 705 111 22 33",
        email: "dana@mail.kz",
        address: "Алматы, Сатпаев көшесі, 5, 12-пәтер",
        contractNumber: "Ш-7",
        contractPrice: "210000",
      }),
    });
    const group = await s.director.resources.createGroup({
      school: s.slug,
      number: "B-3/2027",
      category: "B",
      startsOn: "2027-01-11",
      endsOn: "2027-04-02",
    });
    await s.director.resources.assignToGroup({ school: s.slug, traineeIds: [id], groupId: group.id });

    for (const lang of ["kk", "ru"] as const) {
      const t = await text(await s.director.exports.contract({ school: s.slug, id, lang }));
      for (const known of [
        "Жол Автомектебі",
        "Алматы, Абай даңғылы, 10",
        "Омаров Серік Қайратұлы",
        "info@zhol.kz",
        "Нұрланова Дана",
        iin,
        "04.04.2004",
        "Алматы, Сатпаев көшесі, 5, 12-пәтер",
        "+7 705 111 22 33",
        "dana@mail.kz",
        "210 000,00 ₸",
        "11.01.2027",
        "02.04.2027",
        "B-3/2027",
      ])
        expect(t, `${lang}: ${known}`).toContain(known);
      // Only the two signature lines are left to fill by hand.
      expect(t.match(/_+/g)).toEqual(["____________________", "____________________"]);
    }

    // A trainee with no price, address, phone, e-mail or group yet: those are the blanks, nothing else.
    const { id: bare } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    const t = await text(await s.director.exports.contract({ school: s.slug, id: bare, lang: "ru" }));
    expect(t).toContain("Общая стоимость обучения — __________.");
    expect(t).toContain("Срок обучения: с __________ по __________, в группе __________.");
    expect(t).not.toContain("0,00 ₸");
  });

  it("refuses a template with unknown placeholders, naming them", async () => {
    const r = await refusal(
      a.director.exports.saveContractTemplate({
        school: a.slug,
        locale: "ru",
        body: "Договор {{contract.number}} с {{trainee.name}} от {{ school.nmae }}",
      }),
    );
    expect(r.status).toBe(400);
    expect(r.fieldErrors?.body).toBe(
      "В шаблоне есть неизвестные подстановки: {{trainee.name}}, {{school.nmae}}. Используйте только подстановки из списка",
    );
    const kk = await refusal(
      a.director.exports.saveContractTemplate({ school: a.slug, locale: "kk", body: "{{oqushy}}" }),
      "kk",
    );
    expect(kk.message).toContain("{{oqushy}}");
    // nothing was saved
    expect((await a.director.exports.contractTemplates({ school: a.slug })).ru.custom).toBe(false);
  });

  it("uses the school's own text once saved, and the default again after a reset", async () => {
    const body =
      "# ДОГОВОР ОБУЧЕНИЯ № {{contract.number}}\n\nКурсант {{trainee.fullName}}, ИИН {{trainee.iin}}, оплачивает {{contract.price}} по условиям автошколы «Көкшетау».";
    await a.director.exports.saveContractTemplate({ school: a.slug, locale: "ru", body });
    const saved = await a.director.exports.contractTemplates({ school: a.slug });
    expect(saved.ru).toMatchObject({ body, custom: true });
    expect(saved.kk.custom).toBe(false);
    const file = await a.director.exports.contract({ school: a.slug, id: aigerim, lang: "ru" });
    keep(file, "contract-custom-ru.pdf");
    const t = await text(file);
    expect(t).toContain("ДОГОВОР ОБУЧЕНИЯ № Д-2026-017");
    expect(t).toContain(
      `Курсант Әбенова Айгерім Сәкенқызы, ИИН ${aigerimIin}, оплачивает 185 000,00 ₸ по условиям автошколы «Көкшетау».`,
    );
    expect(t).not.toContain("ШАБЛОН");
    // the Kazakh contract still uses the default text
    expect(await text(await a.director.exports.contract({ school: a.slug, id: aigerim, lang: "kk" }))).toContain(
      "ҮЛГІ МӘТІН",
    );

    await a.director.exports.resetContractTemplate({ school: a.slug, locale: "ru" });
    expect((await a.director.exports.contractTemplates({ school: a.slug })).ru).toMatchObject({
      body: DEFAULT_TEMPLATES.ru,
      custom: false,
    });
    expect(await text(await a.director.exports.contract({ school: a.slug, id: aigerim, lang: "ru" }))).toContain(
      "ШАБЛОН",
    );
  });

  it("a contract without a number says so instead of leaving a blank", async () => {
    const noNumber = (
      await a.director.trainees.create({ school: a.slug, ...traineeInput({ lastName: "Өмірзақ", firstName: "Ұлжан" }) })
    ).id;
    const t = await text(await a.director.exports.contract({ school: a.slug, id: noNumber, lang: "ru" }));
    expect(t).toContain("ДОГОВОР № б/н");
    expect(t).toContain("Өмірзақ Ұлжан");
  });

  it("only the director edits the template; a registrar and an inspector are refused", async () => {
    for (const role of ["registrar", "inspector"] as const) {
      const m = await addMember(a.schoolId, role);
      expect(
        (await refusal(m.caller.exports.saveContractTemplate({ school: a.slug, locale: "kk", body: "Шарт" }))).code,
      ).toBe("FORBIDDEN");
      expect((await refusal(m.caller.exports.resetContractTemplate({ school: a.slug, locale: "kk" }))).code).toBe(
        "FORBIDDEN",
      );
    }
    const registrar = await addMember(a.schoolId, "registrar");
    expect(await text(await registrar.caller.exports.contract({ school: a.slug, id: erlan, lang: "ru" }))).toContain(
      "Д-2026-018",
    );
  });
});
