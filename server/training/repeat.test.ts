// A driving lesson repeated weekly (ADR 034): the preview says each week's fate in bookLesson's own words and
// books nothing; the confirm books the free weeks in one transaction, reports the refused ones, tells the trainee
// once for the series, and a second identical confirm books nothing twice.
import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { callerFor, createSchool } from "../../tests/factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "../../tests/lessons.ts";

const dmy = (iso: string) => iso.split("-").reverse().join(".");

/** A trainee with a phone and an e-mail, an instructor, two cars; Нұрлан is busy the second week at 10:30. */
async function world() {
  const s = await createSchool();
  const ru = await callerFor(s.userId, { locale: "ru" });
  const traineeId = await enrolledTrainee(s, {
    lastName: "Сәрсенов",
    firstName: "Дәурен",
    phone: "+77015550101",
    email: "dauren@test.kz",
  });
  const other = await enrolledTrainee(s, { lastName: "Қасымова", firstName: "Айгүл" });
  const nurlan = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
  const car = await addVehicle(s.schoolId, { plate: "404KZ02" });
  const car2 = await addVehicle(s.schoolId, { plate: "505KZ02" });
  const date = addDays(almatyDate(new Date()), 2);
  await ru.training.bookLesson({
    school: s.slug,
    traineeId: other,
    instructorId: nurlan.userId,
    vehicleId: car2,
    date: addDays(date, 7),
    time: "10:30",
    minutes: 90,
  });
  const series = {
    school: s.slug,
    traineeId,
    instructorId: nurlan.userId,
    vehicleId: car,
    date,
    time: "10:00",
    minutes: 90,
    weeks: 3,
  };
  return { s, ru, traineeId, car, date, series };
}

const lessonsOf = (traineeId: string) =>
  operatorDb().drivingLesson.findMany({ where: { traineeId }, orderBy: { startsAt: "asc" } });
/** The series notices queued so far (every test's: compare before and after). */
const seriesNotices = () => operatorDb().outboxEvent.count({ where: { jobId: { startsWith: "lesson.series." } } });

describe("a driving lesson repeated weekly", () => {
  it("the preview lists each week, the clashing one with the booking's own reason, and books nothing", async () => {
    const { s, ru, traineeId, date, series } = await world();
    const journalBefore = await operatorDb().journalEntry.count({ where: { schoolId: s.schoolId } });
    const noticesBefore = await seriesNotices();
    const { weeks } = await ru.training.previewRepeat(series);
    expect(weeks).toEqual([
      { date, outcome: "free" },
      {
        date: addDays(date, 7),
        outcome: "refused",
        reason: `Мастер Ерланов Нұрлан уже занят ${dmy(addDays(date, 7))} с 10:30 до 12:00`,
      },
      { date: addDays(date, 14), outcome: "free" },
    ]);
    expect(await lessonsOf(traineeId)).toHaveLength(0);
    expect(await operatorDb().journalEntry.count({ where: { schoolId: s.schoolId } })).toBe(journalBefore);
    expect(await seriesNotices()).toBe(noticesBefore);
  });

  it("the confirm books the free weeks, reports the refused one, and tells the trainee once for the series", async () => {
    const { s, ru, traineeId, date, series } = await world();
    const noticesBefore = await seriesNotices();
    const { weeks } = await ru.training.bookRepeat(series);
    expect(weeks.map((w) => [w.date, w.outcome])).toEqual([
      [date, "booked"],
      [addDays(date, 7), "refused"],
      [addDays(date, 14), "booked"],
    ]);
    const lessons = await lessonsOf(traineeId);
    expect(lessons.map((l) => l.startsAt.toISOString())).toEqual([
      new Date(`${date}T10:00:00+05:00`).toISOString(),
      new Date(`${addDays(date, 14)}T10:00:00+05:00`).toISOString(),
    ]);
    // One journal entry per lesson, as a single booking writes.
    const booked = await operatorDb().journalEntry.findMany({
      where: { schoolId: s.schoolId, kind: "lesson.booked", subjectId: traineeId },
    });
    expect(booked).toHaveLength(2);

    // One SMS and one e-mail for the series, none per lesson.
    const first = lessons[0]!.id;
    const series2 = await operatorDb().outboxEvent.findMany({
      where: { jobId: { startsWith: `lesson.series.${first}.` } },
      orderBy: { jobId: "asc" },
    });
    expect(series2.map((n) => n.jobId)).toEqual([`lesson.series.${first}.mail`, `lesson.series.${first}.sms`]);
    expect(
      await operatorDb().outboxEvent.count({
        where: { jobId: { in: lessons.flatMap((l) => [`lesson.booked.${l.id}.sms`, `lesson.booked.${l.id}.mail`]) } },
      }),
    ).toBe(0);
    expect(series2[1]!.payload).toEqual({
      to: "+77015550101",
      text: expect.stringContaining(`вождение каждую неделю с ${dmy(date)} 10:00, занятий: 2, мастер Ерланов Нұрлан`),
    });
    expect(series2[0]!.payload).toMatchObject({
      to: "dauren@test.kz",
      template: "lessonSeries",
      params: {
        total: "2",
        list: `• ${dmy(date)} 10:00–11:30\n• ${dmy(addDays(date, 14))} 10:00–11:30`,
      },
    });

    // The confirm posted again: the booked weeks are "already booked", nothing new, no second notice.
    const twice = await ru.training.bookRepeat(series);
    expect(twice.weeks.map((w) => w.outcome)).toEqual(["already", "refused", "already"]);
    expect(await lessonsOf(traineeId)).toHaveLength(2);
    expect(await operatorDb().outboxEvent.count({ where: { jobId: { startsWith: "lesson.series." } } })).toBe(
      noticesBefore + 2,
    );
    expect((await ru.training.previewRepeat(series)).weeks.map((w) => w.outcome)).toEqual([
      "already",
      "refused",
      "already",
    ]);
  });

  it("a car whose insurance lapses mid-series refuses the later weeks; one week booked is an ordinary notice", async () => {
    const { ru, traineeId, car, date, series } = await world();
    const noticesBefore = await seriesNotices();
    await operatorDb().vehicle.update({
      where: { id: car },
      data: { insuranceValidUntil: new Date(addDays(date, 3)) },
    });
    const { weeks } = await ru.training.bookRepeat({ ...series, weeks: 2, time: "14:00" });
    expect(weeks).toEqual([
      { date, outcome: "booked", lessonId: expect.any(String) },
      {
        date: addDays(date, 7),
        outcome: "refused",
        reason: `Страховка автомобиля 404KZ02 истекла ${dmy(addDays(date, 3))}`,
      },
    ]);
    const [lesson] = await lessonsOf(traineeId);
    expect(await operatorDb().outboxEvent.count({ where: { jobId: `lesson.booked.${lesson!.id}.sms` } })).toBe(1);
    expect(await seriesNotices()).toBe(noticesBefore);
  });

  it("refuses more than 12 weeks, or none", async () => {
    const { ru, series } = await world();
    for (const weeks of [0, 13]) {
      const err = await ru.training.previewRepeat({ ...series, weeks }).catch((e) => e);
      expect(describeError(err, "ru").fieldErrors).toEqual({ weeks: "Повторить можно на 1–12 недель" });
    }
  });
});
