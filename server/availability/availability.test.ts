// Working hours, days off and a car's days out of work (docs/decisions/032): the office sets them, booking,
// moving and the trainee's self-booking respect them, every change is audited, and only within the school.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { isoWeekday } from "../booking/fit.ts";
import { workerAround } from "../../tests/worker.ts";
import { addMember, callerFor, createSchool } from "../../tests/factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "../../tests/lessons.ts";

type School = Awaited<ReturnType<typeof createSchool>>;

const today = () => almatyDate(new Date());
const dmy = (iso: string) => iso.split("-").reverse().join(".");
const ru = (e: unknown) => describeError(e as never, "ru");
const kk = (e: unknown) => describeError(e as never, "kk");

/** A school with an instructor, a car and an enrolled trainee; `date` is three days ahead. */
async function setup() {
  const s = await createSchool();
  const instructor = await addInstructor(s.schoolId, { fullName: "Иванов Иван" });
  const vehicleId = await addVehicle(s.schoolId, { plate: "404KZ02" });
  const traineeId = await enrolledTrainee(s, { lastName: "Сәрсенов", firstName: "Дәурен" });
  const date = addDays(today(), 3);
  const lesson = { school: s.slug, traineeId, instructorId: instructor.userId, vehicleId, date, minutes: 90 };
  return { s, instructor, vehicleId, traineeId, date, lesson };
}

/** A trainee of `s` with `instructorId` assigned and a cabinet login. */
async function cabinetTrainee(s: School, instructorId: string) {
  const id = await enrolledTrainee(s, { firstName: "Аяна", email: `t.${randomUUID().slice(0, 8)}@mail.kz` });
  await s.director.booking.assignInstructor({ school: s.slug, traineeId: id, instructorId });
  const userId = randomUUID();
  await operatorDb().user.create({
    data: { id: userId, email: `cab.${userId}@mail.kz`, fullName: "Аяна Курсант", passwordHash: "x", locale: "ru" },
  });
  await operatorDb().trainee.update({ where: { id }, data: { userId } });
  await operatorDb().traineeLogin.create({ data: { userId, schoolId: s.schoolId, traineeId: id } });
  return { id, caller: await callerFor(userId) };
}

