import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ClientLinks } from "~/components/ClientLinks.tsx";
import { Notice } from "~/components/Notice.tsx";
import { LessonStatusBadge } from "~/components/StatusBadge.tsx";
import { formatKzPhone } from "../../domain/kz/phone.ts";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { LessonTimes, WeekDays, WeekNav } from "~/components/training/Week.tsx";
import { loadWeekPage } from "~/components/training/week.server.ts";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { load, readSchoolForm, runForm } from "~/lib/forms.server.ts";
import { weekByDay } from "~/lib/week.ts";
import { useT } from "~/lib/i18n.tsx";
import { PrintLink, PrintTitle } from "~/components/Print.tsx";
import { addDays, almatyTime } from "../../domain/kz/time.ts";
import type { DescribedError } from "../../domain/errors.ts";
import { FEED_OWNERS, hasRole } from "../../domain/roles.ts";

// The week's driving lessons: the office's list (who drives when, marks, moves, cancels) and an instructor's own
// day. Booking is a page of its own (s.$school.lessons_.book.tsx): this page, opened many times a day, loads
// the instructors for its filter only, never every trainee in training as the booking form's options.

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { url, today, monday, school, writer } = await loadWeekPage(context, request, params);
  // A link from before booking had its own page (the week grid's free cells, a bookmark) fills the booking
  // form's fields here: it goes on to that form, filled.
  if (writer && BOOKING_FIELDS.some((k) => url.searchParams.has(k))) {
    throw redirect(`/s/${school}/lessons/book${url.search}`);
  }
  const instructorParam = url.searchParams.get("instructor") ?? "";
  const [lessons, instructors] = await load(context, () =>
    Promise.all([
      context.trpc.training.lessons({
        school,
        from: monday,
        to: addDays(monday, 6),
        instructorId: /^[0-9a-f-]{36}$/.test(instructorParam) ? instructorParam : undefined,
      }),
      // The filter's choices: the school's instructors (a few), not the booking options.
      writer ? context.trpc.resources.instructors({ school }) : Promise.resolve([]),
    ]),
  );
  const me = context.ctx.user!.id;
  return {
    // What a row shows and no more: ~200 lessons a week in a school of 1,000 trainees go into the page twice (its
    // HTML and the data React hydrates from), so ids the page doesn't link by stay on the server (ADR 051).
    lessons: lessons.map((l) => ({
      id: l.id,
      startsAt: l.startsAt,
      endsAt: l.endsAt,
      status: l.status,
      note: l.note,
      cancelReason: l.cancelReason,
      cancelNote: l.cancelNote,
      mine: l.instructorId === me,
      trainee: {
        lastName: l.trainee.lastName,
        firstName: l.trainee.firstName,
        category: l.trainee.category,
        phone: l.trainee.phone,
      },
      car: `${l.vehicle.plate} ${l.vehicle.makeModel}`,
      instructorName: l.instructorName,
    })),
    instructors: instructors.map((i) => ({ id: i.userId, name: i.fullName })),
    monday,
    today,
    instructor: instructorParam,
    writer,
    // Back from booking (s.$school.lessons_.book.tsx), the cancellation's, the move's and the correction's pages.
    booked: url.searchParams.get("booked") === "1",
    marked: url.searchParams.get("marked") === "1",
    cancelled: url.searchParams.get("cancelled") === "1",
    moved: url.searchParams.get("moved") === "1",
  };
}

/** The booking form's fields, which links made before it had its own page fill in here. */
const BOOKING_FIELDS = ["traineeId", "instructorId", "vehicleId", "date", "time", "minutes", "weeks"] as const;

type Refusal = { intent: string; lessonId: string; error: DescribedError };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { v, school, intent } = await readSchoolForm(context, request, params);
  // Cancelling has a confirm step of its own (s.$school.lessons_.$id.cancel.tsx); this form only marks.
  const lessonId = v("lessonId");
  const r = await runForm(context, () =>
    context.trpc.training.markLesson({
      school,
      lessonId,
      status: v("status") as "done" | "missed",
      note: v("note") || null,
      reason: v("reason") || null,
    }),
  );
  return r.ok ? { done: intent } : ({ intent, lessonId, error: r.error } satisfies Refusal);
}

