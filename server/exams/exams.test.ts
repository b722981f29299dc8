import { randomUUID } from "node:crypto";
import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { addMember, createSchool, traineeInput } from "../../tests/factories.ts";
import { addVehicle } from "../../tests/lessons.ts";
import { pdfText, xlsxRows } from "../../tests/documents.ts";

type School = Awaited<ReturnType<typeof createSchool>>;
const today = () => almatyDate(new Date());

/** A trainee in training, with a valid medical certificate and a paid contract. */
async function trainee(s: School, overrides: Record<string, unknown> = {}) {
  const { id } = await s.director.trainees.create({
    school: s.slug,
    ...traineeInput({ lastName: "Жанұзақова", firstName: "Әйгерім", middleName: "Қайратқызы", ...overrides }),
  });
  await operatorDb().trainee.update({
    where: { id },
    data: {
      medicalCertNumber: "083-77",
      medicalCertValidUntil: new Date(`${addDays(today(), 200)}T00:00:00Z`),
      contractPriceTiyn: 180_000_00n,
    },
  });
  // paid in full through the office's own path: eligibility reads the payments (ADR 042)
  await s.director.training.addPayment({ school: s.slug, traineeId: id, amountTiyn: 180_000_00, paidOn: today() });
  await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" });
  await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "training" });
  return id;
}

/** The school's B (manual) programme: 130 theory hours and `drivingHours` of driving. */
async function programmeB(s: School, drivingHours: number) {
  await operatorDb().programme.create({
    data: { id: randomUUID(), schoolId: s.schoolId, category: "B", gearbox: "manual", theoryHours: 130, drivingHours },
  });
}

/** The school's B programme with no driving hours, so certificate tests need only the exams. */
const noDrivingProgramme = (s: School) => programmeB(s, 0);

let theorySlot = 0;
/** Theory attended: past lessons (of a group of its own) at which the trainee was marked present. */
async function attendTheory(s: School, traineeId: string, hours: number) {
  const groupId = randomUUID();
  const slot = ++theorySlot;
  await operatorDb().studyGroup.create({
    data: {
      id: groupId,
      schoolId: s.schoolId,
      number: `T-${slot}-${groupId.slice(0, 6)}`,
      category: "B",
      startsOn: new Date("2026-01-01"),
      endsOn: new Date("2026-12-31"),
    },
  });
  for (let left = hours * 60, i = 0; left > 0; left -= 480, i++) {
    const lessonId = randomUUID();
    const startsAt = new Date(Date.now() - (100 + slot * 40 + i) * 86_400_000);
    await operatorDb().theoryLesson.create({
      data: {
        id: lessonId,
        schoolId: s.schoolId,
        groupId,
        subjectCode: "1",
        teacherId: s.userId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + Math.min(left, 480) * 60_000),
        createdBy: s.userId,
      },
    });
    await operatorDb().theoryAttendance.create({
      data: { id: randomUUID(), schoolId: s.schoolId, lessonId, traineeId, present: true, markedBy: s.userId },
    });
  }
}

/** All theory hours attended, both exams passed and the trainee moved to «exams»: ready for a certificate. */
async function ready(s: School, overrides: Record<string, unknown> = {}) {
  const id = await trainee(s, overrides);
  await attendTheory(s, id, 130);
  await s.director.exams.enterResult({ school: s.slug, traineeId: id, kind: "theory", score: 36 });
  await s.director.exams.enterResult({ school: s.slug, traineeId: id, kind: "practical", score: 10 });
  await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "exams" });
  return id;
}

