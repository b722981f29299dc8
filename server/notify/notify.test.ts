import { randomUUID } from "node:crypto";
import type { Job } from "bullmq";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { workerAround } from "../../tests/worker.ts";
import { queueReminders } from "../../jobs/reminders.ts";
import { processSms } from "../../jobs/sms.ts";
import { createSchool, traineeInput } from "../../tests/factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "../../tests/lessons.ts";
import { waitForMail } from "../../tests/mail.ts";
import { fetchGatewaySms } from "../../dev/sms/client.ts";
import { testState } from "../../tests/state.ts";

async function setup() {
  const s = await createSchool();
  const instructor = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
  const vehicleId = await addVehicle(s.schoolId, { plate: "505BBB02" });
  const phone = `+7701${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  const email = `trainee.${randomUUID().slice(0, 8)}@mail.kz`;
  const traineeId = await enrolledTrainee(s, { firstName: "Айбек", phone, email });
  return { s, instructor, vehicleId, traineeId, phone, email };
}

async function waitForSms(to: string, count: number, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const list = await fetchGatewaySms(testState.sms!.url, to);
    if (list.length >= count || Date.now() > until) return list;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("lesson notices", () => {
  workerAround();

  it("a booking reaches the trainee at once by e-mail and SMS, and a cancellation too", async () => {
    const { s, instructor, vehicleId, traineeId, phone, email } = await setup();
    const date = addDays(almatyDate(new Date()), 2);
    const { id } = await s.director.training.bookLesson({
      school: s.slug,
      traineeId,
      instructorId: instructor.userId,
      vehicleId,
      date,
      time: "14:00",
      minutes: 90,
    });
    const booked = await waitForMail(email, /Вождение/);
    expect(booked.text).toContain("Ерланов Нұрлан");
    expect(booked.text).toContain("14:00–15:30");
    const sms = await waitForSms(phone, 1);
    expect(sms.map((m) => m.text)).toEqual([expect.stringMatching(/вождение .* 14:00–15:30, мастер Ерланов Нұрлан/)]);

    await s.director.training.cancelLesson({
      school: s.slug,
      lessonId: id,
      reason: "vehicle_unavailable",
      note: "Көлік жөндеуде",
    });
    const cancelled = await waitForMail(email, /отменено/);
    expect(cancelled.text).toContain("Причина: автомобиль недоступен — Көлік жөндеуде.");
    const after = await waitForSms(phone, 2);
    expect(after[0]!.text).toMatch(/ОТМЕНЕНО: автомобиль недоступен\./);
  });

  it("a refused booking (a clash) notifies nobody", async () => {
    const { s, instructor, vehicleId, traineeId, phone } = await setup();
    const other = await s.director.trainees.create({ school: s.slug, ...traineeInput({ phone: "+77079998877" }) });
    await s.director.training.changeStatus({ school: s.slug, traineeId: other.id, to: "enrolled" });
    const date = addDays(almatyDate(new Date()), 3);
    await s.director.training.bookLesson({
      school: s.slug,
      traineeId,
      instructorId: instructor.userId,
      vehicleId,
      date,
      time: "09:00",
      minutes: 60,
    });
    await expect(
      s.director.training.bookLesson({
        school: s.slug,
        traineeId: other.id,
        instructorId: instructor.userId,
        vehicleId,
        date,
        time: "09:30",
        minutes: 60,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await waitForSms(phone, 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await fetchGatewaySms(testState.sms!.url, "+77079998877")).toEqual([]);
  });

  it("reminds the day before, once per lesson however often the daily job runs", async () => {
    const { s, instructor, vehicleId, traineeId, phone } = await setup();
    const today = almatyDate(new Date());
    await s.director.training.bookLesson({
      school: s.slug,
      traineeId,
      instructorId: instructor.userId,
      vehicleId,
      date: addDays(today, 1),
      time: "16:00",
      minutes: 60,
    });
    await waitForSms(phone, 1); // the booking notice
    expect(await queueReminders(today)).toBeGreaterThanOrEqual(1);
    expect(await queueReminders(today)).toBeGreaterThanOrEqual(1);
    const list = await waitForSms(phone, 2);
    await new Promise((r) => setTimeout(r, 1500));
    const reminders = (await fetchGatewaySms(testState.sms!.url, phone)).filter((m) => /завтра|ертең/.test(m.text));
    expect(reminders).toHaveLength(1);
    expect(list.length).toBe(2);
  });
});

it("an SMS job run twice sends one SMS", async () => {
  const to = "+77015550011";
  const job = { id: `sms.test.${randomUUID()}`, data: { to, text: "Тест" } } as unknown as Job<{
    to: string;
    text: string;
  }>;
  expect(await processSms(job)).toBe("sent");
  expect(await processSms(job)).toBe("already-sent");
  expect(await fetchGatewaySms(testState.sms!.url, to)).toHaveLength(1);
});
