// Fault: two registrars press "book" for the same slot at the same moment (20 times over, same instructor,
// same car, and an instructor shared by two schools), through the tRPC caller with their real sessions.
// Proves: the database's exclusion constraints (ADR 007) let exactly one win each time; the other gets a
// CONFLICT naming the clash in their language; exactly one lesson, journal entry and notice per win.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../../server/db/client.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { addMember, callerFor, createSchool, traineeInput } from "../factories.ts";
import { refusal } from "./helpers.ts";

const db = () => operatorDb();
/** `2026-12-07` as the refusal shows it: `07.12.2026`. */
const dmy = (iso: string) => iso.split("-").reverse().join(".");
type School = Awaited<ReturnType<typeof createSchool>>;
const ROUNDS = 20;

async function enrolledTrainee(s: School, lastName: string) {
  const { id } = await s.director.trainees.create({
    school: s.slug,
    ...traineeInput({ lastName, email: `${randomUUID().slice(0, 8)}@trainee.kz`, phone: "+7 701 555 44 33" }),
  });
  await db().trainee.update({ where: { id }, data: { gearbox: "manual" } });
  await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" });
  return id;
}
async function car(schoolId: string, plate: string) {
  const id = randomUUID();
  await db().vehicle.create({
    data: { id, schoolId, plate, makeModel: "Chevrolet Cobalt", category: "B", gearbox: "manual" },
  });
  return id;
}
async function instructorOf(schoolId: string, fullName: string) {
  const m = await addMember(schoolId, "instructor");
  await db().user.update({ where: { id: m.userId }, data: { fullName } });
  await db().staffProfile.create({ data: { schoolId, userId: m.userId, licenceCategories: ["B"] } });
  return m.userId;
}
/** The lesson notices queued for a school's lessons, by channel. */
async function noticesOf(schoolId: string) {
  const lessons = await db().drivingLesson.findMany({ where: { schoolId }, select: { id: true } });
  const ids = lessons.flatMap((l) => [`lesson.booked.${l.id}.mail`, `lesson.booked.${l.id}.sms`]);
  const rows = await db().outboxEvent.findMany({ where: { jobId: { in: ids } }, select: { queue: true } });
  return { mail: rows.filter((r) => r.queue === "mail").length, sms: rows.filter((r) => r.queue === "sms").length };
}
/** A registrar who works in Kazakh; the director works in Russian. */
async function kazakhRegistrar(schoolId: string) {
  const r = await addMember(schoolId, "registrar");
  await db().user.update({ where: { id: r.userId }, data: { locale: "kk" } });
  return { ...r, caller: await callerFor(r.userId) };
}
/** The 20 slots of the race: one an hour from 08:00 over two days, each 60 minutes. */
const slots = () => {
  const first = addDays(almatyDate(new Date()), 2);
  return Array.from({ length: ROUNDS }, (_, i) => ({
    date: addDays(first, Math.floor(i / 10)),
    time: `${String(8 + (i % 10)).padStart(2, "0")}:00`,
  }));
};

/** Fires both bookings at once; returns the one refusal (asserting exactly one win). */
async function race(attempts: [Promise<unknown>, Promise<unknown>]) {
  const results = await Promise.allSettled(attempts);
  const won = results.filter((r) => r.status === "fulfilled");
  const lost = results.flatMap((r, i) => (r.status === "rejected" ? [{ i, reason: r.reason as unknown }] : []));
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  return lost[0]!;
}

