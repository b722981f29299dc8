import { randomUUID } from "node:crypto";
import pg from "pg";
import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { almatyDate, almatyTime } from "../../domain/kz/time.ts";
import { formatDate } from "../../domain/i18n/index.ts";
import { addMember, createSchool, traineeInput } from "../../tests/factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "../../tests/lessons.ts";
import { testState } from "../../tests/state.ts";

type School = Awaited<ReturnType<typeof createSchool>>;

/** A trainee in training, an instructor licensed for B, and a manual B car — the usual lesson setup. */
async function setup(s: School, opts: { gearbox?: "manual" | "automatic" } = {}) {
  const { id: traineeId } = await s.director.trainees.create({
    school: s.slug,
    ...traineeInput({ lastName: "Жанұзақов", firstName: "Әли" }),
  });
  await operatorDb().trainee.update({ where: { id: traineeId }, data: { gearbox: opts.gearbox ?? "manual" } });
  await s.director.training.changeStatus({ school: s.slug, traineeId, to: "enrolled" });
  const instructor = await addInstructor(s.schoolId, { fullName: "Мастер Қайратов", licenceCategories: ["B", "BE"] });
  const vehicleId = await addVehicle(s.schoolId, { plate: "123ABC02", makeModel: "Chevrolet Cobalt" });
  return { traineeId, instructor, vehicleId };
}

type Booking = { traineeId: string; instructorId: string; vehicleId: string; date: string };

/** The booking form of school `s`: who, with whom, in which car, on which day; then the time and length. */
const lesson = (s: School, b: Booking, time: string, minutes: number) => ({ school: s.slug, ...b, time, minutes });

const tomorrow = () => almatyDate(new Date(Date.now() + 86_400_000));
/** `2026-12-07` as people read it: `07.12.2026`. */
const dmy = (iso: string) => iso.split("-").reverse().join(".");

