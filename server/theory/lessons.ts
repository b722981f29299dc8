// Theory lessons by group: what the create form offers, the week's lessons, one lesson with its group's
// marks, and scheduling (the database's exclusion constraints refuse a group or a teacher in two places
// at once).
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import { insertOrClash } from "../db/savepoint.ts";
import { AppError } from "../errors.ts";
import { almatyDate, almatyTime, almatyToInstant, endsSameDay } from "../../domain/kz/time.ts";
import { compareNames, formatDate } from "../../domain/i18n/index.ts";
import type { Subject } from "../resources/schema.ts";
import type { SchoolCtx } from "../trpc.ts";
import { onlyRole } from "../../domain/roles.ts";
import { programmeSubjects, subjectNames } from "./programme.ts";
import { mayMark } from "./attendance.ts";
import type { createLessonInput, idInput, weekInput } from "./schema.ts";
import { byName } from "../trainees/select.ts";
import type { Locale } from "../../domain/i18n/index.ts";

type Actor = { id: string };

async function userNames(tx: Tx, ids: string[]) {
  const users = await tx.user.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, fullName: true },
  });
  return Object.fromEntries(users.map((u) => [u.id, u.fullName]));
}

/** What the create form offers: groups with their programme's subjects, and the school's teachers. */
export async function lessonFormOptions(tx: Tx, schoolId: string, locale: Locale) {
  const [groups, teachers] = await Promise.all([
    tx.studyGroup.findMany({
      orderBy: [{ startsOn: "desc" }, { number: "asc" }],
      take: 500,
      select: { id: true, number: true, category: true },
    }),
    tx.membership.findMany({
      where: { role: "teacher" },
      select: { user: { select: { id: true, fullName: true } } },
    }),
  ]);
  const byCategory = new Map<string, Subject[]>();
  for (const c of new Set(groups.map((g) => g.category))) byCategory.set(c, await programmeSubjects(tx, schoolId, c));
  return {
    groups: groups.map((g) => ({ ...g, subjects: byCategory.get(g.category) ?? [] })),
    teachers: teachers.map((t) => t.user).sort((a, b) => compareNames(locale)(a.fullName, b.fullName)),
  };
}

/** Lessons between two dates (Almaty); a member who is only a teacher sees their own. */
export async function weekLessons(tx: Tx, school: SchoolCtx, actor: Actor, input: z.infer<typeof weekInput>) {
  const onlyOwn = onlyRole(school.roles, "teacher");
  const rows = await tx.theoryLesson.findMany({
    where: {
      startsAt: {
        gte: almatyToInstant(input.from, "00:00"),
        lt: new Date(almatyToInstant(input.to, "00:00").getTime() + 86_400_000),
      },
      ...(onlyOwn ? { teacherId: actor.id } : {}),
      ...(input.groupId ? { groupId: input.groupId } : {}),
    },
    orderBy: [{ startsAt: "asc" }],
    take: 2000,
    select: {
      id: true,
      groupId: true,
      subjectCode: true,
      teacherId: true,
      startsAt: true,
      endsAt: true,
      room: true,
      attendance: { select: { present: true } },
    },
  });
  const groups = await tx.studyGroup.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.groupId))] } },
    select: { id: true, number: true, category: true },
  });
  const groupOf = Object.fromEntries(groups.map((g) => [g.id, g]));
  const names = await userNames(
    tx,
    rows.map((r) => r.teacherId),
  );
  const subject = subjectNames(tx, school.id);
  return Promise.all(
    rows.map(async ({ attendance, ...r }) => ({
      ...r,
      group: groupOf[r.groupId] ?? { id: r.groupId, number: "", category: "" },
      subject: await subject(groupOf[r.groupId]?.category ?? "", r.subjectCode),
      teacherName: names[r.teacherId] ?? "",
      marked: attendance.length,
      present: attendance.filter((a) => a.present).length,
    })),
  );
}

