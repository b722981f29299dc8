// Theory lessons by group and attendance per trainee.
import { z } from "zod";
import { router, schoolProcedure } from "../trpc.ts";
import { WRITERS, onlyRole } from "../../domain/roles.ts";
import { AppError } from "../errors.ts";
import { almatyToInstant } from "../../domain/kz/time.ts";
import type { Tx } from "../db/client.ts";
import { createLessonInput, markInput, weekInput } from "./schema.ts";
import { createLesson, markAttendance, mayMark, programmeSubjects } from "./service.ts";
import type { Subject } from "../resources/schema.ts";

const MARKERS = ["director", "registrar", "teacher"] as const;

/** Subject names by category, looked up once per request. */
function subjectNames(tx: Tx, schoolId: string) {
  const cache = new Map<string, Promise<Subject[]>>();
  return async (category: string, code: string) => {
    if (!cache.has(category)) cache.set(category, programmeSubjects(tx, schoolId, category));
    const s = (await cache.get(category)!).find((x) => x.code === code);
    return { code, nameKk: s?.nameKk ?? code, nameRu: s?.nameRu ?? code };
  };
}

async function userNames(tx: Tx, ids: string[]) {
  const users = await tx.user.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, fullName: true },
  });
  return Object.fromEntries(users.map((u) => [u.id, u.fullName]));
}

export const theoryRouter = router({
  /** What the create form offers: groups with their programme's subjects, and the school's teachers. */
  options: schoolProcedure(WRITERS).query(async ({ ctx }) => {
    const [groups, teachers] = await Promise.all([
      ctx.db.studyGroup.findMany({
        orderBy: [{ startsOn: "desc" }, { number: "asc" }],
        take: 500,
        select: { id: true, number: true, category: true },
      }),
      ctx.db.membership.findMany({
        where: { role: "teacher" },
        select: { user: { select: { id: true, fullName: true } } },
      }),
    ]);
    const byCategory = new Map<string, Subject[]>();
    for (const c of new Set(groups.map((g) => g.category)))
      byCategory.set(c, await programmeSubjects(ctx.db, ctx.school.id, c));
    return {
      groups: groups.map((g) => ({ ...g, subjects: byCategory.get(g.category) ?? [] })),
      teachers: teachers.map((t) => t.user).sort((a, b) => a.fullName.localeCompare(b.fullName)),
    };
  }),

  /** Lessons between two dates (Almaty); a member who is only a teacher sees their own. */
  week: schoolProcedure()
    .input(weekInput)
    .query(async ({ ctx, input }) => {
      const onlyOwn = onlyRole(ctx.school.roles, "teacher");
      const rows = await ctx.db.theoryLesson.findMany({
        where: {
          startsAt: {
            gte: almatyToInstant(input.from, "00:00"),
            lt: new Date(almatyToInstant(input.to, "00:00").getTime() + 86_400_000),
          },
          ...(onlyOwn ? { teacherId: ctx.user.id } : {}),
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
      const groups = await ctx.db.studyGroup.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.groupId))] } },
        select: { id: true, number: true, category: true },
      });
      const groupOf = Object.fromEntries(groups.map((g) => [g.id, g]));
      const names = await userNames(
        ctx.db,
        rows.map((r) => r.teacherId),
      );
      const subject = subjectNames(ctx.db, ctx.school.id);
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
    }),

  /** One lesson with its group's trainees and their marks. */
  get: schoolProcedure()
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const lesson = await ctx.db.theoryLesson.findUnique({
        where: { id: input.id },
        include: { attendance: { select: { traineeId: true, present: true, markedAt: true, markedBy: true } } },
      });
      if (!lesson) throw new AppError("NOT_FOUND", "notFound");
      const group = await ctx.db.studyGroup.findUniqueOrThrow({
        where: { id: lesson.groupId },
        select: { id: true, number: true, category: true },
      });
      const marks = new Map(lesson.attendance.map((a) => [a.traineeId, a]));
      const trainees = await ctx.db.trainee.findMany({
        where: { OR: [{ groupId: group.id }, { id: { in: [...marks.keys()] } }] },
        orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
        select: { id: true, lastName: true, firstName: true, middleName: true, status: true },
      });
      const names = await userNames(ctx.db, [lesson.teacherId, ...lesson.attendance.map((a) => a.markedBy)]);
      const { attendance: _a, ...rest } = lesson;
      return {
        ...rest,
        group,
        subject: await subjectNames(ctx.db, ctx.school.id)(group.category, lesson.subjectCode),
        teacherName: names[lesson.teacherId] ?? "",
        canMark: mayMark(ctx.school, ctx.user.id, lesson.teacherId),
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
    }),

  create: schoolProcedure(WRITERS)
    .input(createLessonInput)
    .mutation(({ ctx, input }) => createLesson(ctx.db, ctx.school, { id: ctx.user.id }, input)),

  mark: schoolProcedure(MARKERS)
    .input(markInput)
    .mutation(({ ctx, input }) => markAttendance(ctx.db, ctx.school, { id: ctx.user.id }, input)),
});