describe("the office books and moves only when the instructor works and the car is in service", () => {
  workerAround();

  it("refuses a lesson on the instructor's leave, naming them and the dates, in ru and kk", async () => {
    const { s, instructor, date, lesson } = await setup();
    await s.director.availability.addAbsence({
      school: s.slug,
      userId: instructor.userId,
      startsOn: date,
      endsOn: addDays(date, 4),
      reason: "leave",
    });
    const err = await s.director.training.bookLesson({ ...lesson, time: "10:00" }).catch((e) => e);
    expect(ru(err).status).toBe(400);
    expect(ru(err).fieldErrors).toEqual({
      instructorId: `Мастер Иванов Иван в отпуске ${dmy(date)}–${dmy(addDays(date, 4))}`,
    });
    expect(kk(err).fieldErrors).toEqual({
      instructorId: `Иванов Иван шебері ${dmy(date)}–${dmy(addDays(date, 4))} демалыста`,
    });
    // The day after the leave is bookable again.
    await expect(
      s.director.training.bookLesson({ ...lesson, date: addDays(date, 5), time: "10:00" }),
    ).resolves.toMatchObject({ id: expect.any(String) });
  });

  it("refuses outside the working hours and on a weekday off, and books inside them", async () => {
    const { s, instructor, date, lesson } = await setup();
    const weekday = isoWeekday(date);
    await s.director.availability.saveHours({
      school: s.slug,
      userId: instructor.userId,
      hours: [
        { weekday, starts: "08:00", ends: "13:00" },
        { weekday, starts: "14:00", ends: "18:00" },
      ],
    });
    const late = await s.director.training.bookLesson({ ...lesson, time: "17:00" }).catch((e) => e);
    expect(ru(late).fieldErrors).toEqual({
      time: `Мастер Иванов Иван работает ${dmy(date)} только 08:00–13:00, 14:00–18:00 — занятие 17:00–18:30 вне рабочих часов`,
    });
    const lunch = await s.director.training.bookLesson({ ...lesson, time: "12:00" }).catch((e) => e);
    expect(ru(lunch).message).toContain("вне рабочих часов");
    const next = addDays(date, 1);
    const dayOff = await s.director.training.bookLesson({ ...lesson, date: next, time: "10:00" }).catch((e) => e);
    expect(ru(dayOff).fieldErrors).toEqual({ time: `У мастера Иванов Иван ${dmy(next)} выходной по графику работы` });
    expect(kk(dayOff).message).toBe(`Иванов Иван шеберінің жұмыс кестесі бойынша ${dmy(next)} — демалыс күні`);
    await expect(s.director.training.bookLesson({ ...lesson, time: "16:30" })).resolves.toMatchObject({
      id: expect.any(String),
    });
  });

  it("refuses a car on its service days, and moving a lesson into them", async () => {
    const { s, vehicleId, date, lesson } = await setup();
    const { id } = await s.director.training.bookLesson({ ...lesson, time: "10:00" });
    const down = addDays(date, 1);
    const added = await s.director.availability.addDowntime({
      school: s.slug,
      vehicleId,
      startsOn: down,
      endsOn: down,
      reason: "service",
      note: "ТО-2",
    });
    expect(added.lessons).toEqual({ count: 0, firstOn: null });
    const err = await s.director.training
      .moveLesson({ school: s.slug, lessonId: id, date: down, time: "10:00" })
      .catch((e) => e);
    expect(ru(err).fieldErrors).toEqual({ vehicleId: `Автомобиль 404KZ02 на обслуживании ${dmy(down)}–${dmy(down)}` });
    expect(kk(err).message).toBe(`404KZ02 көлігі ${dmy(down)}–${dmy(down)} техникалық қызмет көрсетуде`);
    const lessonRow = await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id } });
    expect(almatyDate(lessonRow.startsAt)).toBe(date);
  });

  it("a new absence leaves the lessons booked in it and counts them; the page lists them until they are moved", async () => {
    const { s, instructor, date, lesson } = await setup();
    await s.director.training.bookLesson({ ...lesson, time: "10:00" });
    await s.director.training.bookLesson({ ...lesson, date: addDays(date, 1), time: "10:00" });
    const added = await s.director.availability.addAbsence({
      school: s.slug,
      userId: instructor.userId,
      startsOn: date,
      endsOn: addDays(date, 2),
      reason: "sick",
    });
    expect(added.lessons).toEqual({ count: 2, firstOn: date });
    expect(
      await operatorDb().drivingLesson.count({ where: { instructorId: instructor.userId, status: "booked" } }),
    ).toBe(2);
    const page = await s.director.availability.staff({ school: s.slug, userId: instructor.userId });
    expect(page.absences).toMatchObject([
      { id: added.id, reason: "sick", removable: true, lessons: { count: 2, firstOn: date } },
    ]);
    // Overlapping the same days again is refused, naming the existing period.
    const twice = await s.director.availability
      .addAbsence({
        school: s.slug,
        userId: instructor.userId,
        startsOn: addDays(date, 2),
        endsOn: addDays(date, 3),
        reason: "leave",
      })
      .catch((e) => e);
    expect(ru(twice)).toMatchObject({
      status: 409,
      message: `На эти даты уже есть отсутствие: ${dmy(date)}–${dmy(addDays(date, 2))}`,
    });
  });

  it("hours that leave booked lessons outside are saved and say how many", async () => {
    const { s, instructor, date, lesson } = await setup();
    await s.director.training.bookLesson({ ...lesson, time: "18:00" });
    const saved = await s.director.availability.saveHours({
      school: s.slug,
      userId: instructor.userId,
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, starts: "08:00", ends: "17:00" })),
    });
    expect(saved.outside).toEqual({ count: 1, firstOn: date });
    const page = await s.director.availability.staff({ school: s.slug, userId: instructor.userId });
    expect(page.hours).toHaveLength(7);
    expect(page.hours[0]).toEqual({ weekday: 1, starts: "08:00", ends: "17:00" });
  });
});

