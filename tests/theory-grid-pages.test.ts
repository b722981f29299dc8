// The theory lessons' week grid as the web serves it to a browser without JavaScript (ADR 034): a group's lesson in
// its day and time cell, another group's not in it; free cells open the create form pre-filled; the phone's day.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../server/db/client.ts";
import { addDays, almatyDate, mondayOf } from "../domain/kz/time.ts";
import { addMember, createSchool } from "./factories.ts";
import { signedInCookie, webAppAround } from "./web.ts";

const web = webAppAround();
const get = async (path: string, cookie: string) => (await fetch(`${web.base}${path}`, { headers: { cookie } })).text();
const href = (url: string) => `href="${url.replaceAll("&", "&amp;")}"`;

async function addGroup(schoolId: string, number: string) {
  const id = randomUUID();
  await operatorDb().studyGroup.create({
    data: { id, schoolId, number, category: "B", startsOn: new Date("2026-09-01"), endsOn: new Date("2027-06-30") },
  });
  return id;
}

describe("the week grid of theory lessons", () => {
  it("shows a group's lesson in its day and time cell and not another group's; free cells open the create form", async () => {
    const s = await createSchool();
    const teacher = await addMember(s.schoolId, "teacher");
    await operatorDb().user.update({ where: { id: teacher.userId }, data: { fullName: "Ахметова Гүлнар" } });
    const b1 = await addGroup(s.schoolId, "B-101");
    const b2 = await addGroup(s.schoolId, "B-202");
    const date = addDays(almatyDate(new Date()), 2);
    const other = addDays(date, 1);
    const lesson = (groupId: string, day: string, time: string, subjectCode: string, room: string) =>
      s.director.theory.create({
        school: s.slug,
        groupId,
        subjectCode,
        teacherId: teacher.userId,
        date: day,
        time,
        minutes: 90,
        room,
      });
    await lesson(b1, date, "18:00", "law", "204");
    await lesson(b2, other, "10:00", "psy", "305");
    const monday = mondayOf(date);
    const cookie = await signedInCookie(s.userId, "ru");
    const grid = `/s/${s.slug}/theory/grid`;

    const week = await get(`${grid}?group=${b1}&week=${monday}`, cookie);
    expect(week).toContain("Сетка теории");
    expect(week).toMatch(
      new RegExp(
        `data-start="18:00" data-day="${date}" data-group="${b1}"[^>]*>.*?18:00–19:30.*?Основы законодательства.*?Группа B-101 · Ахметова Гүлнар · ауд\\. 204`,
      ),
    );
    expect(week).not.toContain("B-202 ·</span>");
    expect(week).not.toContain(`data-group="${b2}"`);
    expect(week).not.toContain("ауд. 305");
    // Free time links to the create form with the group, the date and the time; the lesson's own time does not.
    const createAt = (time: string) =>
      `/s/${s.slug}/theory?${new URLSearchParams({ week: monday, groupId: b1, date, time })}#create`;
    expect(week).toContain(href(createAt("16:30")));
    expect(week).toContain(href(createAt("19:30")));
    expect(week).not.toContain(href(createAt("18:00")));

    // The other group's grid has its own lesson only.
    const second = await get(`${grid}?group=${b2}&week=${monday}`, cookie);
    expect(second).toContain(`data-start="10:00" data-day="${other}" data-group="${b2}"`);
    expect(second).not.toContain(`data-group="${b1}"`);

    // All groups (the office's default): every group's lessons, overlapping ones side by side, no free cell offered.
    const b3 = await addGroup(s.schoolId, "B-303");
    const second3 = await addMember(s.schoolId, "teacher");
    await s.director.theory.create({
      school: s.slug,
      groupId: b3,
      subjectCode: "law",
      teacherId: second3.userId,
      date,
      time: "18:30",
      minutes: 90,
      room: "101",
    });
    const all = await get(`${grid}?week=${monday}`, cookie);
    expect(all).toContain(`data-group="${b1}"`);
    expect(all).toContain(`data-group="${b2}"`);
    expect(all).toMatch(/grid-column:\d+;width:50%;margin-left:0%" [^>]*data-start="18:00"/);
    expect(all).toMatch(/grid-column:\d+;width:50%;margin-left:50%" [^>]*data-start="18:30"/);
    expect(all).not.toContain("#create");

    // The form the free cell opens holds the group, the date and the time.
    const form = await get(createAt("16:30").replace("#create", ""), cookie);
    expect(form).toContain('id="create"');
    expect(form).toContain(`value="${date}"`);
    expect(form).toContain('value="16:30"');
    expect(form).toMatch(new RegExp(`<option value="${b1}" selected="">`));

    // The phone's view: one day; and in Kazakh.
    const kk = await get(`${grid}?group=${b1}&day=${date}`, await signedInCookie(s.userId, "kk"));
    expect(kk).toContain("sched-grid one-day");
    expect(kk).toContain("Теория кестесі");
    expect(kk).toContain("B-101 тобы · Ахметова Гүлнар · 204 ауд.");

    // Linked from the theory page and the group's page.
    expect(await get(`/s/${s.slug}/theory`, cookie)).toContain(`href="/s/${s.slug}/theory/grid?week=`);
    expect(await get(`/s/${s.slug}/groups/${b1}`, cookie)).toContain(href(`${grid}?group=${b1}`));
  });

  it("a teacher sees their own lessons in the grid and is offered no free cell", async () => {
    const s = await createSchool();
    const teacher = await addMember(s.schoolId, "teacher");
    const b1 = await addGroup(s.schoolId, "B-101");
    const date = addDays(almatyDate(new Date()), 2);
    await s.director.theory.create({
      school: s.slug,
      groupId: b1,
      subjectCode: "law",
      teacherId: teacher.userId,
      date,
      time: "18:00",
      minutes: 90,
      room: "204",
    });
    const html = await get(
      `/s/${s.slug}/theory/grid?week=${mondayOf(date)}`,
      await signedInCookie(teacher.userId, "ru"),
    );
    expect(html).toContain(`data-start="18:00" data-day="${date}" data-group="${b1}"`);
    expect(html).not.toContain("#create");
  });
});