describe("the trainee's status", () => {
  it("moves applicant → enrolled → training → exams → graduated, each step dated by the server and journaled", async () => {
    const s = await createSchool();
    const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    for (const to of ["enrolled", "training", "exams", "graduated"] as const)
      await s.director.training.changeStatus({ school: s.slug, traineeId: id, to });
    const card = await s.director.training.card({ school: s.slug, traineeId: id });
    expect(card.status).toBe("graduated");
    expect(card.statusChanges.map((c) => [c.fromStatus, c.toStatus])).toEqual([
      ["applicant", "enrolled"],
      ["enrolled", "training"],
      ["training", "exams"],
      ["exams", "graduated"],
    ]);
    expect(Math.abs(card.enrolledAt!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(card.history.map((h) => h.kind)).toEqual([
      "trainee.enrolled",
      "trainee.status_changed",
      "trainee.status_changed",
      "trainee.status_changed",
    ]);
    const director = await operatorDb().user.findUniqueOrThrow({ where: { id: s.userId } });
    expect(card.history.every((h) => h.actor === director.fullName)).toBe(true);
  });

  it("refuses a step the path doesn't allow, and asks why for anything but the next step", async () => {
    const s = await createSchool();
    const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    const jump = await s.director.training
      .changeStatus({ school: s.slug, traineeId: id, to: "graduated" })
      .catch((e) => e);
    expect(describeError(jump, "ru").fieldErrors).toEqual({
      to: "Нельзя перевести курсанта из статуса «Заявитель» в «Выпущен»",
    });
    const noReason = await s.director.training
      .changeStatus({ school: s.slug, traineeId: id, to: "expelled" })
      .catch((e) => e);
    expect(describeError(noReason, "kk").fieldErrors).toEqual({ reason: "Себебін көрсетіңіз" });
    await s.director.training.changeStatus({
      school: s.slug,
      traineeId: id,
      to: "expelled",
      reason: "Өз өтініші бойынша",
    });
    const card = await s.director.training.card({ school: s.slug, traineeId: id });
    expect(card.statusChanges.at(-1)).toMatchObject({ toStatus: "expelled", reason: "Өз өтініші бойынша" });
  });

  it("an inspector can look but not change", async () => {
    const s = await createSchool();
    const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    const inspector = await addMember(s.schoolId, "inspector");
    await expect(inspector.caller.training.card({ school: s.slug, traineeId: id })).resolves.toMatchObject({
      status: "applicant",
    });
    await expect(
      inspector.caller.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      inspector.caller.training.addPayment({ school: s.slug, traineeId: id, amountTiyn: 100, paidOn: "2026-01-01" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("the contract balance", () => {
  it("adds payments up against the price and refuses a payment dated in the future", async () => {
    const s = await createSchool();
    const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    await operatorDb().trainee.update({ where: { id }, data: { contractPriceTiyn: 250_000_00n } });
    await s.director.training.addPayment({
      school: s.slug,
      traineeId: id,
      amountTiyn: 100_000_00,
      paidOn: "2026-11-01",
    });
    await s.director.training.addPayment({
      school: s.slug,
      traineeId: id,
      amountTiyn: 50_000_00,
      paidOn: "2026-11-20",
      note: "Kaspi",
    });
    const card = await s.director.training.card({ school: s.slug, traineeId: id });
    expect({ paid: card.paidTiyn, balance: card.balanceTiyn }).toEqual({ paid: 150_000_00, balance: 100_000_00 });
    const future = await s.director.training
      .addPayment({ school: s.slug, traineeId: id, amountTiyn: 1, paidOn: "2099-01-01" })
      .catch((e) => e);
    expect(describeError(future, "ru").fieldErrors).toEqual({ paidOn: "Дата оплаты не может быть в будущем" });
  });
});

describe("a payment's form sent twice", () => {
  it("records the payment once, one after the other or both at once, and says the second was already in", async () => {
    const s = await createSchool();
    const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    await operatorDb().trainee.update({ where: { id }, data: { contractPriceTiyn: 250_000_00n } });
    const pay = (submissionKey: string, amountTiyn = 30_000_00) =>
      s.director.training.addPayment({
        school: s.slug,
        traineeId: id,
        amountTiyn,
        paidOn: "2026-11-20",
        submissionKey,
      });

    // A second tap after the first was answered.
    const key = randomUUID();
    expect(await pay(key)).toMatchObject({ repeated: false });
    expect(await pay(key)).toMatchObject({ repeated: true });
    // Two taps at once: one records it; the other finds it in, or is told it was (a conflict, in words).
    const both = randomUUID();
    const answers = await Promise.allSettled([pay(both), pay(both)]);
    expect(answers.filter((a) => a.status === "fulfilled" && !a.value.repeated)).toHaveLength(1);
    for (const a of answers)
      if (a.status === "rejected")
        expect(describeError(a.reason, "ru").message).toBe(
          "Этот платёж уже внесён: форма отправлена дважды. Проверьте список платежей",
        );
    // Another form (another key) is another payment, and a correction with a minus takes one back.
    await pay(randomUUID());
    await pay(randomUUID(), -30_000_00);

    const card = await s.director.training.card({ school: s.slug, traineeId: id });
    expect(card.payments?.map((p) => p.amountTiyn)).toHaveLength(4);
    expect({ paid: card.paidTiyn, balance: card.balanceTiyn }).toEqual({ paid: 60_000_00, balance: 190_000_00 });
  });
});

describe("booking driving lessons", () => {
  it("books a lesson that fits, and refuses a double booking of the instructor, the trainee or the car, naming the clash", async () => {
    const s = await createSchool();
    const { traineeId, instructor, vehicleId } = await setup(s);
    const date = tomorrow();
    await s.director.training.bookLesson(
      lesson(s, { traineeId, instructorId: instructor.userId, vehicleId, date }, "10:00", 90),
    );

    // another trainee, same instructor, overlapping
    const other = await enrolledTrainee(s, { lastName: "Омаров" });
    const car2 = await addVehicle(s.schoolId, { plate: "777KZ02" });
    const busyInstructor = await s.director.training
      .bookLesson(lesson(s, { traineeId: other, instructorId: instructor.userId, vehicleId: car2, date }, "11:00", 60))
      .catch((e) => e);
    expect(describeError(busyInstructor, "ru")).toMatchObject({
      status: 409,
      fieldErrors: { instructorId: `Мастер Мастер Қайратов уже занят ${dmy(date)} с 10:00 до 11:30` },
    });

    // same car, another instructor
    const instructor2 = await addInstructor(s.schoolId);
    const busyCar = await s.director.training
      .bookLesson(lesson(s, { traineeId: other, instructorId: instructor2.userId, vehicleId, date }, "11:15", 60))
      .catch((e) => e);
    expect(describeError(busyCar, "kk").fieldErrors).toEqual({
      vehicleId: `123ABC02 көлігі ${dmy(date)} күні 10:00–11:30 аралығында бос емес`,
    });

    // same trainee, another instructor and car
    const busyTrainee = await s.director.training
      .bookLesson(lesson(s, { traineeId, instructorId: instructor2.userId, vehicleId: car2, date }, "09:00", 90))
      .catch((e) => e);
    expect(describeError(busyTrainee, "ru").fieldErrors?.traineeId).toMatch(/^Курсант Жанұзақов Әли уже записан/);

    // back to back is fine
    await expect(
      s.director.training.bookLesson(
        lesson(s, { traineeId: other, instructorId: instructor.userId, vehicleId: car2, date }, "11:30", 60),
      ),
    ).resolves.toHaveProperty("id");
    expect(await operatorDb().drivingLesson.count({ where: { schoolId: s.schoolId } })).toBe(2);
  });

  it("lets exactly one of two registrars booking the same slot at the same moment win", async () => {
    const s = await createSchool();
    const { traineeId, instructor, vehicleId } = await setup(s);
    const registrar = await addMember(s.schoolId, "registrar");
    const second = await enrolledTrainee(s);
    const date = tomorrow();
    const results = await Promise.allSettled([
      s.director.training.bookLesson(
        lesson(s, { traineeId, instructorId: instructor.userId, vehicleId, date }, "15:00", 60),
      ),
      registrar.caller.training.bookLesson(
        lesson(s, { traineeId: second, instructorId: instructor.userId, vehicleId, date }, "15:30", 60),
      ),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason.code).toBe("CONFLICT");
    expect(await operatorDb().drivingLesson.count({ where: { schoolId: s.schoolId } })).toBe(1);
  });

  it("checks that the instructor and the car fit the trainee", async () => {
    const s = await createSchool();
    const { traineeId, instructor, vehicleId } = await setup(s, { gearbox: "automatic" });
    const date = tomorrow();
    const book = (on: string) =>
      s.director.training
        .bookLesson(lesson(s, { traineeId, instructorId: instructor.userId, vehicleId, date: on }, "10:00", 60))
        .catch((e) => e);
    const gearbox = await book(date);
    expect(describeError(gearbox, "ru").fieldErrors).toEqual({
      vehicleId: "Коробка передач автомобиля 123ABC02 не совпадает с выбранной курсантом",
    });

    await operatorDb().trainee.update({ where: { id: traineeId }, data: { gearbox: "manual", category: "C" } });
    const category = await book(date);
    expect(describeError(category, "ru").fieldErrors).toEqual({
      instructorId: "У мастера Мастер Қайратов нет категории C в профиле",
    });

    await operatorDb().trainee.update({ where: { id: traineeId }, data: { category: "B" } });
    await operatorDb().vehicle.update({
      where: { id: vehicleId },
      data: { insuranceValidUntil: new Date("2026-01-31T00:00:00Z") },
    });
    const insurance = await book(date);
    expect(describeError(insurance, "ru").fieldErrors).toEqual({
      vehicleId: "Страховка автомобиля 123ABC02 истекла 31.01.2026",
    });

    const past = await book("2026-01-05");
    expect(describeError(past, "ru").fieldErrors).toEqual({ time: "Нельзя записать на занятие в прошлом" });
    expect(await operatorDb().drivingLesson.count({ where: { schoolId: s.schoolId } })).toBe(0);
  });

  it("refuses a lesson that runs past midnight in Almaty; one that ends at midnight is fine", async () => {
    const s = await createSchool();
    const { traineeId, instructor, vehicleId } = await setup(s);
    const b = { traineeId, instructorId: instructor.userId, vehicleId, date: tomorrow() };
    const late = await s.director.training.bookLesson(lesson(s, b, "23:00", 90)).catch((e) => e);
    expect(describeError(late, "ru").fieldErrors).toEqual({
      time: "Занятие должно закончиться в тот же день: с 23:00 на 90 мин — это уже после полуночи",
    });
    expect(describeError(late, "kk").fieldErrors).toEqual({
      time: "Сабақ сол күні аяқталуы керек: басталуы 23:00, ұзақтығы 90 мин — түн ортасынан асып кетеді",
    });
    expect(await operatorDb().drivingLesson.count({ where: { schoolId: s.schoolId } })).toBe(0);
    await expect(s.director.training.bookLesson(lesson(s, b, "22:30", 90))).resolves.toHaveProperty("id");
  });

  it("names the reason a booking does not fit, with its details, on the field to change", async () => {
    const s = await createSchool();
    const { traineeId, instructor, vehicleId } = await setup(s);
    const date = tomorrow();
    const book = (over: { instructorId?: string; vehicleId?: string } = {}) =>
      s.director.training
        .bookLesson(lesson(s, { traineeId, instructorId: instructor.userId, vehicleId, date, ...over }, "10:00", 60))
        .catch(({ cause: e }) => ({ code: e.code, messageKey: e.messageKey, params: e.params, field: e.field }));
    const refusal = (messageKey: string, params: Record<string, string>, field: string) => ({
      code: "BAD_REQUEST",
      messageKey,
      params,
      field,
    });
    const lapsed = new Date("2026-01-31T00:00:00Z");

    await operatorDb().trainee.update({ where: { id: traineeId }, data: { status: "exams" } });
    expect(await book()).toEqual(refusal("training.traineeNotInTraining", { name: "Жанұзақов Әли" }, "traineeId"));
    await operatorDb().trainee.update({ where: { id: traineeId }, data: { status: "training" } });

    const teacher = await addMember(s.schoolId, "teacher");
    expect(await book({ instructorId: teacher.userId })).toEqual(refusal("training.notInstructor", {}, "instructorId"));
    await operatorDb().staffProfile.update({
      where: { schoolId_userId: { schoolId: s.schoolId, userId: instructor.userId } },
      data: { instructorCertValidUntil: lapsed },
    });
    expect(await book()).toEqual(
      refusal("training.instructorCertExpired", { name: "Мастер Қайратов", date: "31.01.2026" }, "instructorId"),
    );
    await operatorDb().staffProfile.update({
      where: { schoolId_userId: { schoolId: s.schoolId, userId: instructor.userId } },
      data: { instructorCertValidUntil: null },
    });

    expect(await book({ vehicleId: randomUUID() })).toEqual(refusal("training.vehicleUnavailable", {}, "vehicleId"));
    await operatorDb().vehicle.update({ where: { id: vehicleId }, data: { active: false } });
    expect(await book()).toEqual(refusal("training.vehicleUnavailable", {}, "vehicleId"));
    await operatorDb().vehicle.update({ where: { id: vehicleId }, data: { active: true, category: "C" } });
    expect(await book()).toEqual(
      refusal("training.vehicleCategory", { plate: "123ABC02", category: "B" }, "vehicleId"),
    );
    await operatorDb().vehicle.update({
      where: { id: vehicleId },
      data: { category: "B", inspectionValidUntil: lapsed },
    });
    expect(await book()).toEqual(
      refusal("training.vehicleInspection", { plate: "123ABC02", date: "31.01.2026" }, "vehicleId"),
    );
    expect(await operatorDb().drivingLesson.count({ where: { schoolId: s.schoolId } })).toBe(0);
  });

  it("an instructor working for two schools can't be booked in both at once", async () => {
    const a = await createSchool();
    const b = await createSchool();
    const inA = await setup(a);
    await operatorDb().membership.create({
      data: { id: randomUUID(), schoolId: b.schoolId, userId: inA.instructor.userId, role: "instructor" },
    });
    await operatorDb().staffProfile.create({
      data: { schoolId: b.schoolId, userId: inA.instructor.userId, licenceCategories: ["B"] },
    });
    const bTrainee = await enrolledTrainee(b);
    const bCar = await addVehicle(b.schoolId, { plate: "001AAA01", makeModel: "Lada Vesta" });
    const date = tomorrow();
    const instructorId = inA.instructor.userId;
    await a.director.training.bookLesson(
      lesson(a, { traineeId: inA.traineeId, instructorId, vehicleId: inA.vehicleId, date }, "12:00", 60),
    );
    const err = await b.director.training
      .bookLesson(lesson(b, { traineeId: bTrainee, instructorId, vehicleId: bCar, date }, "12:30", 60))
      .catch((e) => e);
    // school B learns that the instructor is busy, not where or with whom
    expect(describeError(err, "ru").fieldErrors).toEqual({
      instructorId: "Мастер Мастер Қайратов в это время занят в другой автошколе",
    });
  });
});

describe("marking lessons", () => {
  async function pastLesson(
    s: School,
    traineeId: string,
    instructorId: string,
    vehicleId: string,
    hoursAgo: number,
    minutes = 90,
  ) {
    const id = randomUUID();
    const startsAt = new Date(Date.now() - hoursAgo * 3600_000);
    await operatorDb().drivingLesson.create({
      data: {
        id,
        schoolId: s.schoolId,
        traineeId,
        instructorId,
        vehicleId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + minutes * 60_000),
        bookedBy: s.userId,
      },
    });
    return id;
  }

  it("the instructor marks their lesson done; done hours count against the programme", async () => {
    const s = await createSchool();
    const { traineeId, instructor, vehicleId } = await setup(s);
    const lessonId = await pastLesson(s, traineeId, instructor.userId, vehicleId, 3);
    await instructor.caller.training.markLesson({ school: s.slug, lessonId, status: "done", note: "Паркинг жақсы" });
    const card = await s.director.training.card({ school: s.slug, traineeId });
    expect(card.progress).toEqual({
      doneMinutes: 90,
      priorMinutes: 0,
      priorTheoryMinutes: 0,
      requiredMinutes: 58 * 60,
      theoryHours: 130,
    });
    expect(card.history.at(-1)).toMatchObject({
      kind: "lesson.marked",
      data: { status: "done", minutes: 90, note: "Паркинг жақсы" },
    });
  });

  it("a lesson is marked only once it has ended, and another instructor can't mark it", async () => {
    const s = await createSchool();
    const { traineeId, instructor, vehicleId } = await setup(s);
    const { id } = await s.director.training.bookLesson({
      school: s.slug,
      traineeId,
      instructorId: instructor.userId,
      vehicleId,
      date: tomorrow(),
      time: "10:00",
      minutes: 60,
    });
    const early = await instructor.caller.training
      .markLesson({ school: s.slug, lessonId: id, status: "done" })
      .catch((e) => e);
    expect(describeError(early, "ru").message).toBe(
      `Отметить занятие можно только после его окончания (${dmy(tomorrow())} 11:00)`,
    );
    // Under way: a 30-minute lesson that began a minute ago is not "done" yet, in either language.
    const running = await pastLesson(s, traineeId, instructor.userId, vehicleId, 1 / 60, 30);
    const { endsAt: ends } = await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id: running } });
    const endsAt = `${formatDate(ends)} ${almatyTime(ends)}`;
    const soon = await instructor.caller.training
      .markLesson({ school: s.slug, lessonId: running, status: "done" })
      .catch((e) => e);
    expect(describeError(soon, "kk").message).toBe(`Сабақты ол аяқталғаннан кейін ғана белгілеуге болады (${endsAt})`);
    const missed = await s.director.training
      .markLesson({ school: s.slug, lessonId: running, status: "missed" })
      .catch((e) => e);
    expect(describeError(missed, "ru").message).toBe(`Отметить занятие можно только после его окончания (${endsAt})`);
    expect(await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id: running } })).toMatchObject({
      status: "booked",
      markedAt: null,
    });
    const stranger = await addMember(s.schoolId, "instructor");
    const past = await pastLesson(s, traineeId, instructor.userId, vehicleId, 30);
    await expect(
      stranger.caller.training.markLesson({ school: s.slug, lessonId: past, status: "done" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("a cancellation needs a reason from the list; the lesson and its history keep it, the trainee's notice says it", async () => {
    const s = await createSchool();
    const { traineeId, instructor, vehicleId } = await setup(s);
    await operatorDb().trainee.update({ where: { id: traineeId }, data: { phone: "+77015550101", email: null } });
    const date = tomorrow();
    const { id } = await s.director.training.bookLesson(
      lesson(s, { traineeId, instructorId: instructor.userId, vehicleId, date }, "10:00", 90),
    );
    const bare = await s.director.training.cancelLesson({ school: s.slug, lessonId: id } as never).catch((e) => e);
    expect(describeError(bare, "ru").fieldErrors).toEqual({ reason: "Выберите причину отмены" });
    const made = await s.director.training
      .cancelLesson({ school: s.slug, lessonId: id, reason: "машина сломалась" } as never)
      .catch((e) => e);
    expect(describeError(made, "kk").fieldErrors).toEqual({ reason: "Болдырмау себебін таңдаңыз" });
    expect((await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id } })).status).toBe("booked");

    // The instructor cancels their own lesson (the trainee's notice goes out in the instructor's language here).
    await instructor.caller.training.cancelLesson({
      school: s.slug,
      lessonId: id,
      reason: "vehicle_unavailable",
      note: "  Тежегіш ақаулы  ",
    });
    expect(await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "cancelled",
      cancelReason: "vehicle_unavailable",
      cancelNote: "Тежегіш ақаулы",
    });
    const card = await s.director.training.card({ school: s.slug, traineeId });
    expect(card.history.at(-1)).toMatchObject({
      kind: "lesson.cancelled",
      actor: "Мастер Қайратов",
      data: { lessonId: id, cancelReason: "vehicle_unavailable", note: "Тежегіш ақаулы" },
    });
    const sms = await operatorDb().outboxEvent.findUniqueOrThrow({ where: { jobId: `lesson.cancelled.${id}.sms` } });
    expect(sms.payload).toEqual({
      to: "+77015550101",
      text: expect.stringMatching(new RegExp(`${dmy(date)} 10:00–11:30 жүргізу БОЛДЫРЫЛМАДЫ: көлік жоқ\\.`)),
    });
    const again = await s.director.training
      .cancelLesson({ school: s.slug, lessonId: id, reason: "other" })
      .catch((e) => e);
    expect(describeError(again, "ru").message).toBe("Отменить можно только запланированное занятие");
  });

  it("changing a mark is a correction: it needs a reason and keeps the old value in the history", async () => {
    const s = await createSchool();
    const { traineeId, instructor, vehicleId } = await setup(s);
    const lessonId = await pastLesson(s, traineeId, instructor.userId, vehicleId, 5, 60);
    await instructor.caller.training.markLesson({ school: s.slug, lessonId, status: "missed" });
    const noReason = await instructor.caller.training
      .markLesson({ school: s.slug, lessonId, status: "done" })
      .catch((e) => e);
    expect(describeError(noReason, "ru").fieldErrors).toEqual({
      reason: "Занятие уже отмечено: чтобы исправить отметку, укажите причину",
    });
    await s.director.training.markLesson({ school: s.slug, lessonId, status: "done", reason: "Мастер ошибся строкой" });
    const card = await s.director.training.card({ school: s.slug, traineeId });
    const correction = card.history.find((h) => h.kind === "lesson.corrected");
    expect(correction?.data).toMatchObject({
      status: "done",
      previous: { status: "missed" },
      reason: "Мастер ошибся строкой",
    });
    expect(card.progress.doneMinutes).toBe(60);
  });
});

describe("the journal", () => {
  it("stays one unbroken, gap-free chain under concurrent writes, and the inspector's check says so", async () => {
    const s = await createSchool();
    const ids = await Promise.all(
      Array.from({ length: 8 }, () =>
        s.director.trainees.create({ school: s.slug, ...traineeInput() }).then((r) => r.id),
      ),
    );
    const registrar = await addMember(s.schoolId, "registrar");
    await Promise.all(
      ids.map((id, i) =>
        (i % 2 ? registrar.caller : s.director).training.changeStatus({
          school: s.slug,
          traineeId: id,
          to: "enrolled",
        }),
      ),
    );
    const entries = await operatorDb().journalEntry.findMany({
      where: { schoolId: s.schoolId },
      orderBy: { seq: "asc" },
    });
    expect(entries.map((e) => Number(e.seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const inspector = await addMember(s.schoolId, "inspector");
    await expect(inspector.caller.training.journalCheck({ school: s.slug })).resolves.toMatchObject({
      intact: true,
      entries: 8,
    });
  });

  it("notices an entry changed or removed behind the application's back", async () => {
    const s = await createSchool();
    for (let i = 0; i < 3; i++) {
      const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
      await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" });
    }
    const owner = new pg.Client({ connectionString: testState.databaseUrl });
    await owner.connect();
    try {
      // The database's owner back-dates entry 2: as the table's owner it can lift FORCE RLS and switch the
      // append-only trigger off (a managed service's owner can do no more; nobody else can do that much).
      await owner.query("ALTER TABLE journal_entry NO FORCE ROW LEVEL SECURITY");
      await owner.query("ALTER TABLE journal_entry DISABLE TRIGGER journal_entry_append_only");
      await owner.query("UPDATE journal_entry SET at = at - interval '30 days' WHERE school_id = $1 AND seq = 2", [
        s.schoolId,
      ]);
      await expect(s.director.training.journalCheck({ school: s.slug })).resolves.toEqual({
        intact: false,
        entries: 1,
        brokenAt: 2,
        reason: "hash_mismatch",
      });
      await owner.query("UPDATE journal_entry SET at = at + interval '30 days' WHERE school_id = $1 AND seq = 2", [
        s.schoolId,
      ]);
      await expect(s.director.training.journalCheck({ school: s.slug })).resolves.toMatchObject({
        intact: true,
        entries: 3,
      });
      await owner.query("DELETE FROM journal_entry WHERE school_id = $1 AND seq = 3", [s.schoolId]);
      await expect(s.director.training.journalCheck({ school: s.slug })).resolves.toMatchObject({
        intact: false,
        reason: "head_mismatch",
      });
    } finally {
      await owner.query("ALTER TABLE journal_entry ENABLE TRIGGER journal_entry_append_only");
      await owner.query("ALTER TABLE journal_entry FORCE ROW LEVEL SECURITY");
      await owner.end();
    }
  });

  it("cannot be changed by the app role", async () => {
    const s = await createSchool();
    const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" });
    const { inScope } = await import("../db/client.ts");
    await expect(inScope({ schoolId: s.schoolId }, (tx) => tx.journalEntry.deleteMany({}))).rejects.toThrow(
      /permission denied|append-only/,
    );
  });
});
