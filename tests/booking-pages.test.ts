// Booking a driving lesson as the web serves it to a browser without JavaScript: the week's lessons offer a
// button to the booking form, a page of its own (the week no longer carries every trainee as an option); a
// booked lesson shows in its week with a note, a clash comes back under the form with what was typed, in kk and ru.
import { addDays, almatyDate, mondayOf } from "../domain/kz/time.ts";
import { createSchool } from "./factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "./lessons.ts";
import { postForm, signedInCookie, visible, webAppAround } from "./web.ts";

const web = webAppAround();

const get = (path: string, cookie: string) => fetch(`${web.base}${path}`, { headers: { cookie } });
const href = (url: string) => `href="${url.replaceAll("&", "&amp;")}"`;
const dmy = (iso: string) => iso.split("-").reverse().join(".");

describe("booking a driving lesson in the browser", () => {
  it("the week links to the booking form, which books into the week; a clash is refused in kk and ru with what was typed", async () => {
    const s = await createSchool();
    const nurlan = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
    const car = await addVehicle(s.schoolId, { plate: "404KZ02" });
    const dauren = await enrolledTrainee(s, { lastName: "Сәрсенов", firstName: "Дәурен" });
    const aigul = await enrolledTrainee(s, { lastName: "Қасымова", firstName: "Айгүл" });
    const date = addDays(almatyDate(new Date()), 2);
    const monday = mondayOf(date);
    const base = `/s/${s.slug}/lessons`;
    const ru = await signedInCookie(s.userId, "ru");

    // The week: a button to the form, the instructor filter, and no trainee to choose from.
    const week = await (await get(`${base}?week=${monday}`, ru)).text();
    expect(week).toContain(href(`${base}/book?week=${monday}`));
    expect(week).toContain(`<option value="${nurlan.userId}">Ерланов Нұрлан</option>`);
    expect(week).not.toContain('name="traineeId"');
    expect(week).not.toContain("Сәрсенов");
    // Filtered to one instructor, the button chooses them in the form.
    const filtered = await (await get(`${base}?week=${monday}&instructor=${nurlan.userId}`, ru)).text();
    expect(filtered).toContain(href(`${base}/book?week=${monday}&instructorId=${nurlan.userId}`));
    const chosen = await (await get(`${base}/book?week=${monday}&instructorId=${nurlan.userId}`, ru)).text();
    expect(chosen).toMatch(new RegExp(`<option value="${nurlan.userId}" selected="">`));

    // The form offers the trainees in training; booking one goes to the lesson's week, which shows it.
    const form = await (await get(`${base}/book?week=${monday}`, ru)).text();
    expect(visible(form)).toContain("Записать на вождение");
    expect(form).toContain(`<option value="${dauren}">Сәрсенов Дәурен · B · Механическая</option>`);
    expect(form).toContain(href(`${base}?week=${monday}`));
    const fields = { intent: "book", instructorId: nurlan.userId, vehicleId: car, date, minutes: "90", weeks: "1" };
    const booked = await fetch(
      `${web.base}${base}/book`,
      postForm(ru, { ...fields, traineeId: dauren, time: "10:00" }),
    );
    expect(booked.status).toBe(302);
    expect(booked.headers.get("location")).toBe(`${base}?week=${monday}&booked=1`);
    const after = visible(await (await get(booked.headers.get("location")!, ru)).text());
    expect(after).toContain("Занятие записано");
    expect(after).toMatch(/10:00 .*?11:30 .*?Сәрсенов Дәурен/);

    // Айгүл with the same instructor at 10:30: refused under the form, with her and 10:30 still chosen, in ru and kk.
    const clash = () => ({ ...fields, traineeId: aigul, time: "10:30" });
    const inRu = await fetch(`${web.base}${base}/book`, postForm(ru, clash()));
    expect(inRu.status).toBe(200);
    const refused = await inRu.text();
    expect(refused).toContain(`Мастер Ерланов Нұрлан уже занят ${dmy(date)} с 10:00 до 11:30`);
    expect(refused).toMatch(new RegExp(`<option value="${aigul}" selected="">`));
    expect(refused).toContain('value="10:30"');
    const kk = await signedInCookie(s.userId, "kk");
    const inKk = await (await fetch(`${web.base}${base}/book`, postForm(kk, clash()))).text();
    expect(inKk).toContain(`Ерланов Нұрлан шебері ${dmy(date)} күні 10:00–11:30 аралығында бос емес`);
    expect(inKk).toContain("Жүргізу сабағына жазу");
  });

  it("an instructor's week has no booking button, and the form is not theirs", async () => {
    const s = await createSchool();
    const nurlan = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
    const cookie = await signedInCookie(nurlan.userId, "ru");
    const week = await (await get(`/s/${s.slug}/lessons`, cookie)).text();
    expect(week).toContain("Мои занятия");
    expect(week).not.toContain("/lessons/book");
    expect((await get(`/s/${s.slug}/lessons/book`, cookie)).status).toBe(403);
  });
});
