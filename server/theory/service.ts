// Theory lessons by group: scheduling (the database's exclusion constraints refuse a group or a
// teacher in two places at once) and attendance per trainee, journaled for the regulator.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { almatyDate, almatyTime, almatyToInstant } from "../../domain/kz/time.ts";
import { formatDate } from "../../domain/i18n/index.ts";
import { appendJournal, dbNow } from "../training/journal.ts";
import { subject as subjectSchema, type Subject } from "../resources/schema.ts";
import type { SchoolCtx } from "../trpc.ts";
import { mayHandleOwn } from "../../domain/roles.ts";

type Actor = { id: string };

/** Which exclusion constraint a failed insert hit, if any. */
export function theoryClash(e: unknown): "group" | "teacher" | null {
  const text = JSON.stringify((e as { meta?: unknown })?.meta ?? "") + String((e as Error)?.message ?? "");
  if (!/23P01|exclusion constraint|ExclusionConstraint/i.test(text)) return null;
  const m = text.match(/theory_lesson_(group|teacher)_busy/);
  return (m?.[1] as "group" | "teacher" | undefined) ?? null;
}

/** The subjects of a category's programme: the school's copies (any gearbox), else the templates. */
export async function programmeSubjects(tx: Tx, schoolId: string, category: string): Promise<Subject[]> {
  const own = await tx.programme.findMany({
    where: { schoolId, category },
    orderBy: { gearbox: "asc" },
    select: { subjects: true },
  });
  const sources = own.length
    ? own
    : await tx.programmeTemplate.findMany({
        where: { category },
        orderBy: { gearbox: "asc" },
        select: { subjects: true },
      });
  const out = new Map<string, Subject>();
  for (const s of sources) {
    for (const raw of Array.isArray(s.subjects) ? s.subjects : []) {
      const r = subjectSchema.safeParse(raw);
      if (r.success && !out.has(r.data.code)) out.set(r.data.code, r.data);
    }
  }
  return [...out.values()];
}

export async function createLesson(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: {
    groupId: string;
    subjectCode: string;
    teacherId: string;
    date: string;
    time: string;
    minutes: number;
    room: string | null;
  },
) {
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

  const id = randomUUID();
  // A savepoint, so a refused insert leaves the transaction usable for explaining the clash.
  await tx.$executeRaw`SAVEPOINT theory_lesson_create`;
  try {
    await tx.theoryLesson.createMany({
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
    });
  } catch (e) {
    const which = theoryClash(e);
    if (!which) throw e;
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT theory_lesson_create`;
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
  await tx.$executeRaw`RELEASE SAVEPOINT theory_lesson_create`;
  return { id, startsAt, endsAt };
}

/** May this member mark the lesson? Directors and registrars any; a teacher their own. */
export function mayMark(school: SchoolCtx, userId: string, teacherId: string): boolean {
  return mayHandleOwn(school.roles, "teacher", userId, teacherId);
}

/**
 * Attendance for the whole group at once, from the lesson's start. A trainee's first mark is
 * `theory.attendance`; changing a mark already given is a correction that needs a reason and is
 * journaled as `theory.attendance_corrected` with the previous value.
 */
export async function markAttendance(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: { lessonId: string; present: string[]; reason: string | null },
  now = new Date(),
) {
  const lesson = await tx.theoryLesson.findUnique({ where: { id: input.lessonId }, include: { attendance: true } });
  if (!lesson) throw new AppError("NOT_FOUND", "notFound");
  if (!mayMark(school, actor.id, lesson.teacherId)) throw new AppError("FORBIDDEN", "forbidden");
  if (lesson.startsAt.getTime() > now.getTime()) throw new AppError("BAD_REQUEST", "theory.notStarted");
  const trainees = await tx.trainee.findMany({ where: { groupId: lesson.groupId }, select: { id: true } });
  const inGroup = new Set(trainees.map((t) => t.id));
  // Someone no longer in the group keeps their mark; it can still be corrected.
  for (const a of lesson.attendance) inGroup.add(a.traineeId);
  const stranger = input.present.find((id) => !inGroup.has(id));
  if (stranger) throw new AppError("BAD_REQUEST", "theory.notInGroup", {}, "present");
  const wanted = new Set(input.present);
  const existing = new Map(lesson.attendance.map((a) => [a.traineeId, a]));
  const changes = [...inGroup].flatMap((traineeId) => {
    const present = wanted.has(traineeId);
    const before = existing.get(traineeId);
    if (before && before.present === present) return [];
    return [{ traineeId, present, before: before ?? null }];
  });
  if (changes.some((c) => c.before) && !input.reason)
    throw new AppError("BAD_REQUEST", "theory.correctionReason", {}, "reason");
  if (changes.length === 0) return { marked: 0, corrected: 0 };
  const markedAt = await dbNow(tx);
  const minutes = Math.round((lesson.endsAt.getTime() - lesson.startsAt.getTime()) / 60_000);
  let marked = 0;
  let corrected = 0;
  for (const c of changes) {
    if (c.before) {
      await tx.theoryAttendance.update({
        where: { id: c.before.id },
        data: { present: c.present, markedBy: actor.id, markedAt },
      });
      corrected++;
    } else {
      await tx.theoryAttendance.createMany({
        data: [
          {
            id: randomUUID(),
            schoolId: school.id,
            lessonId: lesson.id,
            traineeId: c.traineeId,
            present: c.present,
            markedBy: actor.id,
            markedAt,
          },
        ],
      });
      marked++;
    }
    await appendJournal(tx, school.id, {
      kind: c.before ? "theory.attendance_corrected" : "theory.attendance",
      actorUserId: actor.id,
      subjectId: c.traineeId,
      data: {
        lessonId: lesson.id,
        subjectCode: lesson.subjectCode,
        startsAt: lesson.startsAt.toISOString(),
        minutes,
        present: c.present,
        // read by the trainee card's history as a lesson status word
        status: c.present ? "done" : "missed",
        ...(c.before
          ? { previous: { present: c.before.present, markedAt: c.before.markedAt.toISOString() }, reason: input.reason }
          : {}),
      },
    });
  }
  return { marked, corrected };
}
