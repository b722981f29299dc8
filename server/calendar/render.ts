// The feed itself: `/cal/<token>.ics` (docs/decisions/033-calendar-feeds.md). The address names no school, so
// the operator role finds the feed of the token's hash — and nothing else — then the lessons are read in that
// school's scope with the app role, under row-level security like any workspace request. An unknown or
// revoked token, an instructor who is no longer one here, a school that is suspended: all the same "not
// found", saying nothing of why.
import type { Tx } from "../db/client.ts";
import { inScope, operatorDb } from "../db/client.ts";
import { hashToken } from "../auth/tokens.ts";
import { subjectNames } from "../theory/programme.ts";
import { isLocale, TIME_ZONE, translator, type Locale } from "../../domain/i18n/index.ts";
import { icsCalendar, type IcsEvent } from "./ics.ts";

/** The window a phone is given: a month back (what just happened), three months ahead. */
export const FEED_DAYS_BACK = 30;
export const FEED_DAYS_AHEAD = 90;
/** A feed never grows past this many events, whatever a school books. */
export const FEED_MAX_EVENTS = 1000;
/** last_fetched_at is written at most this often, so a phone polling every minute costs no writes. */
const FETCH_MARK_MS = 15 * 60_000;

/** "Сәрсенбаев Нұрлан" → "Сәрсенбаев Н.": enough to recognise, no more. */
export function shortName(lastName: string, firstName: string): string {
  const initial = [...firstName.trim()][0];
  return initial ? `${lastName.trim()} ${initial.toUpperCase()}.` : lastName.trim();
}

/** A full name as kept on an account ("Иванов Иван") in the short form. */
function shortFullName(fullName: string): string {
  const [last = "", first = ""] = fullName.trim().split(/\s+/);
  return shortName(last, first);
}

type Feed = {
  id: string;
  schoolId: string;
  ownerKind: string;
  userId: string | null;
  traineeId: string | null;
  lastFetchedAt: Date | null;
};

/** The calendar of a feed's token as iCalendar text, or null for "not found". */
export async function feedCalendar(token: string, now = new Date()): Promise<string | null> {
  const feed = await operatorDb().calendarFeed.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      schoolId: true,
      ownerKind: true,
      userId: true,
      traineeId: true,
      revokedAt: true,
      lastFetchedAt: true,
    },
  });
  if (!feed || feed.revokedAt) return null;
  return inScope({ schoolId: feed.schoolId }, async (tx) => {
    const school = await tx.school.findUnique({
      where: { id: feed.schoolId },
      select: { name: true, address: true, status: true },
    });
    if (!school || school.status === "suspended" || school.status === "deactivated") return null;
    const owned =
      feed.ownerKind === "instructor" ? await instructorEvents(tx, feed, now) : await traineeEvents(tx, feed, now);
    if (!owned) return null;
    if (!feed.lastFetchedAt || now.getTime() - feed.lastFetchedAt.getTime() > FETCH_MARK_MS)
      await tx.calendarFeed.update({ where: { id: feed.id }, data: { lastFetchedAt: now }, select: { id: true } });
    const t = translator(owned.locale);
    const events = owned.events.map((e) => ({ ...e, location: e.location ?? school.address }));
    return icsCalendar({
      name: t(feed.ownerKind === "instructor" ? "calendar:feed.name" : "calendar:feed.nameTrainee", {
        school: school.name,
      }),
      timeZone: TIME_ZONE,
      now,
      events: events.slice(0, FEED_MAX_EVENTS),
    });
  });
}

const DAY_MS = 86_400_000;
const span = (now: Date) => ({
  gte: new Date(now.getTime() - FEED_DAYS_BACK * DAY_MS),
  lt: new Date(now.getTime() + FEED_DAYS_AHEAD * DAY_MS),
});

/**
 * How many times each lesson changed since it was booked (moved, marked, corrected, cancelled): its journal
 * entries, less the booking. The journal names the trainee as the subject and the lesson in its data.
 */
async function sequences(tx: Tx, lessons: { id: string; traineeId: string }[]): Promise<Map<string, number>> {
  if (lessons.length === 0) return new Map();
  const trainees = [...new Set(lessons.map((l) => l.traineeId))];
  const rows = await tx.$queryRaw<{ id: string; n: number }[]>`
    SELECT data->>'lessonId' AS id, count(*)::int AS n
      FROM journal_entry
     WHERE subject_id = ANY(${trainees}::uuid[]) AND kind LIKE 'lesson.%'
       AND data->>'lessonId' = ANY(${lessons.map((l) => l.id)}::text[])
     GROUP BY 1`;
  return new Map(rows.map((r) => [r.id, Math.max(0, r.n - 1)]));
}

