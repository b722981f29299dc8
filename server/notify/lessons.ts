// "Any change to a booked lesson notifies the trainee at once": e-mail and SMS, each a job in the
// outbox written in the transaction that made the change, with an id that says which lesson, which
// change and which channel — so a change notifies once, however often anything is retried.
import type { Tx } from "../db/client.ts";
import { enqueue, enqueueMail } from "../outbox/enqueue.ts";
import { translator, formatDate, type Locale } from "../../domain/i18n/index.ts";
import { almatyTime } from "../../domain/kz/time.ts";
import { smsSchoolName } from "../../domain/kz/sms-name.ts";

export type LessonNoticeKind = "booked" | "cancelled" | "reminder" | "moved";

const MAIL_TEMPLATE = {
  booked: "lessonBooked",
  cancelled: "lessonCancelled",
  reminder: "lessonReminder",
  moved: "lessonMoved",
} as const;

/** Everything a notice says, read inside the caller's transaction. */
async function noticeFacts(tx: Tx, lessonId: string) {
  const lesson = await tx.drivingLesson.findUniqueOrThrow({
    where: { id: lessonId },
    select: {
      id: true,
      startsAt: true,
      endsAt: true,
      cancelReason: true,
      cancelNote: true,
      instructorId: true,
      schoolId: true,
      vehicle: { select: { plate: true, makeModel: true } },
      trainee: { select: { firstName: true, email: true, phone: true, userId: true } },
    },
  });
  const [school, instructor, login] = await Promise.all([
    tx.school.findUniqueOrThrow({ where: { id: lesson.schoolId }, select: { name: true } }),
    tx.user.findUniqueOrThrow({ where: { id: lesson.instructorId }, select: { fullName: true } }),
    lesson.trainee.userId
      ? tx.user.findUnique({ where: { id: lesson.trainee.userId }, select: { locale: true } })
      : null,
  ]);
  return { lesson, school, instructor, login };
}

/**
 * Queues the trainee's e-mail and SMS about one lesson. The language is the trainee's own (from their
 * cabinet login) or else `fallbackLocale` (the language of whoever made the change); e-mails carry
 * the other language too. `occurrence` separates repeated events of one kind (a reminder per day, a move
 * per journal entry); `was` is when a moved lesson was before.
 */
export async function queueLessonNotice(
  tx: Tx,
  lessonId: string,
  kind: LessonNoticeKind,
  fallbackLocale: Locale,
  occurrence = "",
  was?: Date,
) {
  const { lesson, school, instructor, login } = await noticeFacts(tx, lessonId);
  const locale: Locale = login?.locale ?? fallbackLocale;
  const params = {
    name: lesson.trainee.firstName,
    school: school.name,
    when: `${formatDate(lesson.startsAt, locale)} ${almatyTime(lesson.startsAt)}–${almatyTime(lesson.endsAt)}`,
    instructor: instructor.fullName,
    vehicle: `${lesson.vehicle.plate} ${lesson.vehicle.makeModel}`,
    was: was ? `${formatDate(was, locale)} ${almatyTime(was)}` : "",
  };
  const reason = cancelReasonText(lesson, locale);
  const id = `lesson.${kind}.${lesson.id}${occurrence ? `.${occurrence}` : ""}`;
  if (lesson.trainee.email) {
    await enqueueMail(tx, `${id}.mail`, {
      to: lesson.trainee.email,
      locale,
      template: MAIL_TEMPLATE[kind],
      params: { ...params, reason: reason.full },
    });
  }
  if (lesson.trainee.phone) {
    const text = translator(locale)(`sms:${kind}`, {
      ...params,
      school: smsSchoolName(school.name),
      reason: reason.short,
    });
    await enqueue(tx, { queue: "sms", name: "send", jobId: `${id}.sms`, payload: { to: lesson.trainee.phone, text } });
  }
}

/**
 * Queues one notice for a weekly series of lessons (ADR 034) instead of one per lesson: the SMS names the first
 * and the count, the e-mail lists every date. The job id names the series' first lesson, so it is queued once.
 */
export async function queueSeriesNotice(tx: Tx, lessonIds: string[], fallbackLocale: Locale) {
  const lessons = await tx.drivingLesson.findMany({
    where: { id: { in: lessonIds } },
    orderBy: { startsAt: "asc" },
    select: { id: true, startsAt: true, endsAt: true },
  });
  const first = lessons[0];
  if (!first) return;
  const { lesson, school, instructor, login } = await noticeFacts(tx, first.id);
  const locale: Locale = login?.locale ?? fallbackLocale;
  const t = translator(locale);
  const when = (l: { startsAt: Date; endsAt: Date }) =>
    `${formatDate(l.startsAt, locale)} ${almatyTime(l.startsAt)}–${almatyTime(l.endsAt)}`;
  const params = {
    name: lesson.trainee.firstName,
    school: school.name,
    first: `${formatDate(first.startsAt, locale)} ${almatyTime(first.startsAt)}`,
    total: String(lessons.length),
    instructor: instructor.fullName,
    vehicle: `${lesson.vehicle.plate} ${lesson.vehicle.makeModel}`,
  };
  const id = `lesson.series.${first.id}`;
  if (lesson.trainee.email) {
    // Dates and times only: the e-mail repeats its body in the other language below, with the same list.
    const list = lessons.map((l) => `• ${when(l)}`).join("\n");
    await enqueueMail(tx, `${id}.mail`, {
      to: lesson.trainee.email,
      locale,
      template: "lessonSeries",
      params: { ...params, list },
    });
  }
  if (lesson.trainee.phone) {
    const text = t("sms:series", { ...params, school: smsSchoolName(school.name) });
    await enqueue(tx, { queue: "sms", name: "send", jobId: `${id}.sms`, payload: { to: lesson.trainee.phone, text } });
  }
}

/**
 * Why the lesson was cancelled, in the trainee's language: the e-mail gives the reason and the note,
 * the SMS the note alone when the reason is "other" (it says more), else the reason.
 */
function cancelReasonText(lesson: { cancelReason: string | null; cancelNote: string | null }, locale: Locale) {
  if (!lesson.cancelReason) return { full: "", short: "" };
  const label = translator(locale)(`training:lessons.cancelReasons.${lesson.cancelReason}`);
  const note = lesson.cancelNote;
  return {
    full: note ? `${label} — ${note}` : label,
    short: note && lesson.cancelReason === "other" ? note.slice(0, 60) : label,
  };
}
