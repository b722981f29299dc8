// Attendance at theory lessons, per trainee, journaled for the regulator.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { appendJournal, dbNow } from "../training/journal.ts";
import type { SchoolCtx } from "../trpc.ts";
import { mayHandleOwn } from "../../domain/roles.ts";

type Actor = { id: string };

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
