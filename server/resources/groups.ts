// Study groups: the list, one group with its trainees, who could join it, and moving trainees between groups.
import { randomUUID } from "node:crypto";
import { traineeRowSelect } from "../trainees/select.ts";
import type { z } from "zod";
import type { SchoolCtx } from "../trpc.ts";
import { AppError, uniqueViolationFields } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import type { Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import {
  type assignInput,
  type byId,
  type groupCandidatesInput,
  type groupFields,
  type groupListInput,
  toDbDate,
  type updateGroupInput,
} from "./schema.ts";
import { likeText } from "../db/like.ts";
import { traineeSearch, viewOf } from "../trainees/access.ts";
import { redact } from "../../domain/visibility.ts";
import { isoDayOrNull } from "../../domain/kz/time.ts";
import { byName } from "../trainees/select.ts";
import type { Locale } from "../../domain/i18n/index.ts";

const traineeSelect = {
  ...traineeRowSelect,
  category: true,
  groupId: true,
} as const;
const fullName = (t: { lastName: string; firstName: string; middleName: string | null }) =>
  [t.lastName, t.firstName, t.middleName].filter(Boolean).join(" ");

async function teacherNames(db: Tx, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map<string, string>();
  const users = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, fullName: true } });
  return new Map(users.map((u) => [u.id, u.fullName]));
}

/** The teacher must teach in this school (membership with role teacher), or there is none. */
async function checkTeacher(db: Tx, schoolId: string, teacherId: string | null) {
  if (!teacherId) return;
  const m = await db.membership.findFirst({
    where: { schoolId, userId: teacherId, role: "teacher" },
    select: { id: true },
  });
  if (!m) throw new AppError("BAD_REQUEST", "resources.notTeacher", {}, "teacherId");
}

function numberTaken(e: unknown): never {
  if (uniqueViolationFields(e)) throw new AppError("CONFLICT", "resources.groupNumberTaken", {}, "number");
  throw e;
}

function toData(input: z.infer<typeof groupFields>) {
  return {
    number: input.number,
    category: input.category,
    startsOn: toDbDate(input.startsOn)!,
    endsOn: toDbDate(input.endsOn)!,
    teacherId: input.teacherId,
    timetable: input.timetable,
  };
}

type GroupRow = {
  id: string;
  number: string;
  category: string;
  startsOn: Date;
  endsOn: Date;
  teacherId: string | null;
  timetable: string | null;
  createdAt: Date;
};
const shape = (g: GroupRow, teachers: Map<string, string>) => ({
  id: g.id,
  number: g.number,
  category: g.category,
  startsOn: isoDayOrNull(g.startsOn)!,
  endsOn: isoDayOrNull(g.endsOn)!,
  teacherId: g.teacherId,
  teacherName: g.teacherId ? (teachers.get(g.teacherId) ?? null) : null,
  timetable: g.timetable,
  createdAt: g.createdAt,
});

/** Who acts: their id (the trainee view and the audit entries name them). */
type Actor = { id: string };

/** The school's groups, newest first, with their teacher's name and how many trainees each has. */
export async function listGroups(tx: Tx, input: z.infer<typeof groupListInput>) {
  const where: Prisma.StudyGroupWhereInput = input.q
    ? { number: { contains: likeText(input.q), mode: "insensitive" } }
    : {};
  const rows = await tx.studyGroup.findMany({
    where,
    orderBy: [{ startsOn: "desc" }, { number: "asc" }],
    include: { _count: { select: { trainees: true } } },
    take: 500,
  });
  const teachers = await teacherNames(
    tx,
    rows.map((r) => r.teacherId),
  );
  return rows.map((r) => ({ ...shape(r, teachers), traineeCount: r._count.trainees }));
}

/** One group with its trainees, as the actor's view shows them. */
export async function groupWithTrainees(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof byId>,
  locale: Locale,
) {
  const g = await tx.studyGroup.findUnique({ where: { id: input.id } });
  if (!g) throw new AppError("NOT_FOUND", "notFound");
  const [trainees, teachers] = await Promise.all([
    tx.trainee.findMany({
      where: { groupId: g.id },
      select: traineeSelect,
      orderBy: byName(locale),
    }),
    teacherNames(tx, [g.teacherId]),
  ]);
  const view = viewOf({ school, user: actor });
  return { ...shape(g, teachers), trainees: trainees.map((t) => redact({ ...t, fullName: fullName(t) }, view)) };
}

