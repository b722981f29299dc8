// The schedule's reads: the lessons of a period, and what the booking form offers.
import { Prisma, type Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import type { LessonStatus } from "../db/generated/prisma/enums.ts";
import { onlyRole } from "../../domain/roles.ts";
import { almatyDate, almatyToInstant } from "../../domain/kz/time.ts";
import { AppError } from "../errors.ts";
import { redact } from "../../domain/visibility.ts";
import { ownTrainees, viewOf } from "../trainees/access.ts";
import { DRIVING_STATUSES } from "../../domain/lessons.ts";
import { byName } from "../trainees/select.ts";
import type { Locale } from "../../domain/i18n/index.ts";

type LessonRow = {
  id: string;
  starts_at: Date;
  ends_at: Date;
  status: LessonStatus;
  note: string | null;
  cancel_reason: string | null;
  cancel_note: string | null;
  instructor_id: string;
  vehicle_id: string;
  marked_at: Date | null;
  trainee_id: string;
  last_name: string;
  first_name: string;
  phone: string | null;
  category: string;
  plate: string;
  make_model: string;
  instructor_name: string | null;
};

/** The lessons from `from` to `to` (Astana days, both included), of one instructor, car or trainee if asked. */
export async function listLessons(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: { from: string; to: string; instructorId?: string; vehicleId?: string; traineeId?: string; lessonId?: string },
) {
  // An instructor who is nothing else in the school sees their own schedule only.
  const onlyOwn = onlyRole(school.roles, "instructor");
  // The schedule is the busiest read of a school's day: one query with its joins rather than four.
  const from = almatyToInstant(input.from, "00:00");
  const to = new Date(almatyToInstant(input.to, "00:00").getTime() + 86_400_000);
  const instructorId = onlyOwn ? actor.id : (input.instructorId ?? null);
  // Only the filters asked for are in the text: each combination is its own prepared statement (ADR 044), whose
  // plan PostgreSQL keeps, where "($1 IS NULL OR l.instructor_id = $1)" would need planning per value.
  const filters = [
    instructorId && Prisma.sql`AND l.instructor_id = ${instructorId}::uuid`,
    input.vehicleId && Prisma.sql`AND l.vehicle_id = ${input.vehicleId}::uuid`,
    input.traineeId && Prisma.sql`AND l.trainee_id = ${input.traineeId}::uuid`,
    input.lessonId && Prisma.sql`AND l.id = ${input.lessonId}::uuid`,
  ].filter((f): f is Prisma.Sql => !!f);
  const rows = await tx.$queryRaw<LessonRow[]>`
    SELECT l.id, l.starts_at, l.ends_at, l.status::text AS status, l.note, l.cancel_reason, l.cancel_note,
           l.instructor_id, l.vehicle_id, l.marked_at,
           t.id AS trainee_id, t.last_name, t.first_name, t.phone, t.category, v.plate, v.make_model, u.full_name AS instructor_name
      FROM driving_lesson l
      JOIN trainee t ON t.id = l.trainee_id
      JOIN vehicle v ON v.id = l.vehicle_id
      LEFT JOIN app_user u ON u.id = l.instructor_id
     WHERE l.starts_at >= ${from} AND l.starts_at < ${to} ${filters.length ? Prisma.join(filters, " ") : Prisma.empty}
     ORDER BY l.starts_at, l.id
     LIMIT 2000`;
  // The trainee's phone for a role that sees it: the office, and the instructor who drives with them (ADR 026).
  const view = viewOf({ school, user: actor });
  const own = await ownTrainees(
    tx,
    view,
    rows.map((r) => r.trainee_id),
  );
  return rows.map((r) => ({
    id: r.id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: r.status,
    note: r.note,
    cancelReason: r.cancel_reason,
    cancelNote: r.cancel_note,
    instructorId: r.instructor_id,
    vehicleId: r.vehicle_id,
    markedAt: r.marked_at,
    trainee: redact(
      { id: r.trainee_id, lastName: r.last_name, firstName: r.first_name, phone: r.phone, category: r.category },
      view,
      own.has(r.trainee_id),
    ),
    vehicle: { plate: r.plate, makeModel: r.make_model },
    instructorName: r.instructor_name ?? "",
  }));
}

/** One lesson as the schedule shows it (the cancellation's confirm step); an instructor only their own. */
export async function oneLesson(tx: Tx, school: SchoolCtx, actor: { id: string }, input: { lessonId: string }) {
  const found = await tx.drivingLesson.findUnique({ where: { id: input.lessonId }, select: { startsAt: true } });
  const day = found ? almatyDate(found.startsAt) : null;
  const [lesson] = day ? await listLessons(tx, school, actor, { from: day, to: day, lessonId: input.lessonId }) : [];
  if (!lesson) throw new AppError("NOT_FOUND", "notFound");
  return lesson;
}

/** What the booking form offers: trainees in training, instructors with their categories, cars in service. */
export async function bookingOptions(tx: Tx, locale: Locale) {
  const [trainees, choices] = await Promise.all([
    tx.trainee.findMany({
      where: { status: { in: [...DRIVING_STATUSES] } },
      orderBy: byName(locale),
      take: 1000,
      select: { id: true, lastName: true, firstName: true, category: true, gearbox: true },
    }),
    scheduleChoices(tx),
  ]);
  return { trainees, ...choices };
}

/**
 * The instructors (with their categories) and the cars in service, without the trainees: what the week grid and
 * moving a lesson choose from, which need not read up to a thousand trainees as the booking form does.
 */
export async function scheduleChoices(tx: Tx) {
  const [instructors, vehicles] = await Promise.all([
    tx.membership.findMany({
      where: { role: "instructor" },
      select: { user: { select: { id: true, fullName: true } } },
    }),
    tx.vehicle.findMany({
      where: { active: true },
      orderBy: { plate: "asc" },
      select: { id: true, plate: true, makeModel: true, category: true, gearbox: true },
    }),
  ]);
  const profiles = await tx.staffProfile.findMany({
    where: { userId: { in: instructors.map((i) => i.user.id) } },
  });
  const cats = Object.fromEntries(profiles.map((p) => [p.userId, p.licenceCategories]));
  return {
    instructors: instructors.map((i) => ({
      id: i.user.id,
      fullName: i.user.fullName,
      categories: cats[i.user.id] ?? [],
    })),
    vehicles,
  };
}
