// Moving a booked driving lesson (issue 14): one transaction with the booking's fit checks, a journal entry
// with the old and the new time, one "moved" notice — and only within the school.
import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { createSchool } from "../../tests/factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "../../tests/lessons.ts";

type School = Awaited<ReturnType<typeof createSchool>>;

const dmy = (iso: string) => iso.split("-").reverse().join(".");

/** A school with a trainee (with a phone), two instructors, two cars and one lesson booked at 10:00 for 90 minutes. */
async function booked(s: School) {
  const traineeId = await enrolledTrainee(s, { lastName: "Сәрсенов", firstName: "Дәурен", phone: "+77015550101" });
  const instructor = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
  const other = await addInstructor(s.schoolId, { fullName: "Әлиев Бақыт" });
  const vehicleId = await addVehicle(s.schoolId, { plate: "404KZ02" });
  const car2 = await addVehicle(s.schoolId, { plate: "505KZ02" });
  const date = addDays(almatyDate(new Date()), 2);
  const b = { school: s.slug, traineeId, instructorId: instructor.userId, vehicleId, date };
  const { id } = await s.director.training.bookLesson({ ...b, time: "10:00", minutes: 90 });
  return { id, traineeId, instructor, other, vehicleId, car2, date, b };
}

describe("moving a driving lesson", () => {
  it("moves it to another day, time and car, keeps its length, journals old and new, and queues one moved notice", async () => {
    const s = await createSchool();
    const { id, traineeId, car2, date } = await booked(s);
    const next = addDays(date, 1);
    await s.director.training.moveLesson({ school: s.slug, lessonId: id, date: next, time: "14:30", vehicleId: car2 });
    const lesson = await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id } });
    expect(lesson).toMatchObject({ status: "booked", vehicleId: car2 });
    expect(lesson.startsAt.toISOString()).toBe(new Date(`${next}T14:30:00+05:00`).toISOString());
    expect(lesson.endsAt.toISOString()).toBe(new Date(`${next}T16:00:00+05:00`).toISOString());

    const card = await s.director.training.card({ school: s.slug, traineeId });
    const entry = card.history.at(-1)!;
    expect(entry).toMatchObject({
      kind: "lesson.moved",
      data: {
        lessonId: id,
        vehicleId: car2,
        startsAt: lesson.startsAt.toISOString(),
        previous: { startsAt: new Date(`${date}T10:00:00+05:00`).toISOString() },
      },
    });

    const notices = await operatorDb().outboxEvent.findMany({
      where: { jobId: { startsWith: `lesson.moved.${id}.` } },
    });
    expect(notices.map((n) => n.jobId)).toHaveLength(1);
    expect(notices[0]!.payload).toEqual({
      to: "+77015550101",
      text: expect.stringContaining(`вождение ${dmy(date)} 10:00 ПЕРЕНЕСЕНО на ${dmy(next)} 14:30–16:00`),
    });
  });

  it("refuses a clash with the instructor's other lesson, in kk and ru, and leaves the lesson where it was", async () => {
    const s = await createSchool();
    const { id, instructor, car2, date } = await booked(s);
    const second = await enrolledTrainee(s, { lastName: "Қасымова", firstName: "Айгүл" });
    await s.director.training.bookLesson({
      school: s.slug,
      traineeId: second,
      instructorId: instructor.userId,
      vehicleId: car2,
      date,
      time: "15:00",
      minutes: 60,
    });
    const err = await s.director.training
      .moveLesson({ school: s.slug, lessonId: id, date, time: "14:30" })
      .catch((e) => e);
    expect(describeError(err, "ru").fieldErrors).toEqual({
      instructorId: `Мастер Ерланов Нұрлан уже занят ${dmy(date)} с 15:00 до 16:00`,
    });
    expect(describeError(err, "kk").fieldErrors).toEqual({
      instructorId: `Ерланов Нұрлан шебері ${dmy(date)} күні 15:00–16:00 аралығында бос емес`,
    });
    const lesson = await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id } });
    expect(lesson.startsAt.toISOString()).toBe(new Date(`${date}T10:00:00+05:00`).toISOString());
    expect(await operatorDb().outboxEvent.count({ where: { jobId: { startsWith: `lesson.moved.${id}` } } })).toBe(0);
  });

  it("moving by half an hour overlaps only itself, which is no clash; another instructor must be able to teach it", async () => {
    const s = await createSchool();
    const { id, date, other } = await booked(s);
    await s.director.training.moveLesson({ school: s.slug, lessonId: id, date, time: "10:30" });
    expect((await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id } })).startsAt.toISOString()).toBe(
      new Date(`${date}T10:30:00+05:00`).toISOString(),
    );
    await operatorDb().staffProfile.update({
      where: { schoolId_userId: { schoolId: s.schoolId, userId: other.userId } },
      data: { licenceCategories: ["C"] },
    });
    const err = await s.director.training
      .moveLesson({ school: s.slug, lessonId: id, date, time: "12:00", instructorId: other.userId })
      .catch((e) => e);
    expect(describeError(err, "ru").fieldErrors).toEqual({
      instructorId: expect.stringContaining("Әлиев Бақыт"),
    });
  });

  it("another school's director can't move the lesson (RLS: not found), nor can the lesson's instructor", async () => {
    const a = await createSchool();
    const b = await createSchool();
    const { id, date, instructor } = await booked(a);
    const err = await b.director.training
      .moveLesson({ school: b.slug, lessonId: id, date, time: "16:00" })
      .catch((e) => e);
    expect(err.code).toBe("NOT_FOUND");
    const own = await instructor.caller.training
      .moveLesson({ school: a.slug, lessonId: id, date, time: "16:00" })
      .catch((e) => e);
    expect(own.code).toBe("FORBIDDEN");
    const lesson = await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id } });
    expect(lesson.startsAt.toISOString()).toBe(new Date(`${date}T10:00:00+05:00`).toISOString());
  });
});
