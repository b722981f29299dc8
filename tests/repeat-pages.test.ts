// A driving lesson repeated weekly, as the web serves it to a browser without JavaScript (ADR 034): the booking
// form with "3 weeks" leads to the preview, which shows each week and the clash in the office's language; the
// confirm books the free weeks and lists what was booked and what was not; posting it again books nothing twice.
import { operatorDb } from "../server/db/client.ts";
import { addDays, almatyDate } from "../domain/kz/time.ts";
import { createSchool } from "./factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "./lessons.ts";
import { postForm, signedInCookie, webAppAround } from "./web.ts";

const web = webAppAround();
const dmy = (iso: string) => iso.split("-").reverse().join(".");
const get = async (path: string, cookie: string) => (await fetch(`${web.base}${path}`, { headers: { cookie } })).text();

describe("booking a driving lesson weekly in the browser", () => {
  it("previews the weeks with the clash, books the free ones, and a second confirm books nothing new", async () => {
    const s = await createSchool();
    const nurlan = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
    const car = await addVehicle(s.schoolId, { plate: "404KZ02" });
    const car2 = await addVehicle(s.schoolId, { plate: "505KZ02" });
    const dauren = await enrolledTrainee(s, { lastName: "Сәрсенов", firstName: "Дәурен" });
    const aigul = await enrolledTrainee(s, { lastName: "Қасымова", firstName: "Айгүл" });
    const date = addDays(almatyDate(new Date()), 2);
    const busy = addDays(date, 7);
    await s.director.training.bookLesson({
      school: s.slug,
      traineeId: aigul,
      instructorId: nurlan.userId,
      vehicleId: car2,
      date: busy,
      time: "10:30",
      minutes: 90,
    });
    const cookie = await signedInCookie(s.userId, "ru");
    const booking = `${web.base}/s/${s.slug}/lessons/book`;

    // The booking form offers the weeks; 3 weeks leads to the preview instead of booking.
    expect(await get(`/s/${s.slug}/lessons/book`, cookie)).toContain("Повтор: недель подряд");
    const form = {
      intent: "book",
      traineeId: dauren,
      instructorId: nurlan.userId,
      vehicleId: car,
      date,
      time: "10:00",
      minutes: "90",
      weeks: "3",
    };
    const sent = await fetch(booking, postForm(cookie, form));
    expect(sent.status).toBe(302);
    const preview = sent.headers.get("location")!;
    expect(preview).toMatch(new RegExp(`^/s/${s.slug}/lessons/repeat\\?`));
    expect(await operatorDb().drivingLesson.count({ where: { traineeId: dauren } })).toBe(0);

    const page = await get(preview, cookie);
    expect(page).toContain("Вождение каждую неделю");
    expect(page).toMatch(new RegExp(`data-date="${date}">.*?${dmy(date)}.*?10:00–11:30.*?Свободно`));
    expect(page).toMatch(
      new RegExp(`data-date="${busy}">.*?${dmy(busy)}.*?Нельзя.*?Мастер Ерланов Нұрлан уже занят ${dmy(busy)} с 10:30`),
    );
    expect(page).toContain("Записать свободные: 2");
    // "Change" goes back to the booking form with the series' fields filled.
    const change = page.match(/href="(\/s\/[^"]+\/lessons\/book\?[^"]+)"/)?.[1]?.replaceAll("&amp;", "&");
    const changing = await get(change ?? "(no link)", cookie);
    expect(changing).toContain('<option value="3" selected="">3</option>');
    expect(changing).toContain(`value="${date}"`);
    expect(changing).toMatch(new RegExp(`<option value="${dauren}" selected="">`));

    const kk = await get(preview, await signedInCookie(s.userId, "kk"));
    expect(kk).toContain("Бос апталарға жазу: 2");
    expect(kk).toContain(`Ерланов Нұрлан шебері ${dmy(busy)} күні 10:30–12:00 аралығында бос емес`);
    await signedInCookie(s.userId, "ru");

    // The confirm: two booked, one refused, listed.
    const { intent: _intent, ...series } = form;
    const confirm = await fetch(`${web.base}${preview}`, postForm(cookie, series));
    expect(confirm.status).toBe(200);
    const result = await confirm.text();
    expect(result).toContain("Записано занятий: 2. Не записано: 1. Уже были записаны: 0.");
    expect(result).toMatch(new RegExp(`data-date="${addDays(date, 14)}">.*?Записано`));
    expect(await operatorDb().drivingLesson.count({ where: { traineeId: dauren } })).toBe(2);

    // Posted again (a double click, the back button): nothing booked twice.
    const again = await (await fetch(`${web.base}${preview}`, postForm(cookie, series))).text();
    expect(again).toContain("Записано занятий: 0. Не записано: 1. Уже были записаны: 2.");
    expect(await operatorDb().drivingLesson.count({ where: { traineeId: dauren } })).toBe(2);
  });

  it("a bad number of weeks is refused under the field of the booking form", async () => {
    const s = await createSchool();
    const instructorId = (await addInstructor(s.schoolId)).userId;
    const vehicleId = await addVehicle(s.schoolId, { plate: "404KZ02" });
    const traineeId = await enrolledTrainee(s);
    const cookie = await signedInCookie(s.userId, "ru");
    const date = addDays(almatyDate(new Date()), 2);
    const form = {
      intent: "book",
      traineeId,
      instructorId,
      vehicleId,
      date,
      time: "10:00",
      minutes: "90",
      weeks: "13",
    };
    const res = await fetch(`${web.base}/s/${s.slug}/lessons/book`, postForm(cookie, form));
    expect(await res.text()).toContain("Повторить можно на 1–12 недель");
  });
});
