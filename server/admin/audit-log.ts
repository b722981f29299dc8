// The operator's audit log browser: every school's entries, newest first, 50 a page, by school, user,
// event and Astana-time days; each entry with the names of its school and people (the ids are links for
// the screen, never what it shows). Keyset paging on (at, id): every filter has an index that starts with
// its column and goes on with `at` (audit_log (school_id, at), (actor_user_id, at), (action, at), (at)),
// so a page is an index range scan of at most 51 rows whatever the log's size.
import type { z } from "zod";
import { Prisma } from "../db/generated/prisma/client.ts";
import type { Tx } from "../db/client.ts";
import { likeText } from "../db/like.ts";
import { addDays, almatyToInstant } from "../../domain/kz/time.ts";
import { schoolSearch } from "../schools/search.ts";
import type { auditInput } from "./schema.ts";

const PAGE = 50;
/** How many schools or users a search text may stand for at once (then the list says "be more precise"). */
const MATCHES = 20;

type Row = {
  id: bigint;
  at: Date;
  at_us: bigint;
  school_id: string | null;
  actor_user_id: string | null;
  action: string;
  ip: string | null;
  user_agent: string | null;
  details: Prisma.JsonValue;
};

export type AuditNames = {
  schools: Record<string, { name: string; slug: string }>;
  users: Record<string, { fullName: string; email: string }>;
  trainees: Record<string, string>;
};

/** `<microseconds since 1970>_<id>` of the last row: the next page starts strictly after it. */
function cursorOf(row: Row): string {
  return `${row.at_us}_${row.id}`;
}

/** The schools a filter stands for: the one chosen, or those whose name, BIN/IIN or slug has the text. */
async function schoolsFor(db: Tx, input: z.output<typeof auditInput>) {
  if (input.schoolId)
    return db.school.findMany({ where: { id: input.schoolId }, select: { id: true, name: true, slug: true } });
  if (!input.school) return null;
  return db.school.findMany({
    where: schoolSearch(input.school, { slug: true }),
    select: { id: true, name: true, slug: true },
    orderBy: { name: "asc" },
    take: MATCHES + 1,
  });
}

/** The users a filter stands for: the one chosen, or those whose e-mail or name has the text. */
async function usersFor(db: Tx, input: z.output<typeof auditInput>) {
  const select = { id: true, fullName: true, email: true } as const;
  if (input.userId) return db.user.findMany({ where: { id: input.userId }, select });
  if (!input.user) return null;
  return db.user.findMany({
    where: {
      OR: [
        { email: { contains: likeText(input.user.toLowerCase()) } },
        { fullName: { contains: likeText(input.user), mode: "insensitive" } },
      ],
    },
    select,
    orderBy: { email: "asc" },
    take: MATCHES + 1,
  });
}

/** The names of the schools, users and trainees a page of entries mentions (its columns and its details). */
export async function auditNames(
  db: Tx,
  rows: { schoolId: string | null; actorUserId: string | null; details: unknown }[],
): Promise<AuditNames> {
  const schoolIds = new Set<string>();
  const userIds = new Set<string>();
  const traineeIds = new Set<string>();
  const uuid = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f-]{36}$/i.test(v);
  for (const r of rows) {
    if (r.schoolId) schoolIds.add(r.schoolId);
    if (r.actorUserId) userIds.add(r.actorUserId);
    const d = (r.details ?? {}) as Record<string, unknown>;
    if (uuid(d.userId)) userIds.add(d.userId);
    if (uuid(d.traineeId)) traineeIds.add(d.traineeId);
  }
  const [schools, users, trainees] = await Promise.all([
    schoolIds.size
      ? db.school.findMany({ where: { id: { in: [...schoolIds] } }, select: { id: true, name: true, slug: true } })
      : [],
    userIds.size
      ? db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, fullName: true, email: true } })
      : [],
    traineeIds.size
      ? db.trainee.findMany({
          where: { id: { in: [...traineeIds] } },
          select: { id: true, lastName: true, firstName: true, middleName: true },
        })
      : [],
  ]);
  return {
    schools: Object.fromEntries(schools.map((s) => [s.id, { name: s.name, slug: s.slug }])),
    users: Object.fromEntries(users.map((u) => [u.id, { fullName: u.fullName, email: u.email }])),
    trainees: Object.fromEntries(
      trainees.map((t) => [t.id, [t.lastName, t.firstName, t.middleName].filter(Boolean).join(" ")]),
    ),
  };
}

/** One page of the audit log by the filters; `nextBefore` is the cursor of the next page, if any. */
export async function auditPage(db: Tx, input: z.output<typeof auditInput>) {
  const [schools, users] = await Promise.all([schoolsFor(db, input), usersFor(db, input)]);
  const filter = {
    schools: schools?.slice(0, MATCHES) ?? null,
    users: users?.map((u) => ({ id: u.id, fullName: u.fullName, email: u.email })).slice(0, MATCHES) ?? null,
    tooManySchools: (schools?.length ?? 0) > MATCHES,
    tooManyUsers: (users?.length ?? 0) > MATCHES,
  };
  const empty = { items: [], nextBefore: null, names: { schools: {}, users: {}, trainees: {} }, filter };
  if (schools?.length === 0 || users?.length === 0) return empty;

  const where: Prisma.Sql[] = [];
  const uuids = (ids: string[]) => Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`));
  if (filter.schools) where.push(Prisma.sql`school_id IN (${uuids(filter.schools.map((s) => s.id))})`);
  if (filter.users) where.push(Prisma.sql`actor_user_id IN (${uuids(filter.users.map((u) => u.id))})`);
  if (input.action) where.push(Prisma.sql`action = ${input.action}`);
  // Whole days in Astana time: from the first day's midnight to the midnight after the last.
  if (input.from) where.push(Prisma.sql`at >= ${almatyToInstant(input.from, "00:00")}`);
  if (input.to) where.push(Prisma.sql`at < ${almatyToInstant(addDays(input.to, 1), "00:00")}`);
  if (input.before) {
    const [us, id] = input.before.split("_");
    const at = Prisma.sql`(timestamptz 'epoch' + ${us}::bigint * interval '1 microsecond')`;
    // `at <= …` alone is what an index range can use; the row comparison settles ties within one instant.
    where.push(Prisma.sql`at <= ${at} AND (at, id) < (${at}, ${id}::bigint)`);
  }
  const rows = await db.$queryRaw<Row[]>`
    SELECT id, at, (extract(epoch FROM at) * 1000000)::bigint AS at_us, school_id, actor_user_id, action, ip,
      user_agent, details
    FROM audit_log
    ${where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty}
    ORDER BY at DESC, id DESC
    LIMIT ${PAGE + 1}`;
  const page = rows.slice(0, PAGE);
  const items = page.map((r) => ({
    id: String(r.id),
    at: r.at,
    action: r.action,
    schoolId: r.school_id,
    actorUserId: r.actor_user_id,
    ip: r.ip,
    userAgent: r.user_agent,
    details: r.details,
  }));
  return {
    items,
    nextBefore: rows.length > PAGE ? cursorOf(page[page.length - 1]!) : null,
    names: await auditNames(db, items),
    filter,
  };
}