describe("the office's forms", () => {
  it("checks the input: order of times and days, overlapping intervals, past periods", async () => {
    const { s, instructor } = await setup();
    const bad = await s.director.availability
      .saveHours({
        school: s.slug,
        userId: instructor.userId,
        hours: [
          { weekday: 1, starts: "10:00", ends: "09:00" },
          { weekday: 2, starts: "08:00", ends: "12:00" },
          { weekday: 2, starts: "11:00", ends: "15:00" },
        ],
      })
      .catch((e) => e);
    expect(ru(bad).status).toBe(400);
    expect(ru(bad).fieldErrors).toMatchObject({
      "hours.0.ends": "Окончание не может быть раньше начала",
      "hours.2.starts": "Интервалы одного дня не должны пересекаться",
    });
    const reversed = await s.director.availability
      .addAbsence({
        school: s.slug,
        userId: instructor.userId,
        startsOn: addDays(today(), 5),
        endsOn: addDays(today(), 4),
        reason: "leave",
      })
      .catch((e) => e);
    expect(ru(reversed).fieldErrors).toMatchObject({ endsOn: "Окончание не может быть раньше начала" });
    const past = await s.director.availability
      .addAbsence({
        school: s.slug,
        userId: instructor.userId,
        startsOn: addDays(today(), -5),
        endsOn: addDays(today(), -1),
        reason: "leave",
      })
      .catch((e) => e);
    expect(ru(past).status).toBe(400);
    // Not an instructor: no hours to keep.
    const registrar = await addMember(s.schoolId, "registrar");
    const notInstructor = await s.director.availability
      .saveHours({ school: s.slug, userId: registrar.userId, hours: [] })
      .catch((e) => e);
    expect(ru(notInstructor).message).toBe("Рабочие часы и отсутствия ведутся только для мастеров вождения");
  });

  it("audits each change with what it replaced or removed; removing a past period is refused", async () => {
    const { s, instructor, vehicleId } = await setup();
    await s.director.availability.saveHours({
      school: s.slug,
      userId: instructor.userId,
      hours: [{ weekday: 1, starts: "09:00", ends: "18:00" }],
    });
    const a = await s.director.availability.addAbsence({
      school: s.slug,
      userId: instructor.userId,
      startsOn: addDays(today(), 1),
      endsOn: addDays(today(), 2),
      reason: "other",
      note: "курсы",
    });
    await s.director.availability.removeAbsence({ school: s.slug, id: a.id });
    const d = await s.director.availability.addDowntime({
      school: s.slug,
      vehicleId,
      startsOn: today(),
      endsOn: today(),
      reason: "inspection",
    });
    await s.director.availability.removeDowntime({ school: s.slug, id: d.id });
    const log = await operatorDb().auditLog.findMany({
      where: { schoolId: s.schoolId, action: { startsWith: "availability." } },
      orderBy: { at: "asc" },
    });
    expect(log.map((l) => l.action)).toEqual([
      "availability.hours_saved",
      "availability.absence_added",
      "availability.absence_removed",
      "availability.downtime_added",
      "availability.downtime_removed",
    ]);
    expect(log[0]!.details).toMatchObject({ hours: [{ weekday: 1, starts: "09:00", ends: "18:00" }], previous: [] });
    expect(log[2]!.details).toMatchObject({ id: a.id, reason: "other", note: "курсы" });
    expect(await operatorDb().instructorAbsence.count({ where: { schoolId: s.schoolId } })).toBe(0);

    const pastId = randomUUID();
    await operatorDb().instructorAbsence.create({
      data: {
        id: pastId,
        schoolId: s.schoolId,
        userId: instructor.userId,
        startsOn: new Date(`${addDays(today(), -10)}T00:00:00Z`),
        endsOn: new Date(`${addDays(today(), -8)}T00:00:00Z`),
        reason: "sick",
        createdBy: s.userId,
      },
    });
    const err = await s.director.availability.removeAbsence({ school: s.slug, id: pastId }).catch((e) => e);
    expect(ru(err)).toMatchObject({ status: 400, message: "Прошедший период нельзя удалить" });
  });

  it("an instructor reads their own hours but not others', and changes nothing; another school's ids are not found", async () => {
    const { s, instructor, vehicleId } = await setup();
    const other = await addInstructor(s.schoolId, { fullName: "Әлиев Бақыт" });
    const me = await callerFor(instructor.userId);
    await expect(me.availability.staff({ school: s.slug, userId: instructor.userId })).resolves.toMatchObject({
      hours: [],
    });
    const foreign = await me.availability.staff({ school: s.slug, userId: other.userId }).catch((e) => e);
    expect(ru(foreign).status).toBe(403);
    const write = await me.availability
      .saveHours({ school: s.slug, userId: instructor.userId, hours: [] })
      .catch((e) => e);
    expect(ru(write).status).toBe(403);

    const b = await createSchool();
    for (const call of [
      () => b.director.availability.staff({ school: b.slug, userId: instructor.userId }),
      () => b.director.availability.saveHours({ school: b.slug, userId: instructor.userId, hours: [] }),
      () => b.director.availability.vehicle({ school: b.slug, vehicleId }),
      () =>
        b.director.availability.addDowntime({
          school: b.slug,
          vehicleId,
          startsOn: today(),
          endsOn: today(),
          reason: "service",
        }),
    ]) {
      const e = await call().catch((x) => x);
      expect(ru(e).status).toBe(404);
    }
    const d = await s.director.availability.addDowntime({
      school: s.slug,
      vehicleId,
      startsOn: today(),
      endsOn: today(),
      reason: "service",
    });
    const e = await b.director.availability.removeDowntime({ school: b.slug, id: d.id }).catch((x) => x);
    expect(ru(e).status).toBe(404);
    expect(await operatorDb().vehicleDowntime.count({ where: { id: d.id } })).toBe(1);
  });
});