describe("internal exam results", () => {
  it("numbers attempts per trainee and kind, keeps retakes, and applies the pass rule of each kind", async () => {
    const s = await createSchool();
    const id = await trainee(s);
    const first = await s.director.exams.enterResult({
      school: s.slug,
      traineeId: id,
      kind: "theory",
      score: "28" as unknown as number,
    });
    const second = await s.director.exams.enterResult({ school: s.slug, traineeId: id, kind: "theory", score: 32 });
    const practical = await s.director.exams.enterResult({
      school: s.slug,
      traineeId: id,
      kind: "practical",
      score: 101,
      maxScore: 100,
    });
    const practical2 = await s.director.exams.enterResult({
      school: s.slug,
      traineeId: id,
      kind: "practical",
      score: 60,
      maxScore: "" as unknown as number,
    });
    expect([first, second, practical, practical2].map((r) => [r.attempt, r.score, r.maxScore, r.passed])).toEqual([
      [1, 28, 40, false],
      [2, 32, 40, true],
      [1, 101, 100, false],
      [2, 60, 100, true],
    ]);
    const list = await s.director.exams.results({ school: s.slug, traineeId: id });
    expect(list).toHaveLength(4);
    const tooMany = await s.director.exams
      .enterResult({ school: s.slug, traineeId: id, kind: "theory", score: 41 })
      .catch((e) => e);
    expect(describeError(tooMany, "ru").fieldErrors).toEqual({ score: "Число верных ответов — от 0 до 40" });
  });

  it("stamps the entry with the server's time, whatever the client sends", async () => {
    const s = await createSchool();
    const id = await trainee(s);
    const before = Date.now();
    await s.director.exams.enterResult({
      school: s.slug,
      traineeId: id,
      kind: "theory",
      score: 35,
      enteredAt: "2020-01-01T00:00:00Z",
    } as never);
    const [r] = await s.director.exams.results({ school: s.slug, traineeId: id });
    expect(Math.abs(r!.enteredAt.getTime() - before)).toBeLessThan(60_000);
    const card = await s.director.training.card({ school: s.slug, traineeId: id });
    expect(card.history.at(-1)).toMatchObject({
      kind: "exam.result",
      data: { exam: "theory", attempt: 1, score: 35, passed: true },
    });
  });

  it("a correction keeps the old value, who, when and why, and shows in the trainee's history", async () => {
    const s = await createSchool();
    const id = await trainee(s);
    const { id: resultId } = await s.director.exams.enterResult({
      school: s.slug,
      traineeId: id,
      kind: "theory",
      score: 30,
    });
    const teacher = await addMember(s.schoolId, "teacher");
    const noReason = await teacher.caller.exams
      .correctResult({ school: s.slug, resultId, score: 33, reason: " " })
      .catch((e) => e);
    expect(describeError(noReason, "kk").fieldErrors).toEqual({
      reason: "Түзету себебін көрсетіңіз — ол журналға жазылады",
    });
    await teacher.caller.exams.correctResult({
      school: s.slug,
      resultId,
      score: 33,
      reason: "Бланкіні қайта тексердік",
    });
    const [r] = await s.director.exams.results({ school: s.slug, traineeId: id });
    expect(r).toMatchObject({ score: 33, passed: true, attempt: 1 });
    expect(r!.corrections).toHaveLength(1);
    expect(r!.corrections[0]).toMatchObject({
      by: `teacher ${teacher.email.match(/\d+/)![0]}`,
      reason: "Бланкіні қайта тексердік",
      old: { score: 30, passed: false },
      new: { score: 33, passed: true },
    });
    const card = await s.director.training.card({ school: s.slug, traineeId: id });
    const corrected = card.history.find((h) => h.kind === "exam.corrected");
    expect(corrected).toMatchObject({
      actor: r!.corrections[0]!.by,
      data: { previous: { score: 30, passed: false }, score: 33, reason: "Бланкіні қайта тексердік" },
    });
  });

  it("lets a teacher enter theory only, an instructor practical only, and refuses the inspector", async () => {
    const s = await createSchool();
    const id = await trainee(s);
    const teacher = await addMember(s.schoolId, "teacher");
    const instructor = await addMember(s.schoolId, "instructor");
    const inspector = await addMember(s.schoolId, "inspector");
    await expect(
      teacher.caller.exams.enterResult({ school: s.slug, traineeId: id, kind: "theory", score: 33 }),
    ).resolves.toMatchObject({ attempt: 1 });
    const wrong = await teacher.caller.exams
      .enterResult({ school: s.slug, traineeId: id, kind: "practical", score: 3 })
      .catch((e) => e);
    expect(describeError(wrong, "ru")).toMatchObject({
      status: 403,
      message: "Преподаватель вносит результаты только экзамена по теории, мастер ПОВ — только практического",
    });
    await expect(
      instructor.caller.exams.enterResult({ school: s.slug, traineeId: id, kind: "practical", score: 3 }),
    ).resolves.toMatchObject({ attempt: 1 });
    await expect(
      instructor.caller.exams.enterResult({ school: s.slug, traineeId: id, kind: "theory", score: 33 }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const [any] = await inspector.caller.exams.results({ school: s.slug, traineeId: id });
    for (const call of [
      () => inspector.caller.exams.enterResult({ school: s.slug, traineeId: id, kind: "theory", score: 33 }),
      () => inspector.caller.exams.correctResult({ school: s.slug, resultId: any!.id, score: 1, reason: "x" }),
      () => inspector.caller.exams.issue({ school: s.slug, traineeId: id }),
      () => inspector.caller.exams.cancel({ school: s.slug, id: randomUUID(), reason: "x" }),
    ])
      await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await operatorDb().examResult.count({ where: { traineeId: id } })).toBe(2);
  });
});

describe("eligibility", () => {
  it("lists what is missing for one trainee and for the group, and clears when all is in order", async () => {
    const s = await createSchool();
    await programmeB(s, 2);
    const groupId = randomUUID();
    await operatorDb().studyGroup.create({
      data: {
        id: groupId,
        schoolId: s.schoolId,
        number: "B-12",
        category: "B",
        startsOn: new Date("2026-09-01"),
        endsOn: new Date("2026-12-01"),
      },
    });
    const a = await trainee(s, { lastName: "Аманов" });
    const b = await trainee(s, { lastName: "Бекова" });
    await operatorDb().trainee.updateMany({ where: { id: { in: [a, b] } }, data: { groupId } });
    await operatorDb().trainee.update({
      where: { id: a },
      data: { medicalCertValidUntil: new Date("2026-10-01T00:00:00Z") },
    });
    // 95 000 ₸ of 180 000 ₸ paid: a refund of the rest
    await s.director.training.addPayment({ school: s.slug, traineeId: a, amountTiyn: -85_000_00, paidOn: today() });
    const vehicleId = await addVehicle(s.schoolId, { plate: "001AAA02" });
    const lesson = (traineeId: string, day: number, minutes: number) => ({
      id: randomUUID(),
      schoolId: s.schoolId,
      traineeId,
      instructorId: s.userId,
      vehicleId,
      status: "done" as const,
      bookedBy: s.userId,
      startsAt: new Date(Date.now() - day * 86_400_000),
      endsAt: new Date(Date.now() - day * 86_400_000 + minutes * 60_000),
    });
    await operatorDb().drivingLesson.createMany({ data: [lesson(a, 3, 90), lesson(b, 4, 120)] });
    await s.director.exams.enterResult({ school: s.slug, traineeId: a, kind: "theory", score: 20 });
    for (const [kind, score] of [
      ["theory", 38],
      ["practical", 0],
    ] as const)
      await s.director.exams.enterResult({ school: s.slug, traineeId: b, kind, score });
    await attendTheory(s, a, 36);
    await attendTheory(s, b, 130);

    const one = await s.director.exams.eligibility({ school: s.slug, traineeId: a });
    expect(one.eligible).toBe(false);
    expect(one.reasons.map((r) => r.code)).toEqual([
      "theoryHours",
      "driving",
      "theoryExamFailed",
      "practicalExamMissing",
      "medicalExpired",
      "balance",
    ]);
    expect(one.reasons.find((r) => r.code === "driving")!.params).toEqual({ done: "1,5", required: "2" });
    expect(one.reasons.find((r) => r.code === "theoryHours")!.params).toEqual({ done: "36", required: "130" });
    expect(one.reasons.find((r) => r.code === "balance")!.params.amount).toBe("85\u00a0000,00\u00a0₸");
    expect(one.reasons.find((r) => r.code === "medicalExpired")!.params.date).toBe("01.10.2026");

    const group = await s.director.exams.groupEligibility({ school: s.slug, groupId });
    expect(group.rows.map((r) => [r.lastName, r.eligible])).toEqual([
      ["Аманов", false],
      ["Бекова", true],
    ]);
    expect({ eligible: group.eligibleCount, total: group.total }).toEqual({ eligible: 1, total: 2 });
    const inspector = await addMember(s.schoolId, "inspector");
    await expect(inspector.caller.exams.groupEligibility({ school: s.slug })).resolves.toMatchObject({
      eligibleCount: 1,
      total: 2,
    });
  });
});

describe("certificates", () => {
  it("numbers ten certificates issued at the same instant 1…10 with no gap and no duplicate", async () => {
    const s = await createSchool();
    await noDrivingProgramme(s);
    const registrar = await addMember(s.schoolId, "registrar");
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await ready(s, { lastName: `Оқушы${i}` }));
    const issued = await Promise.all(
      ids.map((traineeId, i) => (i % 2 ? registrar.caller : s.director).exams.issue({ school: s.slug, traineeId })),
    );
    expect(issued.map((c) => c.number).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const year = new Date(Date.now() + 5 * 3600_000).getUTCFullYear();
    expect(issued.find((c) => c.number === 7)!.displayNumber).toBe(`А-${year}-000007`);
    // issuing graduated the trainees
    expect(await operatorDb().trainee.count({ where: { id: { in: ids }, status: "graduated" } })).toBe(10);
    // the register lists them all; journal has one entry each
    expect(await s.director.exams.certificates({ school: s.slug, status: "active" })).toHaveLength(10);
    expect(await operatorDb().journalEntry.count({ where: { schoolId: s.schoolId, kind: "certificate.issued" } })).toBe(
      10,
    );
  });

  it("gives only eligible trainees in «exams» or «graduated» a certificate, one active per category", async () => {
    const s = await createSchool();
    await noDrivingProgramme(s);
    const inTraining = await trainee(s, { lastName: "Серікұлы" });
    const early = await s.director.exams.issue({ school: s.slug, traineeId: inTraining }).catch((e) => e);
    expect(describeError(early, "ru").fieldErrors).toEqual({
      traineeId:
        "Серікұлы Әйгерім: свидетельство выдаётся только курсанту в статусе «Экзамены» или «Выпущен» (сейчас — «Обучается»)",
    });

    const notReady = await trainee(s, { lastName: "Төлеуов" });
    await s.director.exams.enterResult({ school: s.slug, traineeId: notReady, kind: "theory", score: 12 });
    await s.director.training.changeStatus({ school: s.slug, traineeId: notReady, to: "exams" });
    await s.director.training.addPayment({
      school: s.slug,
      traineeId: notReady,
      amountTiyn: -80_000_00,
      paidOn: today(),
    });
    const refused = await s.director.exams.issue({ school: s.slug, traineeId: notReady }).catch((e) => e);
    expect(describeError(refused, "ru").message).toBe(
      "Төлеуов Әйгерім не допущен(а) к государственному экзамену: теория 0 из 130 ч; внутренний экзамен по теории не сдан (попытка 1: 12 из 40); внутренний экзамен по вождению не сдавался; долг по договору 80\u00a0000,00\u00a0₸",
    );
    expect(await operatorDb().certificate.count({ where: { schoolId: s.schoolId } })).toBe(0);

    const ok = await ready(s);
    const cert = await s.director.exams.issue({ school: s.slug, traineeId: ok });
    const again = await s.director.exams.issue({ school: s.slug, traineeId: ok }).catch((e) => e);
    expect(describeError(again, "kk")).toMatchObject({
      status: 409,
      message: `Жанұзақова Әйгерім оқушысына B санаты бойынша № ${cert.displayNumber} куәлік берілген. Жаңасын беру үшін алдымен оның күшін жойыңыз`,
    });
    // the refused attempts used no numbers
    expect(cert.number).toBe(1);
  });

  it("a cancelled certificate keeps its number and reason; the re-issue gets the next number", async () => {
    const s = await createSchool();
    await noDrivingProgramme(s);
    const id = await ready(s);
    const first = await s.director.exams.issue({ school: s.slug, traineeId: id });
    const noReason = await s.director.exams.cancel({ school: s.slug, id: first.id, reason: "" }).catch((e) => e);
    expect(describeError(noReason, "ru").fieldErrors).toEqual({ reason: "Укажите причину аннулирования" });
    await s.director.exams.cancel({ school: s.slug, id: first.id, reason: "Ошибка в отчестве" });
    const twice = await s.director.exams.cancel({ school: s.slug, id: first.id, reason: "ещё раз" }).catch((e) => e);
    expect(describeError(twice, "ru").message).toBe("Это свидетельство уже аннулировано");
    const second = await s.director.exams.issue({ school: s.slug, traineeId: id });
    expect([first.number, second.number]).toEqual([1, 2]);
    const cancelled = await s.director.exams.certificates({ school: s.slug, status: "cancelled" });
    expect(cancelled.map((c) => [c.number, c.cancelReason])).toEqual([[1, "Ошибка в отчестве"]]);
    const card = await s.director.training.card({ school: s.slug, traineeId: id });
    expect(card.history.filter((h) => h.kind.startsWith("certificate.")).map((h) => h.kind)).toEqual([
      "certificate.issued",
      "certificate.cancelled",
      "certificate.issued",
    ]);
  });

  it("exports the register as XLSX with headers in the user's language", async () => {
    const s = await createSchool();
    await noDrivingProgramme(s);
    const a = await ready(s, { lastName: "Әбдіхалықов", firstName: "Нұрлан", middleName: null });
    const b = await ready(s, { lastName: "Ғабитова", firstName: "Үміт", middleName: null });
    const ca = await s.director.exams.issue({ school: s.slug, traineeId: a });
    const cb = await s.director.exams.issue({ school: s.slug, traineeId: b });
    await s.director.exams.cancel({ school: s.slug, id: ca.id, reason: "Утеряно, выдан дубликат" });
    const iin = (await operatorDb().trainee.findUniqueOrThrow({ where: { id: a } })).iin;
    const file = await s.director.exams.registerXlsx({ school: s.slug });
    expect(file.fileName).toMatch(/\.xlsx$/);
    const sheets = await xlsxRows(Buffer.from(file.base64, "base64"));
    const rows = sheets["Реестр свидетельств"]!;
    expect(rows[0]).toEqual([
      "Номер",
      "Дата выдачи",
      "ФИО курсанта",
      "ИИН",
      "Категория",
      "Статус",
      "Причина аннулирования",
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[3], r[4], r[5], r[6] ?? ""])).toEqual([
      [ca.displayNumber, "Әбдіхалықов Нұрлан", iin, "B", "Аннулировано", "Утеряно, выдан дубликат"],
      [cb.displayNumber, "Ғабитова Үміт", expect.stringMatching(/^\d{12}$/), "B", "Действует", ""],
    ]);
    expect(rows[1]![1]).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
    const kk = await callerKk(s);
    const kkRows = (
      await xlsxRows(Buffer.from((await kk.exams.registerXlsx({ school: s.slug, status: "active" })).base64, "base64"))
    )["Куәліктер тізілімі"]!;
    expect(kkRows[0]![2]).toBe("Оқушының аты-жөні");
    expect(kkRows).toHaveLength(2);
  });

  it("prints the certificate as a PDF with the Kazakh name, IIN and number", async () => {
    const s = await createSchool();
    await noDrivingProgramme(s);
    const id = await ready(s, { lastName: "Құрманғазы", firstName: "Әсел", middleName: "Өмірзаққызы" });
    const cert = await s.director.exams.issue({ school: s.slug, traineeId: id });
    const iin = (await operatorDb().trainee.findUniqueOrThrow({ where: { id } })).iin;
    const ru = await pdfText(
      Buffer.from((await s.director.exams.certificatePdf({ school: s.slug, id: cert.id })).base64, "base64"),
    );
    expect(ru).toContain("СВИДЕТЕЛЬСТВО");
    expect(ru).toContain(`№ ${cert.displayNumber}`);
    expect(ru).toContain("Құрманғазы Әсел Өмірзаққызы");
    expect(ru).toContain(`ИИН ${iin}`);
    expect(ru).toContain("теория 130 ч, вождение 0 ч");
    const school = await operatorDb().school.findUniqueOrThrow({ where: { id: s.schoolId } });
    expect(ru).toContain(school.directorName);
    const kk = await pdfText(
      Buffer.from((await (await callerKk(s)).exams.certificatePdf({ school: s.slug, id: cert.id })).base64, "base64"),
    );
    expect(kk).toContain("КУӘЛІК");
    expect(kk).toContain(`ЖСН ${iin}`);
  });

  it("school B can't read, print or cancel school A's certificate by its id", async () => {
    const a = await createSchool();
    const b = await createSchool();
    await noDrivingProgramme(a);
    const cert = await a.director.exams.issue({ school: a.slug, traineeId: await ready(a) });
    await expect(b.director.exams.certificate({ school: b.slug, id: cert.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(b.director.exams.certificatePdf({ school: b.slug, id: cert.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(b.director.exams.cancel({ school: b.slug, id: cert.id, reason: "x" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(b.director.exams.certificate({ school: a.slug, id: cert.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await a.director.exams.certificate({ school: a.slug, id: cert.id })).cancelledAt).toBeNull();
  });
});

/** The director of `s` with Kazakh as their language. */
async function callerKk(s: School) {
  await operatorDb().user.update({ where: { id: s.userId }, data: { locale: "kk" } });
  const { callerFor } = await import("../../tests/factories.ts");
  const c = await callerFor(s.userId);
  await operatorDb().user.update({ where: { id: s.userId }, data: { locale: "ru" } });
  return c;
}
