// Issue 14's guard rails as the web serves them, read over HTTP as a browser without JavaScript would:
// cancelling a lesson goes through a confirm page that asks why, and practical-exam results read as
// penalty points.
import { operatorDb } from "../server/db/client.ts";
import { addDays, almatyDate, mondayOf } from "../domain/kz/time.ts";
import { createSchool } from "./factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "./lessons.ts";
import { postForm, signedInCookie, webAppAround } from "./web.ts";

const web = webAppAround();

describe("cancelling a driving lesson in the browser", () => {
  it("asks for a reason on a page of its own; without one nothing is cancelled, with one it is and the schedule says why", async () => {
    const s = await createSchool();
    const instructor = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
    const vehicleId = await addVehicle(s.schoolId, { plate: "404KZ02" });
    const traineeId = await enrolledTrainee(s, { lastName: "Сәрсенов", firstName: "Дәурен" });
    const date = addDays(almatyDate(new Date()), 2);
    const { id } = await s.director.training.bookLesson({
      school: s.slug,
      traineeId,
      instructorId: instructor.userId,
      vehicleId,
      date,
      time: "10:00",
      minutes: 90,
    });
    const cookie = await signedInCookie(s.userId, "ru");
    const week = `/s/${s.slug}/lessons?week=${mondayOf(date)}`;

    // The schedule's "cancel" is a link to the confirm page, not a one-tap form; the page goes back to the
    // lesson's week by itself.
    const schedule = await (await fetch(`${web.base}${week}`, { headers: { cookie } })).text();
    expect(schedule).toContain(`href="/s/${s.slug}/lessons/${id}/cancel"`);
    expect(schedule).not.toContain('name="intent" value="cancel"');

    const url = `${web.base}/s/${s.slug}/lessons/${id}/cancel?back=${encodeURIComponent(week)}`;
    const page = await (await fetch(url, { headers: { cookie } })).text();
    expect(page).not.toContain("\u0000");
    expect(page).toContain("Отмена занятия");
    expect(page).toContain(`Отменить занятие ${date.split("-").reverse().join(".")} 10:00–11:30?`);
    for (const r of [
      "Курсант заболел",
      "Мастер заболел",
      "Автомобиль недоступен",
      "Погодные условия",
      "Другая причина",
    ])
      expect(page).toContain(r);

    const bare = await fetch(url, postForm(cookie, { back: week, note: "" }));
    expect(bare.status).toBe(200);
    expect(await bare.text()).toContain("Выберите причину отмены");
    expect((await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id } })).status).toBe("booked");

    const done = await fetch(url, postForm(cookie, { back: week, reason: "weather", note: "Гололёд" }));
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`${week}&cancelled=1`);
    expect(await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "cancelled",
      cancelReason: "weather",
      cancelNote: "Гололёд",
    });
    const after = await (await fetch(`${web.base}${week}&cancelled=1`, { headers: { cookie } })).text();
    expect(after).toContain("Занятие отменено");
    expect(after).toContain("причина отмены: погодные условия — Гололёд");
  });
});

describe("the trainee card's lessons ahead", () => {
  it("lists the booked lessons still to come, and cancelling one from there comes back to the card", async () => {
    const s = await createSchool();
    const instructor = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
    const vehicleId = await addVehicle(s.schoolId, { plate: "505KZ02" });
    const traineeId = await enrolledTrainee(s, { lastName: "Тоқтаров", firstName: "Әли" });
    const date = addDays(almatyDate(new Date()), 3);
    const book = (time: string) =>
      s.director.training.bookLesson({
        school: s.slug,
        traineeId,
        instructorId: instructor.userId,
        vehicleId,
        date,
        time,
        minutes: 90,
      });
    const first = await book("09:00");
    await book("14:00");
    const card = `/s/${s.slug}/trainees/${traineeId}`;
    const cookie = await signedInCookie(s.userId, "kk");
    const html = (await (await fetch(`${web.base}${card}`, { headers: { cookie } })).text()).replaceAll("<!-- -->", "");
    const upcoming = html.slice(html.indexOf('data-testid="upcoming-lessons"'));
    const day = date.split("-").reverse().join(".");
    expect(html).toContain("Алдағы сабақтар");
    expect(upcoming.indexOf(`${day} 09:00–10:30`)).toBeGreaterThan(-1);
    expect(upcoming.indexOf(`${day} 14:00–15:30`)).toBeGreaterThan(upcoming.indexOf(`${day} 09:00–10:30`));
    expect(upcoming).toContain("Ерланов Нұрлан · 505KZ02");
    const cancelLink = `/s/${s.slug}/lessons/${first.id}/cancel?back=${encodeURIComponent(card)}`;
    expect(html).toContain(cancelLink.replaceAll("&", "&amp;"));

    const done = await fetch(`${web.base}${cancelLink}`, postForm(cookie, { back: card, reason: "trainee_ill" }));
    expect(done.headers.get("location")).toBe(`${card}?cancelled=1`);
    const after = (await (await fetch(`${web.base}${card}`, { headers: { cookie } })).text()).replaceAll(
      "<!-- -->",
      "",
    );
    const list = after.slice(after.indexOf('data-testid="upcoming-lessons"'));
    expect(list).not.toContain(`${day} 09:00–10:30`);
    expect(list).toContain(`${day} 14:00–15:30`);
  });
});

describe("practical exam results", () => {
  it("read as penalty points against the most allowed, on the results page and the trainee's history, in kk and ru", async () => {
    const s = await createSchool();
    const traineeId = await enrolledTrainee(s);
    await s.director.training.changeStatus({ school: s.slug, traineeId, to: "training" });
    await s.director.exams.enterResult({ school: s.slug, traineeId, kind: "practical", score: 4, maxScore: 5 });
    for (const [locale, text] of [
      ["ru", "штрафных баллов: 4 (допустимо не более 5)"],
      ["kk", "айып ұпайы: 4 (ең көбі 5 рұқсат етіледі)"],
    ] as const) {
      const cookie = await signedInCookie(s.userId, locale);
      for (const path of [`/s/${s.slug}/exams?trainee=${traineeId}`, `/s/${s.slug}/trainees/${traineeId}`]) {
        const html = await (await fetch(`${web.base}${path}`, { headers: { cookie } })).text();
        expect(html, `${locale} ${path}`).toContain(text);
        expect(html, `${locale} ${path}`).not.toMatch(/5 ішінен 4|4 из 5/);
      }
    }
  });
});
