// The driving lessons' week grid and the move page as the web serves them, read over HTTP as a browser
// without JavaScript would (issue 14): booked lessons in their cells, free cells linking to a pre-filled
// booking form (its own page) that books into the week, an instructor's own grid only, and moving a lesson with a
// clash refused in kk and ru.
import { operatorDb } from "../server/db/client.ts";
import { addDays, almatyDate, mondayOf } from "../domain/kz/time.ts";
import { createSchool } from "./factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "./lessons.ts";
import { postForm, signedInCookie, webAppAround } from "./web.ts";

const web = webAppAround();

const get = async (path: string, cookie: string) => (await fetch(`${web.base}${path}`, { headers: { cookie } })).text();
/** An href as React writes it into the HTML. */
const href = (url: string) => `href="${url.replaceAll("&", "&amp;")}"`;
const dmy = (iso: string) => iso.split("-").reverse().join(".");

async function school() {
  const s = await createSchool();
  const nurlan = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
  const bakyt = await addInstructor(s.schoolId, { fullName: "Әлиев Бақыт" });
  const car = await addVehicle(s.schoolId, { plate: "404KZ02" });
  const car2 = await addVehicle(s.schoolId, { plate: "505KZ02" });
  const dauren = await enrolledTrainee(s, { lastName: "Сәрсенов", firstName: "Дәурен" });
  const aigul = await enrolledTrainee(s, { lastName: "Қасымова", firstName: "Айгүл" });
  const date = addDays(almatyDate(new Date()), 2);
  const book = (traineeId: string, instructorId: string, vehicleId: string, time: string) =>
    s.director.training.bookLesson({ school: s.slug, traineeId, instructorId, vehicleId, date, time, minutes: 90 });
  const first = await book(dauren, nurlan.userId, car, "10:00");
  const second = await book(aigul, bakyt.userId, car2, "14:00");
  return { s, nurlan, bakyt, car, car2, date, monday: mondayOf(date), first, second };
}

