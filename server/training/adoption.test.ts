import { inScope, operatorDb } from "../db/client.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { translator } from "../../domain/i18n/index.ts";
import { addMember, callerFor, createSchool, traineeInput } from "../../tests/factories.ts";
import { demoId, seedDemo } from "../db/seed.ts";
import { refusal } from "../../tests/refusal.ts";
import { addProgrammeB } from "../../tests/lessons.ts";

type School = Awaited<ReturnType<typeof createSchool>>;
const today = () => almatyDate(new Date());

/** A trainee in exams with a valid medical certificate, a paid contract and the school's B programme (130 + 56 h). */
async function traineeInExams(s: School) {
  await addProgrammeB(s.schoolId);
  const { id } = await s.director.trainees.create({
    school: s.slug,
    ...traineeInput({ lastName: "Өмірзақова", firstName: "Айгүл" }),
  });
  await operatorDb().trainee.update({
    where: { id },
    data: {
      medicalCertNumber: "083-1",
      medicalCertValidUntil: new Date(`${addDays(today(), 200)}T00:00:00Z`),
      contractPriceTiyn: 150_000_00n,
    },
  });
  await s.director.training.addPayment({ school: s.slug, traineeId: id, amountTiyn: 150_000_00, paidOn: today() });
  for (const to of ["enrolled", "training", "exams"] as const)
    await s.director.training.changeStatus({ school: s.slug, traineeId: id, to });
  return id;
}

const reasonTexts = (reasons: { code: string; params: Record<string, string> }[], locale: "kk" | "ru" = "ru") =>
  reasons.map((r) => translator(locale)(`exams:reasons.${r.code}`, r.params));

const paper = {
  startedOn: "2026-03-02",
  theoryHours: "130",
  drivingHours: "56",
  theoryExamOn: "2026-06-15",
  theoryExamScore: "36",
  practicalExamOn: "2026-07-20",
  practicalExamScore: "",
  practicalExamMax: "",
};