/** One lesson with its group's trainees (and anyone marked who has left the group) and their marks. */
export async function lessonWithMarks(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof idInput>,
  locale: Locale,
) {
  const lesson = await tx.theoryLesson.findUnique({
    where: { id: input.id },
    include: { attendance: { select: { traineeId: true, present: true, markedAt: true, markedBy: true } } },
  });
  if (!lesson) throw new AppError("NOT_FOUND", "notFound");
  const group = await tx.studyGroup.findUniqueOrThrow({
    where: { id: lesson.groupId },
    select: { id: true, number: true, category: true },
  });
  const marks = new Map(lesson.attendance.map((a) => [a.traineeId, a]));
  const trainees = await tx.trainee.findMany({
    where: { OR: [{ groupId: group.id }, { id: { in: [...marks.keys()] } }] },
    orderBy: byName(locale),
    select: { id: true, lastName: true, firstName: true, middleName: true, status: true },
  });
  const names = await userNames(tx, [lesson.teacherId, ...lesson.attendance.map((a) => a.markedBy)]);
  const { attendance: _a, ...rest } = lesson;
  return {
    ...rest,
    group,
    subject: await subjectNames(tx, school.id)(group.category, lesson.subjectCode),
    teacherName: names[lesson.teacherId] ?? "",
    canMark: mayMark(school, actor.id, lesson.teacherId),
    trainees: trainees.map((t) => {
      const m = marks.get(t.id);
      return {
        ...t,
        present: m ? m.present : null,
        markedAt: m?.markedAt ?? null,
        markedBy: m ? (names[m.markedBy] ?? null) : null,
      };
    }),
  };
}

/** Which exclusion constraint a failed insert hit, if any. */
export function theoryClash(e: unknown): "group" | "teacher" | null {
  const text = JSON.stringify((e as { meta?: unknown })?.meta ?? "") + String((e as Error)?.message ?? "");
  if (!/23P01|exclusion constraint|ExclusionConstraint/i.test(text)) return null;
  const m = text.match(/theory_lesson_(group|teacher)_busy/);
  return (m?.[1] as "group" | "teacher" | undefined) ?? null;
}

export async function createLesson(tx: Tx, school: SchoolCtx, actor: Actor, input: z.infer<typeof createLessonInput>) {
  const group = await tx.studyGroup.findUnique({
    where: { id: input.groupId },
    select: { id: true, number: true, category: true },
  });
  if (!group) throw new AppError("BAD_REQUEST", "theory.noGroup", {}, "groupId");
  const subjects = await programmeSubjects(tx, school.id, group.category);
  const subject = subjects.find((s) => s.code === input.subjectCode);
  if (!subject)
    throw new AppError(
      "BAD_REQUEST",
      "theory.subjectNotInProgramme",
      { code: input.subjectCode, category: group.category },
      "subjectCode",
    );
  const teacher = await tx.membership.findFirst({
    where: { userId: input.teacherId, role: "teacher" },
    select: { user: { select: { fullName: true } } },
  });
  if (!teacher) throw new AppError("BAD_REQUEST", "theory.notTeacher", {}, "teacherId");
  const startsAt = almatyToInstant(input.date, input.time);
  const endsAt = new Date(startsAt.getTime() + input.minutes * 60_000);
  if (Number.isNaN(startsAt.getTime())) throw new AppError("BAD_REQUEST", "date", {}, "date");
  if (!endsSameDay(input.time, input.minutes))
    throw new AppError("BAD_REQUEST", "acrossMidnight", { time: input.time, minutes: input.minutes }, "time");

  const id = randomUUID();
  // Under a savepoint, so a refused insert leaves the transaction usable for explaining the clash.
  const which = await insertOrClash(
    tx,
    () =>
      tx.theoryLesson.createMany({
        data: [
          {
            id,
            schoolId: school.id,
            groupId: group.id,
            subjectCode: subject.code,
            teacherId: input.teacherId,
            startsAt,
            endsAt,
            room: input.room,
            createdBy: actor.id,
          },
        ],
      }),
    theoryClash,
  );
  if (which) {
    const clash = await tx.theoryLesson.findFirst({
      where: {
        ...(which === "group" ? { groupId: group.id } : { teacherId: input.teacherId }),
        startsAt: { lt: endsAt },
        endsAt: { gt: startsAt },
      },
      select: { startsAt: true, endsAt: true },
    });
    // A teacher's other lesson may belong to another school, which this school can't see.
    if (!clash)
      throw new AppError("CONFLICT", "theory.teacherBusyElsewhere", { name: teacher.user.fullName }, "teacherId");
    const params = {
      name: which === "group" ? group.number : teacher.user.fullName,
      date: formatDate(almatyDate(clash.startsAt)),
      from: almatyTime(clash.startsAt),
      to: almatyTime(clash.endsAt),
    };
    throw new AppError("CONFLICT", `theory.busy.${which}`, params, which === "group" ? "time" : "teacherId");
  }
  return { id, startsAt, endsAt };
}