describe("the week grid of driving lessons", () => {
  it("shows a booked lesson in its cell, by instructor and by car, and free cells link to the booking form pre-filled", async () => {
    const { s, nurlan, car, date, monday } = await school();
    const cookie = await signedInCookie(s.userId, "ru");
    const grid = `/s/${s.slug}/lessons/grid`;

    const week = await get(`${grid}?by=instructor&id=${nurlan.userId}&week=${monday}`, cookie);
    expect(week).toContain("Сетка недели");
    expect(week).toMatch(
      new RegExp(`data-start="10:00" data-day="${date}">.*?10:00–11:30.*?Сәрсенов Дәурен.*?404KZ02.*?Запланировано`),
    );
    // Only this instructor's lessons: Бақыт's 14:00 is not in Нұрлан's grid.
    expect(week).not.toContain("Қасымова");
    const bookAt = (time: string, key: "instructorId" | "vehicleId", id: string) =>
      `/s/${s.slug}/lessons/book?${new URLSearchParams({ week: monday, date, time, [key]: id })}`;
    expect(week).toContain(href(bookAt("11:30", "instructorId", nurlan.userId)));
    expect(week).toContain(href(bookAt("09:30", "instructorId", nurlan.userId)));
    // The lesson's own time is not free.
    expect(week).not.toContain(href(bookAt("10:00", "instructorId", nurlan.userId)));
    expect(week).not.toContain(href(bookAt("11:00", "instructorId", nurlan.userId)));
    // A link to move the lesson.
    expect(week).toContain(`/s/${s.slug}/lessons/`);
    expect(week).toMatch(/\/move\?back=/);

    const byCar = await get(`${grid}?by=vehicle&id=${car}&week=${monday}`, cookie);
    expect(byCar).toMatch(/Сәрсенов Дәурен.*?Ерланов Нұрлан/);
    expect(byCar).toContain(href(bookAt("12:00", "vehicleId", car)));

    // The phone's view: one day, one column.
    const day = await get(`${grid}?by=instructor&id=${nurlan.userId}&day=${date}`, cookie);
    expect(day).toContain("sched-grid one-day");
    expect(day).toContain("Сәрсенов Дәурен");
    expect(day).toContain("Следующий день →");

    // The booking form the free cell opens holds the date, the time and the instructor.
    const form = await get(bookAt("11:30", "instructorId", nurlan.userId), cookie);
    expect(form).toContain("<h1>Записать на вождение</h1>");
    expect(form).toContain(`value="${date}"`);
    expect(form).toContain('value="11:30"');
    expect(form).toMatch(new RegExp(`<option value="${nurlan.userId}" selected="">`));
    // A link made when the form was on the week's page (a bookmark) goes on to it, still filled.
    const old = `/s/${s.slug}/lessons?${new URLSearchParams({ week: monday, date, time: "11:30", instructorId: nurlan.userId })}`;
    const moved = await fetch(`${web.base}${old}`, { headers: { cookie }, redirect: "manual" });
    expect(moved.headers.get("location")).toBe(bookAt("11:30", "instructorId", nurlan.userId));

    const kk = await get(
      `${grid}?by=instructor&id=${nurlan.userId}&week=${monday}`,
      await signedInCookie(s.userId, "kk"),
    );
    expect(kk).toContain("Апта кестесі");
    expect(kk).toContain("Көліктер бойынша");
    expect(kk).toContain("Жоспарланған");
  });

  it("an instructor sees their own grid only, whatever the link asks, and books nothing from it", async () => {
    const { s, nurlan, bakyt, monday } = await school();
    const cookie = await signedInCookie(bakyt.userId, "ru");
    for (const q of [`by=instructor&id=${nurlan.userId}`, "by=vehicle"]) {
      const html = await get(`/s/${s.slug}/lessons/grid?${q}&week=${monday}`, cookie);
      expect(html, q).toContain("Қасымова Айгүл");
      expect(html, q).not.toContain("Сәрсенов");
      expect(html, q).not.toContain("/lessons/book?");
      expect(html, q).not.toContain("/move?");
      expect(html, q).not.toContain("По автомобилям");
    }
  });
});

describe("moving a lesson in the browser", () => {
  it("refuses a clash under the field in kk, and moves it when the time is free", async () => {
    const { s, nurlan, car, date, first } = await school();
    const cookie = await signedInCookie(s.userId, "kk");
    const back = `/s/${s.slug}/lessons/grid?by=instructor&id=${nurlan.userId}&day=${date}`;
    const url = `${web.base}/s/${s.slug}/lessons/${first.id}/move?back=${encodeURIComponent(back)}`;
    const page = await (await fetch(url, { headers: { cookie } })).text();
    expect(page).toContain("Сабақты көшіру");
    expect(page).toContain('value="10:00"');

    // Нұрлан to 14:00 is free, but car 505KZ02 is Бақыт's then.
    const form = { back, date, time: "14:30", minutes: "90", instructorId: nurlan.userId, vehicleId: car };
    const car2 = (await operatorDb().vehicle.findFirstOrThrow({ where: { schoolId: s.schoolId, plate: "505KZ02" } }))
      .id;
    const clash = await fetch(url, postForm(cookie, { ...form, vehicleId: car2 }));
    expect(clash.status).toBe(200);
    expect(await clash.text()).toContain(`505KZ02 көлігі ${dmy(date)} күні 14:00–15:30 аралығында бос емес`);

    const moved = await fetch(url, postForm(cookie, form));
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBe(`${back}&moved=1`);
    const lesson = await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id: first.id } });
    expect(lesson.startsAt.toISOString()).toBe(new Date(`${date}T14:30:00+05:00`).toISOString());
    const after = await get(`${back}&moved=1`, cookie);
    expect(after).toContain("Сабақ көшірілді");
    expect(after).toMatch(/data-start="14:30"/);
  });
});
