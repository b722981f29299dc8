import { randomUUID } from "node:crypto";
import { addMember, createSchool, traineeInput } from "../../tests/factories.ts";
import { asTraineeRole, expectRefused } from "../../tests/trainee-role.ts";
import { operatorDb, inScope } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { markAttendance } from "./attendance.ts";
import { theoryAttendedMinutes } from "./hours.ts";
import { translator } from "../../domain/i18n/index.ts";

type School = Awaited<ReturnType<typeof createSchool>>;
const today = () => almatyDate(new Date());
const ru = (e: unknown) => describeError(e as never, "ru");

/** A B group with trainees in it, and a teacher. */
async function setup(s: School, names = ["Аманов", "Бекова", "Сейітов"]) {
  const groupId = randomUUID();
  const number = `B-${groupId.slice(0, 4)}`;
  await operatorDb().studyGroup.create({
    data: {
      id: groupId,
      schoolId: s.schoolId,
      number,
      category: "B",
      startsOn: new Date("2026-09-01"),
      endsOn: new Date("2027-01-31"),
    },
  });
  const ids: string[] = [];
  for (const lastName of names)
    ids.push((await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName }) })).id);
  await operatorDb().trainee.updateMany({ where: { id: { in: ids } }, data: { groupId } });
  const teacher = await addMember(s.schoolId, "teacher");
  return { groupId, number, ids, teacher };
}

const lessonAt = (groupId: string, teacherId: string, date: string, time: string, minutes = 120) => ({
  groupId,
  subjectCode: "law",
  teacherId,
  date,
  time,
  minutes,
  room: "204",
});