describe("trainee self-booking", () => {
  workerAround();

  it("offers only times within the hours, none on a day off or when the only car is in service, and refuses a direct request", async () => {
    const { s, instructor, vehicleId } = await setup();
    const me = await cabinetTrainee(s, instructor.userId);
    const d1 = addDays(today(), 2);
    const d2 = addDays(today(), 3);
    const d3 = addDays(today(), 4);
    await s.director.availability.saveHours({
      school: s.slug,
      userId: instructor.userId,
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, starts: "08:00", ends: "12:30" })),
    });
    await s.director.availability.addAbsence({
      school: s.slug,
      userId: instructor.userId,
      startsOn: d2,
      endsOn: d2,
      reason: "sick",
    });
    await s.director.availability.addDowntime({
      school: s.slug,
      vehicleId,
      startsOn: d3,
      endsOn: d3,
      reason: "service",
    });

    const view = await me.caller.booking.slots({ school: s.slug });
    const times = (date: string) => view.days.find((d) => d.date === date)!.times.map((t) => t.time);
    expect(times(d1)).toEqual(["08:00", "09:30", "11:00"]);
    expect(times(d2)).toEqual([]);
    expect(times(d3)).toEqual([]);
    // Nothing of the reason reaches the cabinet.
    expect(JSON.stringify(view)).not.toContain("sick");

    const late = await me.caller.booking.book({ school: s.slug, date: d1, time: "12:30" }).catch((e) => e);
    expect(ru(late).message).toBe("Ваш мастер в это время не работает — выберите время из списка");
    const absent = await me.caller.booking.book({ school: s.slug, date: d2, time: "08:00" }).catch((e) => e);
    expect(ru(absent).message).toContain("не может вести занятие в этот день");
    const noCar = await me.caller.booking.book({ school: s.slug, date: d3, time: "08:00" }).catch((e) => e);
    expect(ru(noCar).message).toBe("На это время нет свободного учебного автомобиля — выберите другое");
    expect(await operatorDb().drivingLesson.count({ where: { traineeId: me.id } })).toBe(0);
    await expect(me.caller.booking.book({ school: s.slug, date: d1, time: "11:00" })).resolves.toMatchObject({
      id: expect.any(String),
    });
  });
});