const lessonSelect = {
  id: true,
  startsAt: true,
  endsAt: true,
  status: true,
  traineeId: true,
  instructorId: true,
  trainee: { select: { lastName: true, firstName: true } },
  vehicle: { select: { plate: true } },
} as const;

async function localeOf(tx: Tx, userId: string | null): Promise<Locale> {
  if (!userId) return "kk";
  const u = await tx.user.findUnique({ where: { id: userId }, select: { locale: true } });
  return isLocale(u?.locale) ? u.locale : "kk";
}

function drivingEvent(
  t: ReturnType<typeof translator>,
  l: { id: string; startsAt: Date; endsAt: Date; status: string },
  summary: string,
  sequence: number,
): IcsEvent {
  return {
    uid: `lesson-${l.id}@avtomektep.kz`,
    start: l.startsAt,
    end: l.endsAt,
    summary,
    description: t(`calendar:feed.status.${l.status}`),
    status: l.status === "cancelled" ? "CANCELLED" : "CONFIRMED",
    sequence,
  };
}

/** An instructor's driving lessons; null when they no longer teach driving here. */
async function instructorEvents(tx: Tx, feed: Feed, now: Date) {
  const userId = feed.userId!;
  const member = await tx.membership.findFirst({ where: { userId, role: "instructor" }, select: { id: true } });
  const user = await tx.user.findUnique({ where: { id: userId }, select: { deactivatedAt: true } });
  if (!member || !user || user.deactivatedAt) return null;
  const locale = await localeOf(tx, userId);
  const t = translator(locale);
  const lessons = await tx.drivingLesson.findMany({
    where: { instructorId: userId, startsAt: span(now) },
    orderBy: { startsAt: "asc" },
    take: FEED_MAX_EVENTS,
    select: lessonSelect,
  });
  const seq = await sequences(tx, lessons);
  const events = lessons.map((l) =>
    drivingEvent(
      t,
      l,
      t("calendar:feed.instructorSummary", {
        trainee: shortName(l.trainee.lastName, l.trainee.firstName),
        plate: l.vehicle.plate,
      }),
      seq.get(l.id) ?? 0,
    ),
  );
  return { locale, events };
}

/** A trainee's driving lessons, and the theory lessons of their group. */
async function traineeEvents(tx: Tx, feed: Feed, now: Date) {
  const trainee = await tx.trainee.findUnique({
    where: { id: feed.traineeId! },
    select: { userId: true, groupId: true, group: { select: { category: true } } },
  });
  if (!trainee) return null;
  const locale = await localeOf(tx, trainee.userId);
  const t = translator(locale);
  const [lessons, theory] = await Promise.all([
    tx.drivingLesson.findMany({
      where: { traineeId: feed.traineeId!, startsAt: span(now) },
      orderBy: { startsAt: "asc" },
      take: FEED_MAX_EVENTS,
      select: lessonSelect,
    }),
    trainee.groupId
      ? tx.theoryLesson.findMany({
          where: { groupId: trainee.groupId, startsAt: span(now) },
          orderBy: { startsAt: "asc" },
          take: FEED_MAX_EVENTS,
          select: { id: true, startsAt: true, endsAt: true, subjectCode: true, room: true },
        })
      : Promise.resolve([]),
  ]);
  const [seq, instructors] = await Promise.all([
    sequences(tx, lessons),
    tx.user.findMany({
      where: { id: { in: [...new Set(lessons.map((l) => l.instructorId))] } },
      select: { id: true, fullName: true },
    }),
  ]);
  const instructorName = new Map(instructors.map((i) => [i.id, shortFullName(i.fullName)]));
  const driving = lessons.map((l) =>
    drivingEvent(
      t,
      l,
      t("calendar:feed.traineeSummary", {
        instructor: instructorName.get(l.instructorId) ?? "",
        plate: l.vehicle.plate,
      }),
      seq.get(l.id) ?? 0,
    ),
  );
  const subject = subjectNames(tx, feed.schoolId);
  const classes: IcsEvent[] = [];
  for (const l of theory) {
    const s = await subject(trainee.group?.category ?? "", l.subjectCode);
    classes.push({
      uid: `theory-${l.id}@avtomektep.kz`,
      start: l.startsAt,
      end: l.endsAt,
      summary: t("calendar:feed.theorySummary", { subject: locale === "kk" ? s.nameKk : s.nameRu }),
      description: l.room ? t("calendar:feed.room", { room: l.room }) : null,
      status: "CONFIRMED",
      sequence: 0,
    });
  }
  const events = [...driving, ...classes].sort((a, b) => a.start.getTime() - b.start.getTime());
  return { locale, events };
}