describe("training before adoption", () => {
  it("makes a trainee who did it all on paper eligible: theory and driving hours, both exams as attempts", async () => {
    const s = await createSchool();
    const id = await traineeInExams(s);
    const before = await s.director.exams.eligibility({ school: s.slug, traineeId: id });
    expect(reasonTexts(before.reasons)).toEqual([
      "теория 0 из 130 ч",
      "вождение 0 из 56 ч",
      "внутренний экзамен по теории не сдавался",
      "внутренний экзамен по вождению не сдавался",
    ]);

    // Part of it first: hours count on top of the system's marks, the reasons name what is left.
    await s.director.training.enterPriorTraining({
      school: s.slug,
      traineeId: id,
      theoryHours: "100,5",
      drivingHours: 40,
    });
    const partly = await s.director.exams.eligibility({ school: s.slug, traineeId: id });
    expect(reasonTexts(partly.reasons).slice(0, 2)).toEqual(["теория 100,5 из 130 ч", "вождение 40 из 56 ч"]);

    await s.director.training.enterPriorTraining({
      school: s.slug,
      traineeId: id,
      ...paper,
      reason: "по журналу группы",
    });
    const after = await s.director.exams.eligibility({ school: s.slug, traineeId: id });
    expect(after).toMatchObject({ eligible: true, reasons: [] });

    // The exams are attempts, shown as passed on the paper's date and entered on adoption.
    const results = await s.director.exams.results({ school: s.slug, traineeId: id });
    expect(results.map((r) => [r.kind, r.attempt, r.score, r.maxScore, r.passed, r.source])).toEqual(
      expect.arrayContaining([
        ["theory", 1, 36, 40, true, "adoption"],
        ["practical", 1, null, null, true, "adoption"],
      ]),
    );
    // …and the certificate can be issued.
    const cert = await s.director.exams.issue({ school: s.slug, traineeId: id });
    expect(cert.number).toBe(1);
  });

  it("shows what was entered on adoption, by whom and when, and keeps the history of a correction", async () => {
    const s = await createSchool();
    const id = await traineeInExams(s);
    const director = await operatorDb().user.findUniqueOrThrow({ where: { id: s.userId } });
    await s.director.training.enterPriorTraining({ school: s.slug, traineeId: id, ...paper });
    const card = await s.director.training.card({ school: s.slug, traineeId: id });
    expect(card.prior).toMatchObject({
      startedOn: "2026-03-02",
      theoryMinutes: 130 * 60,
      drivingMinutes: 56 * 60,
      theoryExam: { takenOn: "2026-06-15", score: 36, maxScore: 40 },
      practicalExam: { takenOn: "2026-07-20", score: null, maxScore: null },
      enteredBy: director.fullName,
      correctedAt: null,
    });
    expect(Math.abs(card.prior!.enteredAt.getTime() - Date.now())).toBeLessThan(60_000);
    // The driving bar says how much of it came from adoption.
    expect(card.progress).toMatchObject({ doneMinutes: 56 * 60, priorMinutes: 56 * 60 });

    // A correction needs a reason; it keeps the previous values in the journal.
    const noReason = await refusal(
      s.director.training.enterPriorTraining({ school: s.slug, traineeId: id, ...paper, drivingHours: "50" }),
    );
    expect(noReason.fieldErrors).toEqual({ reason: "Укажите причину исправления — она попадёт в журнал" });
    await s.director.training.enterPriorTraining({
      school: s.slug,
      traineeId: id,
      ...paper,
      drivingHours: "50",
      theoryExamOn: "",
      theoryExamScore: "",
      reason: "ошибка в журнале",
    });
    const corrected = await s.director.training.card({ school: s.slug, traineeId: id });
    expect(corrected.prior).toMatchObject({
      drivingMinutes: 50 * 60,
      theoryExam: null,
      correctedBy: director.fullName,
    });
    const journal = corrected.history.filter((h) => h.kind.startsWith("adoption."));
    expect(journal.map((h) => h.kind)).toEqual(["adoption.entered", "adoption.corrected"]);
    expect(journal[1]!.data).toMatchObject({
      drivingMinutes: 3000,
      theoryExam: null,
      reason: "ошибка в журнале",
      previous: { drivingMinutes: 3360, theoryExam: { takenOn: "2026-06-15", score: 36, maxScore: 40 } },
    });
    expect(journal[1]!.actor).toBe(director.fullName);
    // The withdrawn theory exam is no longer an attempt; the exams page can't correct the adopted one.
    const results = await s.director.exams.results({ school: s.slug, traineeId: id });
    expect(results.map((r) => r.kind)).toEqual(["practical"]);
    const viaExams = await refusal(
      s.director.exams.correctResult({ school: s.slug, resultId: results[0]!.id, score: 10, reason: "x" }),
    );
    expect(viaExams.message).toContain("внесён при переходе на Автомектеп");
    // The journal is still intact.
    expect((await s.director.training.journalCheck({ school: s.slug })).intact).toBe(true);
  });

  it("is written by the director and the registrar only: an instructor, a teacher or an inspector is refused", async () => {
    const s = await createSchool();
    const id = await traineeInExams(s);
    const registrar = await addMember(s.schoolId, "registrar");
    await registrar.caller.training.enterPriorTraining({ school: s.slug, traineeId: id, theoryHours: "20" });
    for (const role of ["instructor", "teacher", "inspector"] as const) {
      const m = await addMember(s.schoolId, role);
      const r = await refusal(
        m.caller.training.enterPriorTraining({ school: s.slug, traineeId: id, theoryHours: "130", reason: "x" }),
      );
      expect(r.code).toBe("FORBIDDEN");
    }
    expect((await s.director.training.card({ school: s.slug, traineeId: id })).prior?.theoryMinutes).toBe(20 * 60);
    // the inspector reads it
    const inspector = await addMember(s.schoolId, "inspector");
    expect((await inspector.caller.training.card({ school: s.slug, traineeId: id })).prior?.theoryMinutes).toBe(1200);
  });

  it("is another school's secret: it can neither read nor write it", async () => {
    const a = await createSchool();
    const b = await createSchool();
    const id = await traineeInExams(a);
    await a.director.training.enterPriorTraining({ school: a.slug, traineeId: id, ...paper });
    expect(
      (await refusal(b.director.training.enterPriorTraining({ school: b.slug, traineeId: id, theoryHours: "1" }))).code,
    ).toBe("NOT_FOUND");
    expect((await refusal(b.director.training.card({ school: b.slug, traineeId: id }))).code).toBe("NOT_FOUND");
    // At the database: the app role scoped to school B sees none of A's rows and can't write one for A's trainee.
    await inScope({ schoolId: b.schoolId }, async (tx) => {
      expect(await tx.priorTraining.count()).toBe(0);
      expect(await tx.examResult.count({ where: { source: "adoption" } })).toBe(0);
    });
    await expect(
      inScope({ schoolId: b.schoolId }, (tx) =>
        tx.priorTraining.create({
          data: { traineeId: id, schoolId: a.schoolId, theoryMinutes: 60, enteredBy: b.userId },
        }),
      ),
    ).rejects.toThrow();
    const stored = await operatorDb().priorTraining.findUniqueOrThrow({ where: { traineeId: id } });
    expect(stored.theoryMinutes).toBe(130 * 60);
    // Only a result entered on adoption can ever be deleted, and only by its own school.
    await a.director.exams.enterResult({ school: a.slug, traineeId: id, kind: "practical", score: 5 });
    expect(
      await inScope({ schoolId: b.schoolId }, (tx) => tx.examResult.deleteMany({ where: { traineeId: id } })),
    ).toEqual({
      count: 0,
    });
    expect(
      await inScope({ schoolId: a.schoolId }, (tx) =>
        tx.examResult.deleteMany({ where: { traineeId: id, source: "staff" } }),
      ),
    ).toEqual({ count: 0 });
    expect(await operatorDb().examResult.count({ where: { traineeId: id } })).toBe(3);
  });

  it("refuses bad figures with a message on the field, in Kazakh and Russian, never a server error", async () => {
    const s = await createSchool();
    const id = await traineeInExams(s);
    const tomorrow = addDays(today(), 1);
    const cases: [Record<string, unknown>, string, string, string][] = [
      [
        { theoryHours: "-5" },
        "theoryHours",
        "Часы — число от 0 до 500, например 40 или 12,5",
        "Сағат — 0-ден 500-ге дейінгі сан, мысалы 40 немесе 12,5",
      ],
      [
        { drivingHours: "501" },
        "drivingHours",
        "Часы — число от 0 до 500, например 40 или 12,5",
        "Сағат — 0-ден 500-ге дейінгі сан, мысалы 40 немесе 12,5",
      ],
      [
        { drivingHours: "сорок" },
        "drivingHours",
        "Часы — число от 0 до 500, например 40 или 12,5",
        "Сағат — 0-ден 500-ге дейінгі сан, мысалы 40 немесе 12,5",
      ],
      [
        { startedOn: tomorrow },
        "startedOn",
        "Дата не может быть позже сегодняшнего дня",
        "Күн бүгіннен кейін бола алмайды",
      ],
      [
        { theoryExamOn: tomorrow },
        "theoryExamOn",
        "Дата не может быть позже сегодняшнего дня",
        "Күн бүгіннен кейін бола алмайды",
      ],
      [
        { startedOn: "2026-05-01", practicalExamOn: "2026-04-01" },
        "practicalExamOn",
        "Экзамен не может быть сдан раньше начала обучения",
        "Емтихан оқу басталғанға дейін тапсырыла алмайды",
      ],
      [
        { startedOn: "1999-12-31" },
        "startedOn",
        "Дата не может быть раньше 01.01.2000",
        "Күн 01.01.2000-нан ерте бола алмайды",
      ],
      [
        { theoryExamOn: "2026-06-01", theoryExamScore: "28" },
        "theoryExamScore",
        "Вносится только сданный экзамен: от 32 до 40 верных ответов. Если баллы не записаны, оставьте поле пустым",
        "Тек тапсырылған емтихан енгізіледі: 32-ден 40-ге дейін дұрыс жауап. Ұпай жазылмаса, өрісті бос қалдырыңыз",
      ],
      [
        { theoryExamScore: "36" },
        "theoryExamOn",
        "Укажите дату сдачи экзамена",
        "Емтихан тапсырылған күнді көрсетіңіз",
      ],
      [
        {},
        "theoryHours",
        "Нечего сохранять: укажите дату начала обучения, часы или сданный экзамен",
        "Сақтайтын ештеңе жоқ: оқу басталған күнді, сағаттарды немесе тапсырылған емтиханды көрсетіңіз",
      ],
    ];
    for (const [input, field, ru, kk] of cases) {
      const call = () => s.director.training.enterPriorTraining({ school: s.slug, traineeId: id, ...input } as never);
      const inRu = await refusal(call(), "ru");
      expect({ input, code: inRu.code, status: inRu.status, error: inRu.fieldErrors?.[field] }).toEqual({
        input,
        code: "BAD_REQUEST",
        status: 400,
        error: ru,
      });
      expect((await refusal(call(), "kk")).fieldErrors?.[field]).toBe(kk);
    }
    expect(await operatorDb().priorTraining.count({ where: { traineeId: id } })).toBe(0);
  });

  it("in the demo, demo-almaty's trainees in exams or graduated were entered on adoption and are eligible", async () => {
    await seedDemo(operatorDb(), { traineesPerSchool: 12 });
    const director = await operatorDb().user.findUniqueOrThrow({ where: { email: "director@almaty.demo.kz" } });
    const registrar = await operatorDb().user.findUniqueOrThrow({ where: { email: "registrar@almaty.demo.kz" } });
    const d = await callerFor(director.id);
    const candidates = await d.exams.issueOptions({ school: "demo-almaty" });
    expect(candidates.length).toBe(4);
    // all but one: the first still owes the last payment, to show what "not eligible" reads like
    expect(candidates.filter((c) => c.eligible)).toHaveLength(3);
    const first = candidates.find((c) => c.eligible)!;
    const card = await d.training.card({ school: "demo-almaty", traineeId: first.id });
    expect(card.prior).toMatchObject({ enteredBy: registrar.fullName, correctedAt: null });
    expect((await d.exams.issue({ school: "demo-almaty", traineeId: first.id })).number).toBe(1);
    // seeding again changes nothing
    await seedDemo(operatorDb(), { traineesPerSchool: 12 });
    expect(await operatorDb().priorTraining.count({ where: { schoolId: demoId("school:demo-almaty") } })).toBe(4);
  });
});
