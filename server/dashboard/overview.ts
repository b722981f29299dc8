// The director's dashboard: the numbers of one school, each computed by a few set-wise queries
// (never one query per trainee), inside the request's RLS transaction.
import type { Tx } from "../db/client.ts";
import { addDays, almatyDate, almatyToInstant } from "../../domain/kz/time.ts";
import { CATEGORIES, TRAINEE_STATUSES } from "../../domain/trainees.ts";
import { schoolWarnings } from "./warnings.ts";
import type { Warning } from "../../domain/warnings.ts";
import { byName } from "../trainees/select.ts";
import type { Locale } from "../../domain/i18n/index.ts";

/** Trainees the school is working with now. */
export const CURRENT_STATUSES = ["applicant", "enrolled", "training", "exams"] as const;
const UPCOMING_DAYS = 7;
const LIST_LIMIT = 30;

/** The first day of the month of `date` and of the month after it, YYYY-MM-DD. */
export function monthBounds(date: string): { first: string; next: string } {
  const [y, m] = date.split("-").map(Number) as [number, number];
  const pad = (n: number) => String(n).padStart(2, "0");
  return { first: `${y}-${pad(m)}-01`, next: m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01` };
}

export type GroupProgress = {
  id: string;
  number: string;
  category: string;
  startsOn: string;
  endsOn: string;
  trainees: number;
  /** average driving minutes done per trainee in the group */
  avgDoneMinutes: number;
  /** average driving minutes required by the programme; null when no trainee has a programme */
  avgRequiredMinutes: number | null;
};

export type InstructorMonth = { instructorId: string; name: string; done: number; missed: number; booked: number };

/** What a school needs before its trainees can learn, in the order a new school sets it up. */
const SETUP_NEEDS = ["questions", "teacher", "instructor", "vehicle"] as const;
type SetupNeed = (typeof SETUP_NEEDS)[number];

/** The numbers the dashboard counts, in one statement: one round trip instead of eight (ADR 049). */
type Counts = {
  by_status: Record<string, number>;
  by_category: Record<string, number>;
  upcoming_lessons: number;
  /** What a school needs before its trainees can learn (setupGaps). */
  questions: number;
  teachers: number;
  instructors: number;
  vehicles: number;
};

async function countAll(tx: Tx, schoolId: string, now: Date, weekTo: Date): Promise<Counts> {
  const current = [...CURRENT_STATUSES];
  const [row] = await tx.$queryRaw<Counts[]>`
    SELECT
      (SELECT coalesce(json_object_agg(status, n), '{}') FROM (
         SELECT status::text, count(*)::int AS n FROM trainee WHERE school_id = ${schoolId}::uuid GROUP BY status) s
      ) AS by_status,
      (SELECT coalesce(json_object_agg(category, n), '{}') FROM (
         SELECT category, count(*)::int AS n FROM trainee
          WHERE school_id = ${schoolId}::uuid AND status::text = ANY(${current}::text[]) GROUP BY category) c
      ) AS by_category,
      (SELECT count(*)::int FROM driving_lesson
        WHERE school_id = ${schoolId}::uuid AND status = 'booked' AND starts_at >= ${now} AND starts_at < ${weekTo}
      ) AS upcoming_lessons,
      (SELECT count(*)::int FROM question WHERE school_id = ${schoolId}::uuid AND active) AS questions,
      (SELECT count(*)::int FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE m.school_id = ${schoolId}::uuid AND m.role = 'teacher' AND u.deactivated_at IS NULL) AS teachers,
      (SELECT count(*)::int FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE m.school_id = ${schoolId}::uuid AND m.role = 'instructor' AND u.deactivated_at IS NULL) AS instructors,
      (SELECT count(*)::int FROM vehicle WHERE school_id = ${schoolId}::uuid AND active) AS vehicles`;
  return row!;
}

/**
 * What is still missing for the work to go on (a new school's first week): an empty question bank (no
 * theory test), no teacher (no theory lessons), no instructor or no car (no driving lessons). Shown on the
 * dashboard before a trainee runs into it. Programmes are not here: without its own, a school uses the
 * standard one.
 */
function setupGaps(counts: Counts): SetupNeed[] {
  const have: Record<SetupNeed, number> = {
    questions: counts.questions,
    teacher: counts.teachers,
    instructor: counts.instructors,
    vehicle: counts.vehicles,
  };
  return SETUP_NEEDS.filter((need) => have[need] === 0);
}

export async function dashboardOverview(tx: Tx, schoolId: string, locale: Locale, now: Date = new Date()) {
  const today = almatyDate(now);
  const month = monthBounds(today);
  const monthFrom = almatyToInstant(month.first, "00:00");
  const monthTo = almatyToInstant(month.next, "00:00");
  const weekTo = new Date(now.getTime() + UPCOMING_DAYS * 86_400_000);
  // Groups still running, or finished within the last 30 days.
  const groupsSince = addDays(today, -30);

  const [counts, groupRows, examTrainees, lessons, instructorRows, warnings] = await Promise.all([
    countAll(tx, schoolId, now, weekTo),
    tx.$queryRaw<
      {
        id: string;
        number: string;
        category: string;
        starts_on: string;
        ends_on: string;
        trainees: bigint;
        avg_done: number | null;
        avg_required: number | null;
      }[]
    >`
      WITH done AS (
        SELECT l.trainee_id, sum(extract(epoch FROM l.ends_at - l.starts_at) / 60) AS minutes
          FROM driving_lesson l
         WHERE l.school_id = ${schoolId}::uuid AND l.status = 'done'
         GROUP BY l.trainee_id
      )
      SELECT g.id::text, g.number, g.category, to_char(g.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(g.ends_on, 'YYYY-MM-DD') AS ends_on,
             count(t.id) AS trainees,
             avg(coalesce(d.minutes, 0)) FILTER (WHERE t.id IS NOT NULL)::float8 AS avg_done,
             avg(coalesce(p.driving_hours, pt.driving_hours) * 60)::float8 AS avg_required
        FROM study_group g
        LEFT JOIN trainee t ON t.group_id = g.id AND t.school_id = g.school_id AND t.status NOT IN ('expelled', 'transferred')
        LEFT JOIN done d ON d.trainee_id = t.id
        LEFT JOIN programme p ON p.school_id = t.school_id AND p.category = t.category AND p.gearbox = t.gearbox
        LEFT JOIN programme_template pt ON pt.category = t.category AND pt.gearbox = t.gearbox
       WHERE g.school_id = ${schoolId}::uuid AND g.ends_on >= ${groupsSince}::date
       GROUP BY g.id
       ORDER BY g.starts_on, g.number
       LIMIT 100`,
    tx.trainee.findMany({
      where: { schoolId, status: "exams" },
      select: { id: true, lastName: true, firstName: true, category: true, group: { select: { number: true } } },
      orderBy: byName(locale),
      take: LIST_LIMIT,
    }),
    tx.drivingLesson.findMany({
      where: { schoolId, status: "booked", startsAt: { gte: now, lt: weekTo } },
      select: {
        id: true,
        startsAt: true,
        endsAt: true,
        instructorId: true,
        trainee: { select: { id: true, lastName: true, firstName: true } },
        vehicle: { select: { plate: true } },
      },
      orderBy: { startsAt: "asc" },
      take: LIST_LIMIT,
    }),
    tx.$queryRaw<{ instructor_id: string; name: string; done: bigint; missed: bigint; booked: bigint }[]>`
      SELECT l.instructor_id::text, u.full_name AS name,
             count(*) FILTER (WHERE l.status = 'done') AS done,
             count(*) FILTER (WHERE l.status = 'missed') AS missed,
             count(*) FILTER (WHERE l.status = 'booked') AS booked
        FROM driving_lesson l JOIN app_user u ON u.id = l.instructor_id
       WHERE l.school_id = ${schoolId}::uuid AND l.starts_at >= ${monthFrom} AND l.starts_at < ${monthTo} AND l.status <> 'cancelled'
       GROUP BY l.instructor_id, u.full_name
       ORDER BY u.full_name`,
    schoolWarnings(tx, schoolId, today),
  ]);

  const statusCount = new Map(Object.entries(counts.by_status));
  const byStatus = TRAINEE_STATUSES.map((status) => ({ status, count: statusCount.get(status) ?? 0 }));
  const categoryCount = new Map(Object.entries(counts.by_category));
  const byCategory = CATEGORIES.filter((c) => categoryCount.has(c)).map((category) => ({
    category,
    count: categoryCount.get(category)!,
  }));
  const examCount = statusCount.get("exams") ?? 0;
  const lessonCount = counts.upcoming_lessons;
  const missing = setupGaps(counts);

  const groups: GroupProgress[] = groupRows.map((g) => ({
    id: g.id,
    number: g.number,
    category: g.category,
    startsOn: g.starts_on,
    endsOn: g.ends_on,
    trainees: Number(g.trainees),
    avgDoneMinutes: Math.round(g.avg_done ?? 0),
    avgRequiredMinutes: g.avg_required === null ? null : Math.round(g.avg_required),
  }));

  const names = new Map(instructorRows.map((r) => [r.instructor_id, r.name]));
  const missingNames = [...new Set(lessons.map((l) => l.instructorId))].filter((id) => !names.has(id));
  if (missingNames.length) {
    for (const u of await tx.user.findMany({
      where: { id: { in: missingNames } },
      select: { id: true, fullName: true },
    }))
      names.set(u.id, u.fullName);
  }
  const instructors: InstructorMonth[] = instructorRows.map((r) => ({
    instructorId: r.instructor_id,
    name: r.name,
    done: Number(r.done),
    missed: Number(r.missed),
    booked: Number(r.booked),
  }));

  const current = byStatus
    .filter((s) => (CURRENT_STATUSES as readonly string[]).includes(s.status))
    .reduce((n, s) => n + s.count, 0);
  return {
    today,
    month: month.first,
    cards: {
      currentTrainees: current,
      inTraining: (statusCount.get("enrolled") ?? 0) + (statusCount.get("training") ?? 0),
      inExams: examCount,
      lessonsDoneThisMonth: instructors.reduce((n, i) => n + i.done, 0),
      upcomingLessons: lessonCount,
      warningsExpired: warnings.filter((w) => w.state === "expired").length,
      warningsSoon: warnings.filter((w) => w.state === "soon").length,
    },
    byStatus,
    byCategory,
    groups,
    upcoming: {
      examCount,
      exams: examTrainees.map((t) => ({
        id: t.id,
        lastName: t.lastName,
        firstName: t.firstName,
        category: t.category,
        group: t.group?.number ?? null,
      })),
      lessonCount,
      lessons: lessons.map((l) => ({
        id: l.id,
        startsAt: l.startsAt,
        endsAt: l.endsAt,
        trainee: l.trainee,
        plate: l.vehicle.plate,
        instructorId: l.instructorId,
        instructorName: names.get(l.instructorId) ?? "",
      })),
    },
    instructors,
    /** what the school still lacks for trainees to learn (empty: nothing) */
    missing,
    warnings: warnings.map(({ schoolId: _s, ...w }) => w) satisfies Omit<Warning, "schoolId">[],
  };
}
