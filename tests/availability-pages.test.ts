// Working hours, absences and a car's days out of work as the web serves them (ADR 032), read over HTTP as a
// browser without JavaScript would: the grid shades unavailable time and offers no booking there; the staff and
// vehicle pages set them, warn about lessons already booked inside, and an instructor reads their own only.
import { operatorDb } from "../server/db/client.ts";
import { addDays, almatyDate, mondayOf } from "../domain/kz/time.ts";
import { isoWeekday } from "../server/booking/fit.ts";
import { callerFor, createSchool } from "./factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "./lessons.ts";
import { postForm, signedInCookie, webAppAround } from "./web.ts";

const web = webAppAround();

const get = async (path: string, cookie: string) => (await fetch(`${web.base}${path}`, { headers: { cookie } })).text();
const href = (url: string) => `href="${url.replaceAll("&", "&amp;")}"`;
const dmy = (iso: string) => iso.split("-").reverse().join(".");

async function school() {
  const s = await createSchool();
  const nurlan = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
  const car = await addVehicle(s.schoolId, { plate: "404KZ02" });
  const dauren = await enrolledTrainee(s, { lastName: "Сәрсенов", firstName: "Дәурен" });
  const date = addDays(almatyDate(new Date()), 2);
  return { s, nurlan, car, dauren, date, monday: mondayOf(date) };
}

describe("the week grid shades unavailable time", () => {
  it("outside the working hours and on a day off there is no free cell to book, and a legend says why, in ru and kk", async () => {
    const { s, nurlan, date, monday } = await school();
    const weekday = isoWeekday(date);
    await s.director.availability.saveHours({
      school: s.slug,
      userId: nurlan.userId,
      hours: [{ weekday, starts: "09:00", ends: "18:00" }],
    });
    const cookie = await signedInCookie(s.userId, "ru");
    const page = await get(`/s/${s.slug}/lessons/grid?by=instructor&id=${nurlan.userId}&week=${monday}`, cookie);
    const bookAt = (day: string, time: string) =>
      `/s/${s.slug}/lessons/book?${new URLSearchParams({ week: monday, date: day, time, instructorId: nurlan.userId })}`;
    expect(page).toContain(href(bookAt(date, "09:00")));
    expect(page).toContain(href(bookAt(date, "17:30")));
    expect(page).not.toContain(href(bookAt(date, "08:00")));
    expect(page).not.toContain(href(bookAt(date, "18:00")));
    expect(page).toMatch(new RegExp(`data-testid="grid-off" data-day="${date}" data-start="07:00"`));
    expect(page).toMatch(new RegExp(`data-testid="grid-off" data-day="${date}" data-start="18:00"`));
    // Every other weekday is a day off: the next day is shaded whole and offers nothing.
    const next = addDays(date, 1);
    if (mondayOf(next) === monday) expect(page).not.toContain(href(bookAt(next, "10:00")));
    expect(page).toContain("Заштриховано — записать нельзя:");
    expect(page).toContain("нерабочее время");

    const kk = await get(
      `/s/${s.slug}/lessons/grid?by=instructor&id=${nurlan.userId}&day=${date}`,
      await signedInCookie(s.userId, "kk"),
    );
    expect(kk).toContain("Штрихталған — жазуға болмайды:");
  });

  it("an absence and a car's service day shade the whole day, naming the reason", async () => {
    const { s, nurlan, car, date } = await school();
    await s.director.availability.addAbsence({
      school: s.slug,
      userId: nurlan.userId,
      startsOn: date,
      endsOn: date,
      reason: "leave",
    });
    await s.director.availability.addDowntime({
      school: s.slug,
      vehicleId: car,
      startsOn: date,
      endsOn: date,
      reason: "inspection",
    });
    const cookie = await signedInCookie(s.userId, "ru");
    const byInstructor = await get(`/s/${s.slug}/lessons/grid?by=instructor&id=${nurlan.userId}&day=${date}`, cookie);
    expect(byInstructor).toContain("Отсутствует: Отпуск");
    expect(byInstructor).not.toContain("/lessons/book?");
    const byCar = await get(`/s/${s.slug}/lessons/grid?by=vehicle&id=${car}&day=${date}`, cookie);
    expect(byCar).toContain("Недоступен: Техосмотр");
    expect(byCar).not.toContain("/lessons/book?");
    expect(byCar).toContain("автомобиль недоступен");
  });
});

