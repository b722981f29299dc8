// Calendar feeds (ADR 033) on the real database: an instructor's and a trainee's feed hold their own lessons
// and nobody else's, a cancelled lesson stays as CANCELLED, a revoked or replaced address is "not found", a
// removed staff member's feed stops, and the office may revoke an instructor's. Read back as iCalendar.
import { operatorDb } from "../db/client.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { addMember, type callerFor, createSchool } from "../../tests/factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "../../tests/lessons.ts";
import { traineeWithLogin } from "../../tests/security/world.ts";
import { feedCalendar } from "./render.ts";
import { MAX_LINE_OCTETS } from "./ics.ts";

type School = Awaited<ReturnType<typeof createSchool>>;

const tokenOf = (url: string) => url.match(/\/cal\/([A-Za-z0-9_-]+)\.ics$/)![1]!;

/** The events of a feed: unfolded, each a map of its properties (the parameters left on the name). */
function parse(text: string) {
  const lines = text.replace(/\r\n[ \t]/g, "").split("\r\n");
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") current = {};
    else if (line === "END:VEVENT") {
      events.push(current!);
      current = null;
    } else if (current) {
      const i = line.indexOf(":");
      current[line.slice(0, i)] = line.slice(i + 1);
    }
  }
  return { lines, events };
}

async function school(tag: string) {
  const s = await createSchool();
  await operatorDb().school.update({ where: { id: s.schoolId }, data: { address: "Алматы, Абай даңғылы 10" } });
  const nurlan = await addInstructor(s.schoolId, { fullName: `Ерланов${tag} Нұрлан` });
  const bakyt = await addInstructor(s.schoolId, { fullName: `Әлиев${tag} Бақыт` });
  const car = await addVehicle(s.schoolId, { plate: `404KZ0${tag}` });
  const car2 = await addVehicle(s.schoolId, { plate: `505KZ0${tag}` });
  const dauren = await enrolledTrainee(s, {
    lastName: `Сәрсенбаев${tag}`,
    firstName: "Дәурен",
    phone: "+77015550101",
  });
  const aigul = await enrolledTrainee(s, { lastName: `Қасымова${tag}`, firstName: "Айгүл" });
  const date = addDays(almatyDate(new Date()), 2);
  const book = (traineeId: string, instructorId: string, vehicleId: string, time: string) =>
    s.director.training.bookLesson({ school: s.slug, traineeId, instructorId, vehicleId, date, time, minutes: 90 });
  const first = await book(dauren, nurlan.userId, car, "10:00");
  const second = await book(aigul, bakyt.userId, car2, "14:00");
  const third = await book(aigul, nurlan.userId, car, "16:00");
  return { s, nurlan, bakyt, dauren, aigul, first, second, third, date };
}

async function instructorFeed(s: School, instructor: { caller: Awaited<ReturnType<typeof callerFor>> }) {
  const made = await instructor.caller.calendar.create({ school: s.slug });
  return { ...made, token: tokenOf(made.url) };
}

