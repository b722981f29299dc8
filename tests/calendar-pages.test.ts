// "Calendar on my phone" as the web serves it (ADR 033), read over HTTP as a browser without JavaScript would:
// the instructor's box makes an address shown once, the .ics answers with the lessons and the right headers,
// the office turns an instructor's feed off, the trainee's cabinet has the same box; kk and ru.
import { addDays, almatyDate } from "../domain/kz/time.ts";
import { createSchool } from "./factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "./lessons.ts";
import { traineeWithLogin } from "./security/world.ts";
import { postForm, signedInCookie, webAppAround } from "./web.ts";

const web = webAppAround();

const get = async (path: string, cookie: string) => (await fetch(`${web.base}${path}`, { headers: { cookie } })).text();
/** The feed's path in a page: the address is shown once, in a read-only field and as a webcal:// link. */
const feedPath = (html: string) => html.match(/webcal:\/\/[^"/]+(\/cal\/[A-Za-z0-9_-]{43}\.ics)"/)?.[1];

async function school() {
  const s = await createSchool();
  const nurlan = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
  const car = await addVehicle(s.schoolId, { plate: "404KZ02" });
  const dauren = await enrolledTrainee(s, { lastName: "Сәрсенбаев", firstName: "Дәурен" });
  const date = addDays(almatyDate(new Date()), 2);
  await s.director.training.bookLesson({
    school: s.slug,
    traineeId: dauren,
    instructorId: nurlan.userId,
    vehicleId: car,
    date,
    time: "10:00",
    minutes: 90,
  });
  return { s, nurlan, car, date };
}

describe("the calendar box", () => {
  it("an instructor makes an address, the .ics serves their lessons, and revoking makes it a plain 404", async () => {
    const { s, nurlan } = await school();
    const ru = await signedInCookie(nurlan.userId, "ru");
    const page = `/s/${s.slug}/calendar`;
    const empty = await get(page, ru);
    expect(empty).toContain("Календарь в телефоне");
    expect(empty).toContain("Ссылки пока нет.");
    expect(empty).toContain("Создать ссылку");
    expect(empty).toContain("iPhone");
    // The instructor is not the office: no list of others' feeds.
    expect(empty).not.toContain('data-testid="calendar-office"');
    // The lessons page (where an instructor lands) links here.
    expect(await get(`/s/${s.slug}/lessons`, ru)).toContain(`href="/s/${s.slug}/calendar"`);

    const made = await (await fetch(`${web.base}${page}`, postForm(ru, { intent: "calendar-create" }))).text();
    expect(made).toContain("Ссылка показана один раз");
    expect(made).toContain("Добавить в календарь");
    const path = feedPath(made)!;
    expect(path).toBeTruthy();
    expect(made).toContain(`${path}"`);

    const ics = await fetch(`${web.base}${path}`);
    expect(ics.status).toBe(200);
    expect(ics.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(ics.headers.get("cache-control")).toBe("private, max-age=300");
    const body = await ics.text();
    expect(body.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(body.replace(/\r\n /g, "")).toContain("SUMMARY:Вождение: Сәрсенбаев Д. · 404KZ02");

    // Later the box says a feed is live (never the address again).
    const later = await get(page, ru);
    expect(later).toContain("Ссылка действует с");
    expect(feedPath(later)).toBeUndefined();

    const revoked = await (await fetch(`${web.base}${page}`, postForm(ru, { intent: "calendar-revoke" }))).text();
    expect(revoked).toContain("Ссылка отключена");
    const gone = await fetch(`${web.base}${path}`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await gone.text()).toBe("Not found\n");
    expect((await fetch(`${web.base}/cal/not-a-token.ics`)).status).toBe(404);

    // In Kazakh (the language is saved on the account, so this comes last).
    const kk = await get(page, await signedInCookie(nurlan.userId, "kk"));
    expect(kk).toContain("Телефондағы күнтізбе");
    expect(kk).toContain("Сілтеме");
    expect(kk).toContain("Сілтеме жасау");
  });

  it("the office sees the instructors' live feeds and turns one off", async () => {
    const { s, nurlan } = await school();
    const mine = await signedInCookie(nurlan.userId, "kk");
    const path = feedPath(
      await (await fetch(`${web.base}/s/${s.slug}/calendar`, postForm(mine, { intent: "calendar-create" }))).text(),
    )!;
    expect((await fetch(`${web.base}${path}`)).status).toBe(200);
    const director = await signedInCookie(s.userId, "ru");
    const office = await get(`/s/${s.slug}/calendar`, director);
    expect(office).toContain("Календари инструкторов");
    expect(office).toMatch(/Ерланов Нұрлан<\/td>/);
    // A director who does not drive has no box of their own.
    expect(office).not.toContain('data-testid="calendar-feed"');
    const done = await (
      await fetch(
        `${web.base}/s/${s.slug}/calendar`,
        postForm(director, { intent: "calendar-revoke-instructor", userId: nurlan.userId }),
      )
    ).text();
    expect(done).toContain("Ссылка инструктора отключена.");
    expect(done).toContain("Ни у кого из инструкторов нет ссылки.");
    expect((await fetch(`${web.base}${path}`)).status).toBe(404);
  });

  it("a trainee has the same box in the cabinet", async () => {
    const { s } = await school();
    const me = await traineeWithLogin(s, "Төлегенов");
    const kk = await signedInCookie(me.userId, "kk");
    const cabinet = await get(`/t/${s.slug}`, kk);
    expect(cabinet).toContain("Телефондағы күнтізбе");
    expect(cabinet).toContain("Жүргізу және теория сабақтарыңыз");
    const made = await (await fetch(`${web.base}/t/${s.slug}`, postForm(kk, { intent: "calendar-create" }))).text();
    expect(made).toContain("Күнтізбеге қосу");
    const path = feedPath(made)!;
    const ics = await fetch(`${web.base}${path}`);
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain("X-WR-CALNAME:Менің сабақтарым");
    await fetch(`${web.base}/t/${s.slug}`, postForm(kk, { intent: "calendar-revoke" }));
    expect((await fetch(`${web.base}${path}`)).status).toBe(404);
  });
});