describe("the staff and vehicle pages", () => {
  it("the office saves hours, adds an absence over a booked lesson and is told to move it, then removes it", async () => {
    const { s, nurlan, car, dauren, date, monday } = await school();
    await s.director.training.bookLesson({
      school: s.slug,
      traineeId: dauren,
      instructorId: nurlan.userId,
      vehicleId: car,
      date,
      time: "10:00",
      minutes: 90,
    });
    const cookie = await signedInCookie(s.userId, "ru");
    const url = `${web.base}/s/${s.slug}/staff/${nurlan.userId}`;
    const page = await get(`/s/${s.slug}/staff/${nurlan.userId}`, cookie);
    expect(page).toContain("Рабочие часы");
    expect(page).toContain("Часы не заданы — мастера можно записать в любое время.");

    const hours = await fetch(
      url,
      postForm(cookie, { intent: "hours", h1s0: "08:00", h1e0: "13:00", h1s1: "12:00", h1e1: "18:00" }),
    );
    expect(hours.status).toBe(400);
    expect(await hours.text()).toContain("Интервалы одного дня не должны пересекаться");
    const saved = await fetch(
      url,
      postForm(cookie, { intent: "hours", h1s0: "08:00", h1e0: "13:00", h1s1: "14:00", h1e1: "20:00" }),
    );
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Рабочие часы сохранены");
    expect(await operatorDb().instructorHours.count({ where: { userId: nurlan.userId } })).toBe(2);

    const added = await fetch(
      url,
      postForm(cookie, { intent: "addPeriod", startsOn: date, endsOn: addDays(date, 1), reason: "sick", note: "" }),
    );
    const html = await added.text();
    expect(html).toContain("Отсутствие добавлено");
    expect(html).toContain("На эти дни записано занятий: 1. Они не отменены — перенесите их.");
    expect(html).toContain(href(`/s/${s.slug}/lessons/grid?by=instructor&id=${nurlan.userId}&week=${monday}`));
    expect(html).toContain(`${dmy(date)}–${dmy(addDays(date, 1))}`);
    expect(await operatorDb().drivingLesson.count({ where: { instructorId: nurlan.userId, status: "booked" } })).toBe(
      1,
    );

    const absence = await operatorDb().instructorAbsence.findFirstOrThrow({ where: { userId: nurlan.userId } });
    const removed = await fetch(url, postForm(cookie, { intent: "removePeriod", id: absence.id }));
    expect(await removed.text()).toContain("Отсутствие удалено");
    expect(await operatorDb().instructorAbsence.count({ where: { userId: nurlan.userId } })).toBe(0);
  });

  it("the vehicle page adds a service period in kk and refuses one ending before it starts", async () => {
    const { s, car, date } = await school();
    const cookie = await signedInCookie(s.userId, "kk");
    const url = `${web.base}/s/${s.slug}/vehicles/${car}`;
    expect(await get(`/s/${s.slug}/vehicles/${car}`, cookie)).toContain("Жұмыста емес");
    const bad = await fetch(
      url,
      postForm(cookie, { intent: "addPeriod", startsOn: addDays(date, 2), endsOn: date, reason: "service", note: "" }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Аяқталуы басталуынан бұрын болмауы керек");
    const ok = await fetch(
      url,
      postForm(cookie, { intent: "addPeriod", startsOn: date, endsOn: date, reason: "service", note: "ТО" }),
    );
    const html = await ok.text();
    expect(html).toContain("Кезең қосылды");
    expect(html).toContain("Техникалық қызмет, жөндеу");
  });

  it("an instructor reads their own hours without a form to change them, and cannot post one", async () => {
    const { s, nurlan } = await school();
    await s.director.availability.saveHours({
      school: s.slug,
      userId: nurlan.userId,
      hours: [{ weekday: 2, starts: "08:00", ends: "17:00" }],
    });
    await callerFor(nurlan.userId);
    const cookie = await signedInCookie(nurlan.userId, "ru");
    const page = await get(`/s/${s.slug}/staff/${nurlan.userId}`, cookie);
    expect(page).toContain('value="08:00"');
    expect(page).toContain("Изменяет офис автошколы.");
    expect(page).not.toContain("Сохранить часы");
    expect(page).not.toContain("Добавить отсутствие");
    const post = await fetch(
      `${web.base}/s/${s.slug}/staff/${nurlan.userId}`,
      postForm(cookie, { intent: "hours", h1s0: "00:00", h1e0: "23:00" }),
    );
    expect(post.status).toBe(403);
    expect(await operatorDb().instructorHours.count({ where: { userId: nurlan.userId } })).toBe(1);
  });
});