describe("an instructor's calendar feed", () => {
  it("holds their own lessons only, in their saved language, with the school's address and no IIN or phone", async () => {
    const a = await school("A");
    const b = await school("B");
    // Нұрлан of A works in B as well: his A feed must not show his B lessons.
    await operatorDb().membership.create({
      data: { id: crypto.randomUUID(), schoolId: b.s.schoolId, userId: a.nurlan.userId, role: "instructor" },
    });
    const feed = await instructorFeed(a.s, a.nurlan);
    expect(feed.url).toMatch(/^https?:\/\/.+\/cal\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(feed.webcal).toBe(feed.url.replace(/^https?:\/\//, "webcal://"));

    const text = (await feedCalendar(feed.token))!;
    const { lines, events } = parse(text);
    expect(events.map((e) => e.UID).sort()).toEqual(
      [`lesson-${a.first.id}@avtomektep.kz`, `lesson-${a.third.id}@avtomektep.kz`].sort(),
    );
    // A user's locale is Kazakh unless they chose otherwise.
    expect(events.map((e) => e.SUMMARY).sort()).toEqual(
      ["Жүргізу: СәрсенбаевA Д. · 404KZ0A", "Жүргізу: ҚасымоваA А. · 404KZ0A"].sort(),
    );
    expect(events[0]).toMatchObject({
      STATUS: "CONFIRMED",
      LOCATION: "Алматы\\, Абай даңғылы 10",
      DESCRIPTION: "Жоспарланған",
    });
    expect(lines).toContain("X-WR-TIMEZONE:Asia/Almaty");
    expect(lines.some((l) => l.startsWith("X-WR-CALNAME:Жүргізу — "))).toBe(true);
    const trainee = await operatorDb().trainee.findUniqueOrThrow({ where: { id: a.dauren }, select: { iin: true } });
    expect(text).not.toContain(trainee.iin);
    expect(text).not.toContain("5550101");
    for (const x of ["ӘлиевA", "ҚасымоваB", "СәрсенбаевB", "505KZ0A", "404KZ0B"]) expect(text).not.toContain(x);
    // Valid iCalendar: CRLF only, every physical line at most 75 octets.
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_OCTETS);

    // In Russian once he saves it; the time is the lesson's, in UTC.
    await a.nurlan.caller.auth.setLocale({ locale: "ru" });
    const ru = parse((await feedCalendar(feed.token))!).events.find(
      (e) => e.UID === `lesson-${a.first.id}@avtomektep.kz`,
    )!;
    expect(ru.SUMMARY).toBe("Вождение: СәрсенбаевA Д. · 404KZ0A");
    expect(ru.DTSTART).toBe(`${a.date.replaceAll("-", "")}T050000Z`);
    expect(ru.DTEND).toBe(`${a.date.replaceAll("-", "")}T063000Z`);

    // The box knows a feed is live, and when the phone last fetched it.
    const mine = await a.nurlan.caller.calendar.mine({ school: a.s.slug });
    expect(mine.live?.lastFetchedAt).toBeInstanceOf(Date);
    // Бақыт has none.
    expect((await a.bakyt.caller.calendar.mine({ school: a.s.slug })).live).toBeNull();
  });

  it("keeps a cancelled lesson as CANCELLED with a higher SEQUENCE, so the phone removes it", async () => {
    const a = await school("C");
    const feed = await instructorFeed(a.s, a.nurlan);
    const before = parse((await feedCalendar(feed.token))!).events.find(
      (e) => e.UID === `lesson-${a.first.id}@avtomektep.kz`,
    )!;
    expect(before).toMatchObject({ STATUS: "CONFIRMED", SEQUENCE: "0" });
    await a.s.director.training.cancelLesson({ school: a.s.slug, lessonId: a.first.id, reason: "weather" });
    const after = parse((await feedCalendar(feed.token))!).events.find(
      (e) => e.UID === `lesson-${a.first.id}@avtomektep.kz`,
    )!;
    expect(after).toMatchObject({
      STATUS: "CANCELLED",
      SEQUENCE: "1",
      TRANSP: "TRANSPARENT",
      DESCRIPTION: "Болдырылмады",
    });
  });

  it("a revoked or replaced address is not found; the new one works; both are audited", async () => {
    const a = await school("D");
    const first = await instructorFeed(a.s, a.nurlan);
    const second = await instructorFeed(a.s, a.nurlan);
    expect(await feedCalendar(first.token)).toBeNull();
    expect(await feedCalendar(second.token)).toContain("BEGIN:VCALENDAR");
    await a.nurlan.caller.calendar.revoke({ school: a.s.slug });
    expect(await feedCalendar(second.token)).toBeNull();
    await expect(a.nurlan.caller.calendar.revoke({ school: a.s.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const third = await instructorFeed(a.s, a.nurlan);
    expect(await feedCalendar(third.token)).toContain("BEGIN:VCALENDAR");
    expect(await feedCalendar("x".repeat(43))).toBeNull();
    // Only hashes are kept.
    const rows = await operatorDb().calendarFeed.findMany({ where: { userId: a.nurlan.userId } });
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.revokedAt === null)).toHaveLength(1);
    for (const r of rows) for (const t of [first, second, third]) expect(r.tokenHash).not.toContain(t.token);
    const log = await operatorDb().auditLog.findMany({
      where: { schoolId: a.s.schoolId, action: { in: ["calendar.feed_created", "calendar.feed_revoked"] } },
      select: { action: true, actorUserId: true },
    });
    expect(log.filter((l) => l.action === "calendar.feed_created")).toHaveLength(3);
    expect(log.filter((l) => l.action === "calendar.feed_revoked")).toHaveLength(2);
    expect(log.every((l) => l.actorUserId === a.nurlan.userId)).toBe(true);
  });

  it("stops when the staff member is removed from the school, or is no longer an instructor", async () => {
    const a = await school("E");
    const removed = await instructorFeed(a.s, a.nurlan);
    await a.s.director.staff.remove({ school: a.s.slug, userId: a.nurlan.userId });
    expect(await feedCalendar(removed.token)).toBeNull();
    const row = await operatorDb().calendarFeed.findFirstOrThrow({ where: { userId: a.nurlan.userId } });
    expect(row.revokedBy).toBe(a.s.userId);

    const demoted = await instructorFeed(a.s, a.bakyt);
    await a.s.director.staff.setRoles({ school: a.s.slug, userId: a.bakyt.userId, roles: ["teacher"] });
    expect(await feedCalendar(demoted.token)).toBeNull();
  });

  it("the office sees the live feeds and revokes an instructor's; an instructor may not", async () => {
    const a = await school("F");
    const feed = await instructorFeed(a.s, a.nurlan);
    const list = await a.s.director.calendar.instructorFeeds({ school: a.s.slug });
    expect(list).toEqual([expect.objectContaining({ userId: a.nurlan.userId, fullName: "ЕрлановF Нұрлан" })]);
    await expect(a.bakyt.caller.calendar.instructorFeeds({ school: a.s.slug })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      a.bakyt.caller.calendar.revokeInstructor({ school: a.s.slug, userId: a.nurlan.userId }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Another school's director cannot reach it.
    const b = await createSchool();
    await expect(
      b.director.calendar.revokeInstructor({ school: b.slug, userId: a.nurlan.userId }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await feedCalendar(feed.token)).not.toBeNull();
    await a.s.director.calendar.revokeInstructor({ school: a.s.slug, userId: a.nurlan.userId });
    expect(await feedCalendar(feed.token)).toBeNull();
    expect(await a.s.director.calendar.instructorFeeds({ school: a.s.slug })).toEqual([]);
  });

  it("only instructors have one", async () => {
    const a = await school("G");
    await expect(a.s.director.calendar.create({ school: a.s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("a trainee's calendar feed", () => {
  it("is made in the cabinet and holds the trainee's own driving lessons, with the instructor's short name", async () => {
    const a = await school("H");
    const me = await traineeWithLogin(a.s, "ТөлегеновH");
    const car = await addVehicle(a.s.schoolId, { plate: "777AAA02" });
    const mine = await a.s.director.training.bookLesson({
      school: a.s.slug,
      traineeId: me.traineeId,
      instructorId: a.bakyt.userId,
      vehicleId: car,
      date: addDays(a.date, 1),
      time: "09:00",
      minutes: 90,
    });
    expect((await me.caller.calendarCabinet.mine({ school: a.s.slug })).live).toBeNull();
    const made = await me.caller.calendarCabinet.create({ school: a.s.slug });
    const { events } = parse((await feedCalendar(tokenOf(made.url)))!);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      UID: `lesson-${mine.id}@avtomektep.kz`,
      SUMMARY: "Жүргізу · Шебер ӘлиевH Б. · 777AAA02",
    });
    await me.caller.auth.setLocale({ locale: "ru" });
    expect(parse((await feedCalendar(tokenOf(made.url)))!).events[0]!.SUMMARY).toBe(
      "Вождение · Инструктор ӘлиевH Б. · 777AAA02",
    );
    expect((await me.caller.calendarCabinet.mine({ school: a.s.slug })).live).not.toBeNull();
    // The cabinet's role wrote the audit entry as the trainee.
    const log = await operatorDb().auditLog.findFirstOrThrow({
      where: { schoolId: a.s.schoolId, action: "calendar.feed_created" },
    });
    expect(log.actorUserId).toBe(me.userId);
    await me.caller.calendarCabinet.revoke({ school: a.s.slug });
    expect(await feedCalendar(tokenOf(made.url))).toBeNull();
  });

  it("holds the theory lessons of the trainee's group, and not another group's", async () => {
    const a = await school("I");
    const me = await traineeWithLogin(a.s, "ТөлегеновI");
    const teacher = await addMember(a.s.schoolId, "teacher");
    const group = (n: string) =>
      a.s.director.resources.createGroup({
        school: a.s.slug,
        number: n,
        category: "B",
        startsOn: "2026-01-10",
        endsOn: "2030-06-10",
        teacherId: teacher.userId,
      });
    const mine = await group("I-1");
    const other = await group("I-2");
    await a.s.director.resources.assignToGroup({ school: a.s.slug, traineeIds: [me.traineeId], groupId: mine.id });
    const lesson = async (groupId: string, room: string, days: number, code = "PDD") => {
      const id = crypto.randomUUID();
      const startsAt = new Date(Date.now() + days * 86_400_000);
      await operatorDb().theoryLesson.create({
        data: {
          id,
          schoolId: a.s.schoolId,
          groupId,
          subjectCode: code,
          teacherId: teacher.userId,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 90 * 60_000),
          room,
          createdBy: a.s.userId,
        },
      });
      return id;
    };
    const template = await operatorDb().programmeTemplate.findFirstOrThrow({ where: { category: "B" } });
    const first = (template.subjects as { code: string; nameKk: string }[])[0]!;
    const ours = await lesson(mine.id, "204", 3, first.code);
    await lesson(other.id, "999", 4);
    const made = await me.caller.calendarCabinet.create({ school: a.s.slug });
    const text = (await feedCalendar(tokenOf(made.url)))!;
    const { events } = parse(text);
    expect(events).toHaveLength(1);
    expect(events[0]!.UID).toBe(`theory-${ours}@avtomektep.kz`);
    // The subject's name from the programme, in the trainee's language (Kazakh by default).
    expect(events[0]!.SUMMARY).toBe(`Теория: ${first.nameKk.replace(/[\\;,]/g, (c) => `\\${c}`)}`);
    expect(events[0]!.DESCRIPTION).toBe("204 аудитория");
    expect(text).not.toContain("999");
  });
});