type Lesson = Awaited<ReturnType<typeof loader>>["lessons"][number];

export default function Lessons() {
  const { lessons, instructors, monday, today, instructor, writer, booked, marked, cancelled, moved } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as Refusal | { done: string } | undefined;
  const refusal = actionData && "error" in actionData ? actionData : null;
  const { school } = useWorkspace();
  const t = useT();
  const navigation = useNavigation();
  const base = `/s/${school.slug}/lessons`;
  const { days, byDay } = weekByDay(monday, lessons);
  // An instructor's own view leads with today.
  const ordered = writer ? days : [...days.filter((d) => d === today), ...days.filter((d) => d !== today)];
  const weekLink = (m: string) => `${base}?week=${m}${instructor ? `&instructor=${instructor}` : ""}`;
  // The rows' pages (cancel, move, correct) go back to the lesson's week by themselves: only a filtered week says so.
  const rowBack = instructor ? `?back=${encodeURIComponent(weekLink(monday))}` : "";
  return (
    <main className="ws-main">
      <div className="ws-head">
        <h1>{writer ? t("training:lessons.title") : t("training:lessons.mine")}</h1>
        <div className="ws-head-actions">
          {writer ? (
            // With the week's filtered instructor already chosen.
            <Link
              to={`${base}/book?week=${monday}${instructor ? `&instructorId=${instructor}` : ""}`}
              className="button"
              data-testid="book-link"
            >
              {t("training:lessons.book")}
            </Link>
          ) : null}
          <Link to={`${base}/grid?week=${monday}`}>{t("training:lessons.grid.open")}</Link>
          {hasRole(school.roles, FEED_OWNERS) || writer ? (
            <Link to={`/s/${school.slug}/calendar`}>{t("calendar:toCalendar")}</Link>
          ) : null}
          <PrintLink />
        </div>
      </div>
      <PrintTitle title={writer ? t("training:lessons.title") : t("training:lessons.mine")} />
      {(actionData && "done" in actionData && navigation.state === "idle") || marked ? (
        <Notice>{t("training:lessons.marked")}</Notice>
      ) : booked ? (
        <Notice>{t("training:lessons.booked")}</Notice>
      ) : cancelled ? (
        <Notice>{t("training:lessons.cancelled")}</Notice>
      ) : moved ? (
        <Notice>{t("training:lessons.moved")}</Notice>
      ) : null}

      <WeekNav
        monday={monday}
        today={today}
        link={weekLink}
        labels={{
          prev: t("training:lessons.prevWeek"),
          current: t("training:lessons.thisWeek"),
          next: t("training:lessons.nextWeek"),
        }}
      >
        {writer ? (
          <Form method="get" className="inline-form">
            <input type="hidden" name="week" value={monday} />
            <select name="instructor" defaultValue={instructor} aria-label={t("training:lessons.instructor")}>
              <option value="">{t("training:lessons.allInstructors")}</option>
              {instructors.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary small">
              {t("training:lessons.show")}
            </button>
          </Form>
        ) : null}
      </WeekNav>

      {/* The rows' links are plain <a>s that navigate in the page (~200 <Link>s a week cost ~6 % of its CPU). */}
      <ClientLinks>
        <WeekDays
          days={ordered}
          byDay={byDay}
          today={today}
          todayLabel={t("training:lessons.today")}
          noneLabel={t("training:lessons.none")}
          render={(l) => (
            <LessonRow
              key={l.id}
              lesson={l}
              canHandle={writer || l.mine}
              canMove={writer}
              refusal={refusal?.lessonId === l.id ? refusal.error : null}
              back={rowBack}
            />
          )}
        />
      </ClientLinks>
    </main>
  );
}

function LessonRow({
  lesson: l,
  canHandle,
  canMove,
  refusal,
  back,
}: {
  lesson: Lesson;
  canHandle: boolean;
  /** the office moves lessons (it may change the instructor or the car) */
  canMove: boolean;
  refusal: DescribedError | null;
  /** `?back=` this page, for the correction's, move's and cancellation's pages to come back to, or "" */
  back: string;
}) {
  const t = useT();
  const { school } = useWorkspace();
  const started = new Date(l.startsAt).getTime() <= Date.now();
  // Done or missed is known only at the end (the server says the same: server/training/lessons.ts).
  const ended = new Date(l.endsAt).getTime() <= Date.now();
  const marked = l.status === "done" || l.status === "missed";
  return (
    <div className={`lesson-card st-${l.status}`} data-testid="lesson">
      <LessonTimes startsAt={l.startsAt} endsAt={l.endsAt} />
      <div>
        <div>
          {/* One text node a phrase: no <!-- --> between React's adjacent texts, ~200 rows a week. */}
          <strong>{`${l.trainee.lastName} ${l.trainee.firstName}`}</strong>
          {` · ${l.trainee.category}`}
          {/* The phone comes only to whom the rule gives it: the office, and the instructor driving with this trainee (ADR 026). */}
          {l.trainee.phone ? (
            <>
              {" · "}
              <a href={`tel:${l.trainee.phone}`} className="nowrap" data-testid="trainee-phone">
                {formatKzPhone(l.trainee.phone)}
              </a>
            </>
          ) : null}
        </div>
        <div className="muted small">{`${l.instructorName} · ${l.car}`}</div>
        <div>
          <LessonStatusBadge status={l.status} />
          {l.note ? <span className="muted"> · {l.note}</span> : null}
          {l.cancelReason ? (
            <span className="muted" data-testid="cancel-reason">
              {" · "}
              {t("training:lessons.cancelledBecause", {
                reason: `${t(`training:lessons.cancelReasons.${l.cancelReason}`)}${l.cancelNote ? ` — ${l.cancelNote}` : ""}`,
              })}
            </span>
          ) : null}
        </div>
        {refusal ? (
          <p className="error" role="alert">
            {refusal.fieldErrors ? Object.values(refusal.fieldErrors)[0] : refusal.message}
          </p>
        ) : null}
      </div>
      {canHandle && l.status !== "cancelled" ? (
        marked ? (
          // A correction asks why, on a page of its own: one link here, not a hidden form a lesson (ADR 051).
          <div className="actions">
            <a href={`/s/${school.slug}/lessons/${l.id}/correct${back}`} className="button secondary small">
              {t("training:lessons.correct")}
            </a>
          </div>
        ) : ended ? (
          <MarkForm lessonId={l.id} note={l.note} />
        ) : started ? (
          <p className="actions muted small">
            {t("training:lessons.endsHint", { time: almatyTime(new Date(l.endsAt)) })}
          </p>
        ) : (
          <div className="actions">
            {canMove ? (
              <a href={`/s/${school.slug}/lessons/${l.id}/move${back}`} className="button secondary">
                {t("training:lessons.move")}
              </a>
            ) : null}
            <a href={`/s/${school.slug}/lessons/${l.id}/cancel${back}`} className="button danger">
              {t("training:lessons.cancel")}
            </a>
          </div>
        )
      ) : null}
    </div>
  );
}

/** One tap: done or missed, with an optional note (a correction has its page: s.$school.lessons_.$id.correct.tsx). */
function MarkForm({ lessonId, note }: { lessonId: string; note: string | null }) {
  const t = useT();
  return (
    <Form method="post" className="actions mark-form" preventScrollReset>
      <input type="hidden" name="lessonId" value={lessonId} />
      <input type="hidden" name="intent" value="mark" />
      <input
        name="note"
        placeholder={t("training:lessons.note")}
        aria-label={t("training:lessons.note")}
        defaultValue={note ?? ""}
        maxLength={500}
      />
      <button type="submit" name="status" value="done" className="primary">
        ✓ {t("training:lessons.done")}
      </button>
      <button type="submit" name="status" value="missed" className="danger">
        ✗ {t("training:lessons.missed")}
      </button>
    </Form>
  );
}

export const ErrorBoundary = ErrorPanel;
