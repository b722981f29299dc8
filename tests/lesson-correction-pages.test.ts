// Correcting a lesson's mark as the web serves it to a browser without JavaScript: a marked lesson in the week
// carries a link to the correction's page (not a hidden form a lesson); the page asks why, refuses without a
// reason in kk and ru keeping what was typed, and back in the week the lesson shows its new mark.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../server/db/client.ts";
import { almatyDate, mondayOf } from "../domain/kz/time.ts";
import { createSchool } from "./factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "./lessons.ts";
import { postForm, signedInCookie, visible, webAppAround } from "./web.ts";

const web = webAppAround();

const get = (path: string, cookie: string) => fetch(`${web.base}${path}`, { headers: { cookie } });
const href = (url: string) => `href="${url.replaceAll("&", "&amp;")}"`;

/**
 * Дәурен's 90-minute lesson with Нұрлан in 404KZ02, starting `hoursFromNow` (negative: in the past), written as
 * it stands (`mark`) straight into the school's schedule.
 */
async function lessonOf(
  s: Awaited<ReturnType<typeof createSchool>>,
  hoursFromNow: number,
  mark: { status: "done"; note: string; markedAt: Date } | Record<string, never> = {},
) {
  const nurlan = await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
  const car = await addVehicle(s.schoolId, { plate: "404KZ02" });
  const dauren = await enrolledTrainee(s, { lastName: "Сәрсенов", firstName: "Дәурен" });
  const id = randomUUID();
  const startsAt = new Date(Date.now() + hoursFromNow * 3600_000);
  await operatorDb().drivingLesson.create({
    data: {
      id,
      schoolId: s.schoolId,
      traineeId: dauren,
      instructorId: nurlan.userId,
      vehicleId: car,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 90 * 60_000),
      bookedBy: s.userId,
      ...mark,
    },
  });
  return { lessonId: id, startsAt, nurlan };
}

describe("correcting a lesson's mark in the browser", () => {
  it("the week links a marked lesson to its correction's page, which asks why and changes the mark", async () => {
    const s = await createSchool();
    // A lesson that ended two hours ago, marked done with a note.
    const { lessonId, startsAt, nurlan } = await lessonOf(s, -3.5, {
      status: "done",
      note: "город",
      markedAt: new Date(),
    });
    const week = `/s/${s.slug}/lessons?week=${mondayOf(almatyDate(startsAt))}`;
    // From the whole week the page goes back to the lesson's week by itself; a filtered week says where.
    const correct = `/s/${s.slug}/lessons/${lessonId}/correct`;
    let ru = await signedInCookie(s.userId, "ru");

    // The week: the lesson, done, with a link to correct it and no mark form of its own.
    const before = await (await get(week, ru)).text();
    expect(visible(before)).toMatch(/Сәрсенов Дәурен .*?Состоялось · город .*?Исправить отметку/);
    expect(before).toContain(href(correct));
    expect(before).not.toContain('name="reason"');
    const filtered = `${week}&instructor=${nurlan.userId}`;
    expect(await (await get(filtered, ru)).text()).toContain(href(`${correct}?back=${encodeURIComponent(filtered)}`));

    // The page: the lesson and its mark, the note to keep, a reason to give.
    const page = await (await get(correct, ru)).text();
    expect(visible(page)).toContain("курсант Сәрсенов Дәурен, мастер Ерланов Нұрлан. Сейчас отмечено: «Состоялось»");
    expect(page).toContain('value="город"');

    // Without a reason: refused under the field, the note as typed, in ru and in kk; the mark stays.
    const noReason = { back: week, note: "город, дождь", reason: "", status: "missed" };
    const inRu = await fetch(`${web.base}/s/${s.slug}/lessons/${lessonId}/correct`, postForm(ru, noReason));
    expect(inRu.status).toBe(200);
    const refused = await inRu.text();
    expect(visible(refused)).toContain("чтобы исправить отметку, укажите причину");
    expect(refused).toContain('value="город, дождь"');
    const kk = await signedInCookie(s.userId, "kk");
    const inKk = await (
      await fetch(`${web.base}/s/${s.slug}/lessons/${lessonId}/correct`, postForm(kk, noReason))
    ).text();
    expect(visible(inKk)).toContain("Белгіні түзету");
    expect(visible(inKk)).toContain("белгіні түзету үшін себебін көрсетіңіз");
    expect((await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id: lessonId } })).status).toBe("done");
    ru = await signedInCookie(s.userId, "ru"); // the director's language is Russian again

    // With the reason: back to the week, which says so and shows the lesson missed.
    const done = await fetch(
      `${web.base}/s/${s.slug}/lessons/${lessonId}/correct`,
      postForm(ru, { ...noReason, reason: "перепутал курсантов" }),
    );
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`${week}&marked=1`);
    const after = visible(await (await get(done.headers.get("location")!, ru)).text());
    expect(after).toContain("Отметка сохранена");
    expect(after).toMatch(/Сәрсенов Дәурен .*?Пропущено · город, дождь/);
  });

  it("a lesson not yet marked has nothing to correct; another school's lesson is not found", async () => {
    const s = await createSchool();
    const other = await createSchool();
    const { lessonId } = await lessonOf(s, 48);
    const ru = await signedInCookie(s.userId, "ru");
    const page = visible(await (await get(`/s/${s.slug}/lessons/${lessonId}/correct`, ru)).text());
    expect(page).toMatch(/Исправить можно только отмеченное занятие \( ?Запланировано ?\)/);
    expect(page).not.toContain("Причина исправления");
    // The other school's director asks for it under their own school: RLS hides it.
    const theirs = await signedInCookie(other.userId, "ru");
    expect((await get(`/s/${other.slug}/lessons/${lessonId}/correct`, theirs)).status).toBe(404);
  });
});