describe("theory lessons", () => {
  it("are created with a subject of the group's programme, and a clashing group or teacher is refused by the database", async () => {
    const s = await createSchool();
    const { groupId, number, teacher } = await setup(s);
    const day = addDays(today(), 2);
    const { id } = await s.director.theory.create({
      school: s.slug,
      ...lessonAt(groupId, teacher.userId, day, "10:00"),
    });
    const week = await s.director.theory.week({ school: s.slug, from: day, to: day });
    const teacherName = (await operatorDb().user.findUniqueOrThrow({ where: { id: teacher.userId } })).fullName;
    expect(week.map((l) => [l.id, l.group.number, l.subject.nameRu, l.teacherName, l.room])).toEqual([
      [id, number, "Основы законодательства в сфере дорожного движения", teacherName, "204"],
    ]);
    // a member who is only a teacher sees their own lessons
    expect((await teacher.caller.theory.week({ school: s.slug, from: day, to: day })).map((l) => l.id)).toEqual([id]);

    // same group, overlapping time, another teacher
    const other = await addMember(s.schoolId, "teacher");
    const groupClash = await s.director.theory
      .create({ school: s.slug, ...lessonAt(groupId, other.userId, day, "11:00") })
      .catch((e) => e);
    expect(ru(groupClash)).toMatchObject({
      status: 409,
      fieldErrors: { time: `Группа ${number} уже занята ${day.split("-").reverse().join(".")} с 10:00 до 12:00` },
    });

    // same teacher, another group
    const second = await setup(s, ["Дәулетов"]);
    const teacherClash = await s.director.theory
      .create({ school: s.slug, ...lessonAt(second.groupId, teacher.userId, day, "11:30", 60) })
      .catch((e) => e);
    expect(ru(teacherClash).message).toMatch(/^Преподаватель .+ уже ведёт занятие .+ с 10:00 до 12:00$/);
    // back to back is fine
    await expect(
      s.director.theory.create({ school: s.slug, ...lessonAt(groupId, teacher.userId, day, "12:00", 90) }),
    ).resolves.toHaveProperty("id");

    // the constraint itself, whatever the application does
    await expect(
      operatorDb().theoryLesson.create({
        data: {
          id: randomUUID(),
          schoolId: s.schoolId,
          groupId,
          subjectCode: "law",
          teacherId: other.userId,
          startsAt: new Date(`${day}T10:30:00+05:00`),
          endsAt: new Date(`${day}T11:00:00+05:00`),
          createdBy: s.userId,
        },
      }),
    ).rejects.toThrow(/theory_lesson_group_busy|exclusion/i);

    // a subject outside the programme, a non-teacher
    const badSubject = await s.director.theory
      .create({
        school: s.slug,
        ...lessonAt(groupId, teacher.userId, addDays(day, 1), "10:00"),
        subjectCode: "cooking",
      })
      .catch((e) => e);
    expect(ru(badSubject).fieldErrors).toEqual({ subjectCode: "Предмета «cooking» нет в программе категории B" });
    const registrar = await addMember(s.schoolId, "registrar");
    const notTeacher = await registrar.caller.theory
      .create({ school: s.slug, ...lessonAt(groupId, registrar.userId, addDays(day, 1), "10:00") })
      .catch((e) => e);
    expect(ru(notTeacher).fieldErrors).toEqual({ teacherId: "Выберите преподавателя этой автошколы" });
  });

  it("attendance is marked by the lesson's teacher from its start; a change is a correction with a reason, all journaled", async () => {
    const s = await createSchool();
    const { groupId, ids, teacher } = await setup(s);
    const future = await s.director.theory.create({
      school: s.slug,
      ...lessonAt(groupId, teacher.userId, addDays(today(), 3), "10:00"),
    });
    const early = await teacher.caller.theory
      .mark({ school: s.slug, lessonId: future.id, present: ids })
      .catch((e) => e);
    expect(ru(early).message).toBe("Посещаемость отмечается с начала занятия");

    const past = await s.director.theory.create({
      school: s.slug,
      ...lessonAt(groupId, teacher.userId, addDays(today(), -1), "10:00"),
    });
    const otherTeacher = await addMember(s.schoolId, "teacher");
    await expect(
      otherTeacher.caller.theory.mark({ school: s.slug, lessonId: past.id, present: ids }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    expect(
      await teacher.caller.theory.mark({ school: s.slug, lessonId: past.id, present: [ids[0]!, ids[1]!] }),
    ).toEqual({ marked: 3, corrected: 0 });
    const lesson = await s.director.theory.get({ school: s.slug, id: past.id });
    expect(lesson.trainees.map((t) => [t.lastName, t.present])).toEqual([
      ["Аманов", true],
      ["Бекова", true],
      ["Сейітов", false],
    ]);
    expect(lesson.trainees.every((t) => t.markedAt instanceof Date)).toBe(true);

    // the same marks again change nothing; a change needs a reason
    expect(
      await teacher.caller.theory.mark({ school: s.slug, lessonId: past.id, present: [ids[0]!, ids[1]!] }),
    ).toEqual({ marked: 0, corrected: 0 });
    const noReason = await teacher.caller.theory
      .mark({ school: s.slug, lessonId: past.id, present: ids })
      .catch((e) => e);
    expect(ru(noReason).fieldErrors).toEqual({ reason: "Отметка уже стоит. Чтобы исправить, укажите причину" });
    expect(
      await s.director.theory.mark({
        school: s.slug,
        lessonId: past.id,
        present: ids,
        reason: "опоздал, был на занятии",
      }),
    ).toEqual({ marked: 0, corrected: 1 });

    const journal = await operatorDb().journalEntry.findMany({
      where: { schoolId: s.schoolId, kind: { startsWith: "theory." } },
      orderBy: { seq: "asc" },
    });
    expect(journal.map((j) => [j.kind, j.subjectId, (j.data as { present: boolean }).present])).toEqual([
      ["theory.attendance", ids[0], true],
      ["theory.attendance", ids[1], true],
      ["theory.attendance", ids[2], false],
      ["theory.attendance_corrected", ids[2], true],
    ]);
    expect(journal[3]!.data).toMatchObject({
      reason: "опоздал, был на занятии",
      previous: { present: false },
      minutes: 120,
      lessonId: past.id,
    });
    expect(journal[3]!.actorUserId).toBe(s.userId);
    const t = translator("ru");
    expect(
      t(`training:history.kinds.${journal[0]!.kind}`, { when: "x", status: t("training:lessons.status.done") }),
    ).toBe("Теория x: Состоялось");

    // someone outside the group can't be marked
    const stranger = (await s.director.trainees.create({ school: s.slug, ...traineeInput() })).id;
    await expect(
      s.director.theory.mark({ school: s.slug, lessonId: past.id, present: [stranger], reason: "x" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("sums each trainee's attended hours, and eligibility reports 'theory X of Y h'", async () => {
    const s = await createSchool();
    const { groupId, ids, teacher } = await setup(s, ["Аманов", "Бекова"]);
    const [a, b] = ids as [string, string];
    const first = await s.director.theory.create({
      school: s.slug,
      ...lessonAt(groupId, teacher.userId, addDays(today(), -3), "10:00", 120),
    });
    const second = await s.director.theory.create({
      school: s.slug,
      ...lessonAt(groupId, teacher.userId, addDays(today(), -2), "10:00", 90),
    });
    await teacher.caller.theory.mark({ school: s.slug, lessonId: first.id, present: [a, b] });
    await teacher.caller.theory.mark({ school: s.slug, lessonId: second.id, present: [a] });
    const minutes = await inScope({ schoolId: s.schoolId }, (tx) => theoryAttendedMinutes(tx, [a, b]));
    expect(Object.fromEntries(minutes)).toEqual({ [a]: 210, [b]: 120 });

    const one = await s.director.exams.eligibility({ school: s.slug, traineeId: a });
    const theory = one.reasons.find((r) => r.code === "theoryHours")!;
    expect(theory.params).toEqual({ done: "3,5", required: "130" });
    expect(translator("ru")(`exams:reasons.theoryHours`, theory.params)).toBe("теория 3,5 из 130 ч");
    expect(translator("kk")(`exams:reasons.theoryHours`, theory.params)).toBe("теория 130 сағаттың 3,5 сағаты");
    expect(one.facts.theoryDoneMinutes).toBe(210);
  });

  it("the inspector reads but is refused every change; school B can't read A's lesson by id", async () => {
    const s = await createSchool();
    const { groupId, ids, teacher } = await setup(s);
    const past = await s.director.theory.create({
      school: s.slug,
      ...lessonAt(groupId, teacher.userId, addDays(today(), -1), "09:00"),
    });
    const inspector = await addMember(s.schoolId, "inspector");
    await expect(inspector.caller.theory.get({ school: s.slug, id: past.id })).resolves.toMatchObject({
      canMark: false,
    });
    await expect(
      inspector.caller.theory.create({
        school: s.slug,
        ...lessonAt(groupId, teacher.userId, addDays(today(), 5), "09:00"),
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      inspector.caller.theory.mark({ school: s.slug, lessonId: past.id, present: ids }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(inspector.caller.theory.options({ school: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await operatorDb().theoryAttendance.count({ where: { lessonId: past.id } })).toBe(0);

    const b = await createSchool();
    await expect(b.director.theory.get({ school: b.slug, id: past.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(b.director.theory.mark({ school: b.slug, lessonId: past.id, present: [] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await b.director.theory.week({ school: b.slug, from: addDays(today(), -7), to: today() })).toEqual([]);
    // even called directly with B's school in scope, the row is not there
    const refused = await inScope({ schoolId: b.schoolId }, (tx) =>
      markAttendance(
        tx,
        { id: b.schoolId, slug: b.slug, name: "", status: "active", trialEndsAt: null, roles: ["director"] },
        { id: b.userId },
        { lessonId: past.id, present: [], reason: null },
      ).catch((e) => e),
    );
    expect(refused).toMatchObject({ code: "NOT_FOUND" });
  });

  it("the trainee role reads only its own attendance and its own group's lessons, and writes nothing", async () => {
    const s = await createSchool();
    const { groupId, ids, teacher } = await setup(s, ["Аманов", "Бекова"]);
    const other = await setup(s, ["Дәулетов"]);
    const mine = await s.director.theory.create({
      school: s.slug,
      ...lessonAt(groupId, teacher.userId, addDays(today(), -1), "10:00"),
    });
    const theirs = await s.director.theory.create({
      school: s.slug,
      ...lessonAt(other.groupId, other.teacher.userId, addDays(today(), -1), "10:00"),
    });
    await s.director.theory.mark({ school: s.slug, lessonId: mine.id, present: ids });
    await s.director.theory.mark({ school: s.slug, lessonId: theirs.id, present: other.ids });
    await asTraineeRole({ schoolId: s.schoolId, traineeId: ids[0]! }, async (c) => {
      expect((await c.query("SELECT id FROM theory_lesson")).rows).toEqual([{ id: mine.id }]);
      expect((await c.query("SELECT trainee_id, present FROM theory_attendance")).rows).toEqual([
        { trainee_id: ids[0], present: true },
      ]);
      await expectRefused(c, [
        "UPDATE theory_attendance SET present = false",
        "DELETE FROM theory_lesson",
        `INSERT INTO theory_attendance (id, school_id, lesson_id, trainee_id, present, marked_by) VALUES ('${randomUUID()}', '${s.schoolId}', '${mine.id}', '${ids[0]}', true, '${s.userId}')`,
      ]);
    });
  });
});