describe("two registrars booking the same slot at once", () => {
  it("the same instructor, 20 times: exactly one lesson each time, the other told in kk or ru who is busy", {
    timeout: 60_000,
  }, async () => {
    const s = await createSchool();
    const registrar = await kazakhRegistrar(s.schoolId);
    const instructor = await instructorOf(s.schoolId, "Қайратов Мастер");
    const [t1, t2] = [await enrolledTrainee(s, "Бірінші"), await enrolledTrainee(s, "Екінші")];
    const [car1, car2] = [await car(s.schoolId, "101AAA02"), await car(s.schoolId, "202BBB02")];
    let wonByDirector = 0;
    for (const { date, time } of slots()) {
      const lost = await race([
        s.director.training.bookLesson({
          school: s.slug,
          traineeId: t1,
          instructorId: instructor,
          vehicleId: car1,
          date,
          time,
          minutes: 60,
        }),
        registrar.caller.training.bookLesson({
          school: s.slug,
          traineeId: t2,
          instructorId: instructor,
          vehicleId: car2,
          date,
          time,
          minutes: 60,
        }),
      ]);
      const to = `${String(Number(time.slice(0, 2)) + 1).padStart(2, "0")}:00`;
      if (lost.i === 1) {
        wonByDirector++;
        expect(refusal(lost.reason, "kk")).toMatchObject({
          code: "CONFLICT",
          status: 409,
          fieldErrors: { instructorId: `Қайратов Мастер шебері ${dmy(date)} күні ${time}–${to} аралығында бос емес` },
        });
      } else {
        expect(refusal(lost.reason, "ru")).toMatchObject({
          code: "CONFLICT",
          status: 409,
          fieldErrors: { instructorId: `Мастер Қайратов Мастер уже занят ${dmy(date)} с ${time} до ${to}` },
        });
      }
    }
    expect(await db().drivingLesson.count({ where: { schoolId: s.schoolId, status: "booked" } })).toBe(ROUNDS);
    expect(await db().drivingLesson.count({ where: { schoolId: s.schoolId, traineeId: t1 } })).toBe(wonByDirector);
    expect(await db().drivingLesson.count({ where: { schoolId: s.schoolId, traineeId: t2 } })).toBe(
      ROUNDS - wonByDirector,
    );
    expect(await db().journalEntry.count({ where: { schoolId: s.schoolId, kind: "lesson.booked" } })).toBe(ROUNDS);
    // Each win notifies its trainee once by e-mail and once by SMS; a refused booking writes nothing.
    expect(await noticesOf(s.schoolId)).toEqual({ mail: ROUNDS, sms: ROUNDS });
  });

  it("the same car, 20 times: exactly one lesson each time, the other told the car is busy", {
    timeout: 60_000,
  }, async () => {
    const s = await createSchool();
    const registrar = await kazakhRegistrar(s.schoolId);
    const [i1, i2] = [await instructorOf(s.schoolId, "Бір Нұрлан"), await instructorOf(s.schoolId, "Екі Ерлан")];
    const [t1, t2] = [await enrolledTrainee(s, "Бірінші"), await enrolledTrainee(s, "Екінші")];
    const shared = await car(s.schoolId, "303CCC02");
    for (const { date, time } of slots()) {
      const lost = await race([
        s.director.training.bookLesson({
          school: s.slug,
          traineeId: t1,
          instructorId: i1,
          vehicleId: shared,
          date,
          time,
          minutes: 60,
        }),
        registrar.caller.training.bookLesson({
          school: s.slug,
          traineeId: t2,
          instructorId: i2,
          vehicleId: shared,
          date,
          time,
          minutes: 60,
        }),
      ]);
      const to = `${String(Number(time.slice(0, 2)) + 1).padStart(2, "0")}:00`;
      const expected =
        lost.i === 1
          ? refusal(lost.reason, "kk").fieldErrors?.vehicleId ===
            `303CCC02 көлігі ${dmy(date)} күні ${time}–${to} аралығында бос емес`
          : refusal(lost.reason, "ru").fieldErrors?.vehicleId ===
            `Автомобиль 303CCC02 уже занят ${dmy(date)} с ${time} до ${to}`;
      expect(expected).toBe(true);
      expect((lost.reason as { code: string }).code).toBe("CONFLICT");
    }
    expect(await db().drivingLesson.count({ where: { schoolId: s.schoolId, status: "booked" } })).toBe(ROUNDS);
    expect(await db().drivingLesson.count({ where: { vehicleId: shared } })).toBe(ROUNDS);
    expect(await db().journalEntry.count({ where: { schoolId: s.schoolId, kind: "lesson.booked" } })).toBe(ROUNDS);
    expect(await noticesOf(s.schoolId)).toEqual({ mail: ROUNDS, sms: ROUNDS });
  });

  it("an instructor of two schools, booked by both at once 20 times: one lesson each time across the schools", {
    timeout: 60_000,
  }, async () => {
    const a = await createSchool();
    const b = await createSchool();
    const instructor = await instructorOf(a.schoolId, "Екеуі Мастер");
    await db().membership.create({
      data: { id: randomUUID(), schoolId: b.schoolId, userId: instructor, role: "instructor" },
    });
    await db().staffProfile.create({ data: { schoolId: b.schoolId, userId: instructor, licenceCategories: ["B"] } });
    const [ta, tb] = [await enrolledTrainee(a, "Альфа"), await enrolledTrainee(b, "Бета")];
    const [ca, cb] = [await car(a.schoolId, "404DDD02"), await car(b.schoolId, "505EEE02")];
    let wonByA = 0;
    for (const { date, time } of slots()) {
      const lost = await race([
        a.director.training.bookLesson({
          school: a.slug,
          traineeId: ta,
          instructorId: instructor,
          vehicleId: ca,
          date,
          time,
          minutes: 60,
        }),
        b.director.training.bookLesson({
          school: b.slug,
          traineeId: tb,
          instructorId: instructor,
          vehicleId: cb,
          date,
          time,
          minutes: 60,
        }),
      ]);
      if (lost.i === 1) wonByA++;
      // The other school's lesson is not the loser's to see: only that the instructor is busy elsewhere.
      expect(refusal(lost.reason, "ru")).toMatchObject({
        code: "CONFLICT",
        fieldErrors: { instructorId: "Мастер Екеуі Мастер в это время занят в другой автошколе" },
      });
    }
    expect(await db().drivingLesson.count({ where: { instructorId: instructor, status: "booked" } })).toBe(ROUNDS);
    expect(await db().drivingLesson.count({ where: { schoolId: a.schoolId } })).toBe(wonByA);
    expect(await db().drivingLesson.count({ where: { schoolId: b.schoolId } })).toBe(ROUNDS - wonByA);
    expect(
      await db().journalEntry.count({ where: { schoolId: { in: [a.schoolId, b.schoolId] }, kind: "lesson.booked" } }),
    ).toBe(ROUNDS);
  });
});
