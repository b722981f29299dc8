import { randomUUID } from "node:crypto";
import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { addDays, almatyDate, almatyToInstant, mondayOf } from "../../domain/kz/time.ts";
import { workerAround } from "../../tests/worker.ts";
import { addMember, callerFor, createSchool, traineeInput } from "../../tests/factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "../../tests/lessons.ts";
import { waitForMail } from "../../tests/mail.ts";
import { fetchGatewaySms } from "../../dev/sms/client.ts";
import { fetchSunkMail } from "../../dev/mail/client.ts";
import { asTraineeRole, expectRefused } from "../../tests/trainee-role.ts";
import { testState } from "../../tests/state.ts";

type School = Awaited<ReturnType<typeof createSchool>>;

/** A school with an instructor (category B) and one car. */
async function setup() {
  const s = await createSchool();
  const instructor = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
  const carId = await addVehicle(s.schoolId, { plate: `0${Math.floor(Math.random() * 90 + 10)}AAA02` });
  return { s, instructor, carId };
}

/** An enrolled trainee with the instructor assigned and a cabinet login (Russian). */
async function trainee(s: School, instructorId: string | null, firstName = "Аяна") {
  const phone = `+7701${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  const email = `trainee.${randomUUID().slice(0, 8)}@mail.kz`;
  const id = await enrolledTrainee(s, { firstName, phone, email });
  if (instructorId) await s.director.booking.assignInstructor({ school: s.slug, traineeId: id, instructorId });
  const userId = randomUUID();
  await operatorDb().user.create({
    data: {
      id: userId,
      email,
      fullName: `${firstName} Курсант`,
      passwordHash: "x",
      locale: "ru",
      emailVerifiedAt: new Date(),
    },
  });
  await operatorDb().trainee.update({ where: { id }, data: { userId } });
  const t = await operatorDb().trainee.findUniqueOrThrow({ where: { id }, select: { schoolId: true } });
  await operatorDb().traineeLogin.create({ data: { userId, schoolId: t.schoolId, traineeId: id } });
  return { id, userId, phone, email, caller: await callerFor(userId) };
}

const today = () => almatyDate(new Date());
/** `2026-12-07` as the trainee reads it: `07.12.2026`. */
const dmy = (iso: string) => iso.split("-").reverse().join(".");
const ru = (e: unknown) => describeError(e as never, "ru").message;

async function lessonAt(
  schoolId: string,
  traineeId: string,
  instructorId: string,
  vehicleId: string,
  date: string,
  from: string,
  minutes: number,
  bookedBy: string,
) {
  const startsAt = almatyToInstant(date, from);
  const id = randomUUID();
  await operatorDb().drivingLesson.create({
    data: {
      id,
      schoolId,
      traineeId,
      instructorId,
      vehicleId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + minutes * 60_000),
      bookedBy,
    },
  });
  return id;
}

describe("trainee self-booking", () => {
  workerAround();

  it("free slots leave out the instructor's lessons in another school and the trainee's own, showing only times", async () => {
    const { s, instructor, carId } = await setup();
    const me = await trainee(s, instructor.userId);
    const date = addDays(today(), 3);
    // The same instructor also works for school B, 10:00–11:30 that day.
    const b = await createSchool();
    await operatorDb().membership.create({
      data: { id: randomUUID(), schoolId: b.schoolId, userId: instructor.userId, role: "instructor" },
    });
    const bCar = await addVehicle(b.schoolId, { plate: "777BBB01" });
    const { id: bTrainee } = await b.director.trainees.create({ school: b.slug, ...traineeInput() });
    await lessonAt(b.schoolId, bTrainee, instructor.userId, bCar, date, "10:00", 90, b.userId);
    // The trainee's own lesson with another instructor of school A, 14:00–15:00.
    const other = await addMember(s.schoolId, "instructor");
    const otherCar = await addVehicle(s.schoolId, { plate: "123CCC02" });
    await lessonAt(s.schoolId, me.id, other.userId, otherCar, date, "14:00", 60, s.userId);

    const view = await me.caller.booking.slots({ school: s.slug });
    expect(view.state).toBe("ok");
    expect(view.instructorName).toBe("Ерланов Нұрлан");
    expect(view.days).toHaveLength(14);
    expect(view.days.find((d) => d.date === date)!.times.map((x) => x.time)).toEqual([
      "08:00",
      "12:30",
      "15:30",
      "17:00",
      "18:30",
    ]);
    expect(view.days.find((d) => d.date === addDays(today(), 4))!.times.map((x) => x.time)).toEqual([
      "08:00",
      "09:30",
      "11:00",
      "12:30",
      "14:00",
      "15:30",
      "17:00",
      "18:30",
    ]);
    expect(JSON.stringify(view)).not.toContain(bTrainee);
    expect(carId).toBeTruthy();

    // Booking the time of the other school's lesson is refused, saying only that it is taken.
    const taken = await me.caller.booking.book({ school: s.slug, date, time: "09:30" }).catch((e) => e);
    expect(ru(taken)).toBe("Это время только что заняли — выберите другое");
  });

  it("books within the window only, and not in the past; a trainee without an instructor is told so", async () => {
    const { s, instructor } = await setup();
    const me = await trainee(s, instructor.userId);
    const outside = await me.caller.booking
      .book({ school: s.slug, date: addDays(today(), 14), time: "08:00" })
      .catch((e) => e);
    expect(ru(outside)).toBe("Записаться можно не дальше чем на 14 дн. вперёд");
    const past = await me.caller.booking
      .book({ school: s.slug, date: addDays(today(), -1), time: "08:00" })
      .catch((e) => e);
    expect(ru(past)).toBe("Это время уже прошло — выберите другое");
    const offGrid = await me.caller.booking
      .book({ school: s.slug, date: addDays(today(), 2), time: "08:30" })
      .catch((e) => e);
    expect(ru(offGrid)).toMatch(/нет в расписании/);

    const { id, startsAt } = await me.caller.booking.book({
      school: s.slug,
      date: addDays(today(), 13),
      time: "08:00",
    });
    const lesson = await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id } });
    expect(lesson).toMatchObject({
      traineeId: me.id,
      instructorId: instructor.userId,
      status: "booked",
      bookedBy: me.userId,
    });
    expect(lesson.endsAt.getTime() - startsAt.getTime()).toBe(90 * 60_000);
    const entry = await operatorDb().journalEntry.findFirstOrThrow({
      where: { schoolId: s.schoolId, kind: "lesson.booked", subjectId: me.id },
    });
    expect(entry.data).toMatchObject({ lessonId: id, byTrainee: true });
    expect(entry.actorUserId).toBe(me.userId);
    expect((await me.caller.booking.slots({ school: s.slug })).mine.map((l) => l.id)).toEqual([id]);

    // The director narrows the window to 3 days.
    await s.director.booking.saveRules({
      school: s.slug,
      enabled: true,
      opens: "09:00",
      closes: "18:00",
      slotMinutes: 60,
      windowDays: 3,
      cancelHours: 12,
      weeklyLimit: 5,
    });
    const narrow = await me.caller.booking
      .book({ school: s.slug, date: addDays(today(), 5), time: "09:00" })
      .catch((e) => e);
    expect(ru(narrow)).toBe("Записаться можно не дальше чем на 3 дн. вперёд");
    expect((await me.caller.booking.slots({ school: s.slug })).days).toHaveLength(3);

    const lonely = await trainee(s, null, "Дана");
    expect((await lonely.caller.booking.slots({ school: s.slug })).state).toBe("noInstructor");
    const none = await lonely.caller.booking
      .book({ school: s.slug, date: addDays(today(), 1), time: "09:00" })
      .catch((e) => e);
    expect(ru(none)).toBe("Мастер ПОВ вам ещё не назначен — обратитесь в автошколу");
  });

  it("each free time says until when it can be cancelled, or that the trainee can't cancel it themselves", async () => {
    const { s, instructor } = await setup();
    const me = await trainee(s, instructor.userId);
    // A week's notice to cancel: a slot in two days is already inside the window, one in ten days is not.
    await s.director.booking.saveRules({
      school: s.slug,
      enabled: true,
      opens: "09:00",
      closes: "18:00",
      slotMinutes: 60,
      windowDays: 14,
      cancelHours: 168,
      weeklyLimit: 5,
    });
    const view = await me.caller.booking.slots({ school: s.slug });
    const first = (date: string) => view.days.find((d) => d.date === date)!.times[0]!;
    const late = addDays(today(), 10);
    expect(first(late)).toEqual({
      time: "09:00",
      cancelUntil: almatyToInstant(addDays(late, -7), "09:00"),
      cancellable: true,
    });
    expect(first(addDays(today(), 2))).toMatchObject({ time: "09:00", cancellable: false });
  });

  it("holds the weekly limit over a Monday–Sunday week", async () => {
    const { s, instructor } = await setup();
    const me = await trainee(s, instructor.userId);
    const monday = mondayOf(addDays(today(), 7));
    for (const d of [0, 1, 2])
      await me.caller.booking.book({ school: s.slug, date: addDays(monday, d), time: "11:00" });
    const fourth = await me.caller.booking
      .book({ school: s.slug, date: addDays(monday, 3), time: "11:00" })
      .catch((e) => e);
    expect(ru(fourth)).toBe(
      `На неделе ${dmy(monday)} — ${dmy(addDays(monday, 6))} у вас уже 3 занятия(й) — это наибольшее число в неделю по правилам автошколы`,
    );
    const view = await me.caller.booking.slots({ school: s.slug });
    const thursday = view.days.find((d) => d.date === addDays(monday, 3))!;
    expect(thursday).toMatchObject({ weekFull: true, times: [] });
    // The Sunday before belongs to another week (unless that Sunday is today).
    if (addDays(monday, -1) > today())
      await me.caller.booking.book({ school: s.slug, date: addDays(monday, -1), time: "11:00" });
  });

  it("cancels before the deadline with a reason, refuses after it, and notifies by e-mail and SMS once", async () => {
    const { s, instructor, carId } = await setup();
    const me = await trainee(s, instructor.userId);
    const { id } = await me.caller.booking.book({ school: s.slug, date: addDays(today(), 3), time: "14:00" });
    const mail = await waitForMail(me.email, /Вождение/);
    expect(mail.text).toContain("14:00–15:30");
    // No reason, or one that is the school's to give: refused, the lesson still booked.
    const bare = await me.caller.booking.cancel({ school: s.slug, lessonId: id } as never).catch((e) => e);
    expect(describeError(bare, "ru").fieldErrors).toEqual({ reason: "Выберите причину отмены" });
    const schools = await me.caller.booking
      .cancel({ school: s.slug, lessonId: id, reason: "vehicle_unavailable" } as never)
      .catch((e) => e);
    expect(describeError(schools, "kk").fieldErrors).toEqual({ reason: "Болдырмау себебін таңдаңыз" });
    expect((await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id } })).status).toBe("booked");

    await me.caller.booking.cancel({ school: s.slug, lessonId: id, reason: "trainee_ill", note: "Температура" });
    expect(await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "cancelled",
      cancelReason: "trainee_ill",
      cancelNote: "Температура",
    });
    const cancelled = await operatorDb().journalEntry.findFirstOrThrow({
      where: { schoolId: s.schoolId, kind: "lesson.cancelled", subjectId: me.id },
    });
    expect(cancelled.data).toMatchObject({
      lessonId: id,
      byTrainee: true,
      cancelReason: "trainee_ill",
      note: "Температура",
    });
    const cancelMail = await waitForMail(me.email, /отменено/);
    expect(cancelMail.text).toContain("Причина: курсант заболел — Температура.");

    // A lesson in 10 hours: past the 24-hour deadline.
    const soon = new Date(Date.now() + 10 * 3600_000);
    const lateId = randomUUID();
    await operatorDb().drivingLesson.create({
      data: {
        id: lateId,
        schoolId: s.schoolId,
        traineeId: me.id,
        instructorId: instructor.userId,
        vehicleId: carId,
        startsAt: soon,
        endsAt: new Date(soon.getTime() + 3600_000),
        bookedBy: s.userId,
      },
    });
    const late = await me.caller.booking
      .cancel({ school: s.slug, lessonId: lateId, reason: "weather" })
      .catch((e) => e);
    expect(ru(late)).toBe("Отменить занятие можно не позже чем за 24 ч до начала. Позвоните в автошколу");
    expect((await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id: lateId } })).status).toBe("booked");
    const again = await me.caller.booking.cancel({ school: s.slug, lessonId: id, reason: "other" }).catch((e) => e);
    expect(ru(again)).toBe("Отменить можно только запланированное занятие");

    // Exactly one SMS and one e-mail per change.
    await new Promise((r) => setTimeout(r, 1500));
    const sms = await fetchGatewaySms(testState.sms!.url, me.phone);
    expect(sms).toHaveLength(2);
    expect(sms.filter((m) => /ОТМЕНЕНО/.test(m.text)).map((m) => m.text)).toEqual([
      expect.stringMatching(/ОТМЕНЕНО: курсант заболел\./),
    ]);
    expect(sms.filter((m) => !/ОТМЕНЕНО/.test(m.text)).map((m) => m.text)).toEqual([
      expect.stringMatching(/14:00–15:30, мастер Ерланов Нұрлан/),
    ]);
    const mails = await fetchSunkMail(testState.sink!.httpUrl, me.email);
    expect(mails.filter((m) => /Вождение/.test(m.subject) && !/отменено/.test(m.subject))).toHaveLength(1);
    expect(mails.filter((m) => /отменено/.test(m.subject))).toHaveLength(1);
  });

  it("a trainee can neither cancel nor see another trainee's lesson — down to the database role", async () => {
    const { s, instructor, carId } = await setup();
    const me = await trainee(s, instructor.userId);
    const other = await trainee(s, instructor.userId, "Ким");
    const { id: theirs } = await other.caller.booking.book({
      school: s.slug,
      date: addDays(today(), 4),
      time: "08:00",
    });
    await expect(
      me.caller.booking.cancel({ school: s.slug, lessonId: theirs, reason: "trainee_ill" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await me.caller.booking.slots({ school: s.slug })).mine).toEqual([]);

    await asTraineeRole({ schoolId: s.schoolId, traineeId: me.id, userId: me.userId }, async (c) => {
      expect((await c.query("SELECT id FROM driving_lesson WHERE id = $1", [theirs])).rows).toEqual([]);
      expect((await c.query("UPDATE driving_lesson SET status = 'cancelled' WHERE id = $1", [theirs])).rowCount).toBe(
        0,
      );
      const future = almatyToInstant(addDays(today(), 5), "08:00");
      const refused: [string, unknown[], RegExp][] = [
        // someone else's lesson, or one's own with another instructor, or marked done
        [
          "INSERT INTO driving_lesson (id, school_id, trainee_id, instructor_id, vehicle_id, starts_at, ends_at, booked_by) VALUES ($1, $2, $3, $4, $5, $6, $6::timestamptz + interval '1 hour', $7)",
          [randomUUID(), s.schoolId, other.id, instructor.userId, carId, future, me.userId],
          /row-level security/,
        ],
        [
          "INSERT INTO driving_lesson (id, school_id, trainee_id, instructor_id, vehicle_id, starts_at, ends_at, booked_by) VALUES ($1, $2, $3, $4, $5, $6, $6::timestamptz + interval '1 hour', $7)",
          [randomUUID(), s.schoolId, me.id, s.userId, carId, future, me.userId],
          /row-level security/,
        ],
        [
          "INSERT INTO driving_lesson (id, school_id, trainee_id, instructor_id, vehicle_id, starts_at, ends_at, booked_by, status) VALUES ($1, $2, $3, $4, $5, $6, $6::timestamptz + interval '1 hour', $7, 'done')",
          [randomUUID(), s.schoolId, me.id, instructor.userId, carId, future, me.userId],
          /row-level security/,
        ],
        ["UPDATE driving_lesson SET note = 'x'", [], /permission denied/],
        ["DELETE FROM driving_lesson", [], /permission denied/],
        [
          "INSERT INTO journal_entry (school_id, seq, kind, subject_id, data, prev_hash, hash, actor_user_id) VALUES ($1, 999, 'lesson.booked', $2, '{}', 'x', 'y', $3)",
          [s.schoolId, other.id, me.userId],
          /row-level security/,
        ],
        [
          "INSERT INTO journal_entry (school_id, seq, kind, subject_id, data, prev_hash, hash, actor_user_id) VALUES ($1, 999, 'exam.result', $2, '{}', 'x', 'y', $3)",
          [s.schoolId, me.id, me.userId],
          /row-level security/,
        ],
        ["SELECT count(*) FROM membership", [], /permission denied/],
        ["SELECT email FROM app_user LIMIT 1", [], /permission denied/],
      ];
      await expectRefused(c, refused);
      // The busy-times function gives times only, of the trainee's own instructor and the school's cars.
      const busy = await c.query("SELECT * FROM booking_busy_times(now(), now() + interval '30 days')");
      expect(busy.rows.map((r) => Object.keys(r).sort())).toEqual([
        ["ends_at", "starts_at", "vehicle_id", "what"],
        ["ends_at", "starts_at", "vehicle_id", "what"],
      ]);
    });
  });

  it("two trainees booking the same slot at once: exactly one wins", async () => {
    const { s, instructor } = await setup();
    await addVehicle(s.schoolId, { plate: "999ZZZ02" });
    const one = await trainee(s, instructor.userId, "Бірінші");
    const two = await trainee(s, instructor.userId, "Екінші");
    const date = addDays(today(), 2);
    const results = await Promise.allSettled(
      [one, two].map((t) => t.caller.booking.book({ school: s.slug, date, time: "15:30" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(ru(lost.reason)).toBe("Это время только что заняли — выберите другое");
    expect(await operatorDb().drivingLesson.count({ where: { schoolId: s.schoolId, status: "booked" } })).toBe(1);
    expect(await operatorDb().journalEntry.count({ where: { schoolId: s.schoolId, kind: "lesson.booked" } })).toBe(1);
  });

  it("the school assigns the instructor and sets the rules; others may not", async () => {
    const { s, instructor } = await setup();
    const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    const registrar = await addMember(s.schoolId, "registrar");
    await registrar.caller.booking.assignInstructor({ school: s.slug, traineeId: id, instructorId: instructor.userId });
    expect((await operatorDb().trainee.findUniqueOrThrow({ where: { id } })).instructorId).toBe(instructor.userId);
    const notInstructor = await s.director.booking
      .assignInstructor({ school: s.slug, traineeId: id, instructorId: registrar.userId })
      .catch((e) => e);
    expect(describeError(notInstructor, "ru").fieldErrors).toEqual({
      instructorId: "Выберите мастера ПОВ этой автошколы",
    });
    await s.director.booking.assignInstructor({ school: s.slug, traineeId: id, instructorId: null });
    expect((await operatorDb().trainee.findUniqueOrThrow({ where: { id } })).instructorId).toBeNull();
    await expect(
      instructor.caller.booking.assignInstructor({ school: s.slug, traineeId: id, instructorId: instructor.userId }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const defaults = {
      enabled: true,
      opens: "08:00",
      closes: "20:00",
      slotMinutes: 90,
      windowDays: 14,
      cancelHours: 24,
      weeklyLimit: 3,
    };
    await expect(registrar.caller.booking.saveRules({ school: s.slug, ...defaults })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });

    expect(await registrar.caller.booking.rules({ school: s.slug })).toMatchObject(defaults);
    const bad = await s.director.booking
      .saveRules({
        school: s.slug,
        opens: "18:00",
        closes: "09:00",
        slotMinutes: "90",
        windowDays: "14",
        cancelHours: "24",
        weeklyLimit: "3",
      } as never)
      .catch((e) => e);
    expect(describeError(bad, "ru").fieldErrors).toEqual({ closes: "Конец рабочего дня должен быть позже начала" });
    await s.director.booking.saveRules({
      school: s.slug,
      opens: "09:00",
      closes: "18:00",
      slotMinutes: "60",
      windowDays: "7",
      cancelHours: "12",
      weeklyLimit: "2",
    } as never);
    expect(await s.director.booking.rules({ school: s.slug })).toMatchObject({
      enabled: false,
      opens: "09:00",
      closes: "18:00",
      slotMinutes: 60,
      windowDays: 7,
    });
  });
});