/** Who could join the group: trainees of its category, without a group (or found by IIN/name). */
export async function groupCandidates(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof groupCandidatesInput>,
  locale: Locale,
) {
  const g = await tx.studyGroup.findUnique({ where: { id: input.id }, select: { id: true, category: true } });
  if (!g) throw new AppError("NOT_FOUND", "notFound");
  const view = viewOf({ school, user: actor });
  const q = input.q;
  const where: Prisma.TraineeWhereInput = q
    ? { AND: [{ OR: [{ groupId: null }, { groupId: { not: g.id } }] }, await traineeSearch(tx, q, view)] }
    : { category: g.category, groupId: null, status: { notIn: ["graduated", "expelled", "transferred"] } };
  const rows = await tx.trainee.findMany({
    where,
    select: traineeSelect,
    orderBy: byName(locale),
    take: 100,
  });
  const groupIds = [...new Set(rows.map((r) => r.groupId).filter((x): x is string => !!x))];
  const groups = groupIds.length
    ? await tx.studyGroup.findMany({ where: { id: { in: groupIds } }, select: { id: true, number: true } })
    : [];
  const numbers = new Map(groups.map((x) => [x.id, x.number]));
  return rows.map((t) =>
    redact({ ...t, fullName: fullName(t), groupNumber: t.groupId ? (numbers.get(t.groupId) ?? null) : null }, view),
  );
}

export async function createGroup(tx: Tx, schoolId: string, input: z.infer<typeof groupFields>) {
  await checkTeacher(tx, schoolId, input.teacherId);
  const id = randomUUID();
  await tx.studyGroup.create({ data: { id, schoolId, ...toData(input) }, select: { id: true } }).catch(numberTaken);
  return { id };
}

/** A new category is refused while trainees of another category are in the group. */
export async function updateGroup(tx: Tx, schoolId: string, input: z.infer<typeof updateGroupInput>) {
  const before = await tx.studyGroup.findUnique({ where: { id: input.id }, select: { category: true } });
  if (!before) throw new AppError("NOT_FOUND", "notFound");
  await checkTeacher(tx, schoolId, input.data.teacherId);
  if (before.category !== input.data.category) {
    const other = await tx.trainee.count({
      where: { groupId: input.id, category: { not: input.data.category } },
    });
    if (other > 0) throw new AppError("BAD_REQUEST", "resources.groupCategoryInUse", { count: other }, "category");
  }
  await tx.studyGroup
    .update({ where: { id: input.id }, data: toData(input.data), select: { id: true } })
    .catch(numberTaken);
  return { id: input.id };
}

/**
 * Moves trainees into a group (or out of any, with null). A trainee is in one group at a time and
 * only in a group of their own category; hours done live on the lessons, so nothing else changes.
 */
export async function assignToGroup(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof assignInput>,
  meta: RequestMeta,
) {
  const ids = [...new Set(input.traineeIds)];
  const group = input.groupId
    ? await tx.studyGroup.findUnique({
        where: { id: input.groupId },
        select: { id: true, number: true, category: true },
      })
    : null;
  if (input.groupId && !group) throw new AppError("NOT_FOUND", "notFound", {}, "groupId");
  const trainees = await tx.trainee.findMany({ where: { id: { in: ids } }, select: traineeSelect });
  if (trainees.length !== ids.length) throw new AppError("NOT_FOUND", "resources.traineeNotFound", {}, "traineeIds");
  if (group) {
    const wrong = trainees.find((t) => t.category !== group.category);
    if (wrong) {
      throw new AppError(
        "BAD_REQUEST",
        "resources.wrongCategory",
        {
          name: fullName(wrong),
          traineeCategory: wrong.category,
          group: group.number,
          groupCategory: group.category,
        },
        "traineeIds",
      );
    }
  }
  const moving = trainees.filter((t) => t.groupId !== (group?.id ?? null));
  if (moving.length === 0) return { moved: 0 };
  await tx.trainee.updateMany({
    where: { id: { in: moving.map((t) => t.id) } },
    data: { groupId: group?.id ?? null, updatedAt: new Date() },
  });
  for (const t of moving) {
    await audit(tx, meta, {
      action: "trainee.group_changed",
      schoolId: school.id,
      actorUserId: actor.id,
      details: { traineeId: t.id, fromGroupId: t.groupId, toGroupId: group?.id ?? null },
    });
  }
  return { moved: moving.length };
}
