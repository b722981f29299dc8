import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormCard } from "~/components/FormCard.tsx";
import { Notice } from "~/components/Notice.tsx";
import { LessonStatusBadge } from "~/components/StatusBadge.tsx";
import { formatKzPhone } from "../../domain/kz/phone.ts";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { RequiredSelect } from "~/components/Field.tsx";
import { RepeatWeeksField } from "~/components/training/RepeatWeeks.tsx";
import { LessonTimes, LessonWhenFields, WeekDays, WeekNav } from "~/components/training/Week.tsx";
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

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { url, today, monday, school, writer } = await loadWeekPage(context, request, params);
  const instructorParam = url.searchParams.get("instructor") ?? "";
  const [lessons, options] = await load(context, () =>
    Promise.all([
      context.trpc.training.lessons({
        school,
        from: monday,
        to: addDays(monday, 6),
        instructorId: /^[0-9a-f-]{36}$/.test(instructorParam) ? instructorParam : undefined,
      }),
      writer ? context.trpc.training.bookingOptions({ school }) : Promise.resolve(null),
    ]),
  );
  // Back from the cancellation's confirm step (s.$school.lessons_.$id.cancel.tsx), which adds `cancelled=1`.
  const cancelled = url.searchParams.get("cancelled") === "1";
  // A free cell of the week grid (s.$school.lessons_.grid.tsx) links here with the booking form's fields filled.
  const prefill: Record<string, string> = {};
  for (const k of PREFILL) {
    const v = url.searchParams.get(k);
    if (v && v.length <= 40) prefill[k] = v;
  }
  return {
    lessons,
    options,
    monday,
    today,
    instructor: instructorParam,
    writer,
    me: context.ctx.user!.id,
    cancelled,
    moved: url.searchParams.get("moved") === "1",
    prefill,
  };
}

/** The booking form's fields a link may fill in. */
const PREFILL = ["traineeId", "instructorId", "vehicleId", "date", "time", "minutes", "weeks"] as const;

type Refusal = { intent: string; lessonId?: string; error: DescribedError; values?: Record<string, string> };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { v, school, intent } = await readSchoolForm(context, request, params);
  if (intent === "book") {
    const values = {
      traineeId: v("traineeId"),
      instructorId: v("instructorId"),
      vehicleId: v("vehicleId"),
      date: v("date"),
      time: v("time"),
      minutes: v("minutes"),
      weeks: v("weeks") || "1",
    };
    const { weeks, ...lesson } = values;
    if (weeks !== "1") {
      // A weekly series first shows each week's fate (s.$school.lessons_.repeat.tsx); the input is checked here.
      const input = { ...lesson, minutes: Number(lesson.minutes), weeks: Number(weeks) };
      const r = await runForm(context, () => context.trpc.training.previewRepeat({ school, ...input }));
      if (!r.ok) return { intent, error: r.error, values } satisfies Refusal;
      return redirect(`/s/${school}/lessons/repeat?${new URLSearchParams(values)}`);
    }
    const r = await runForm(context, () =>
      context.trpc.training.bookLesson({ school, ...lesson, minutes: Number(lesson.minutes) }),
    );
    return r.ok ? { done: "book" } : ({ intent, error: r.error, values } satisfies Refusal);
  }
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
  const { lessons, options, monday, today, instructor, writer, me, cancelled, moved, prefill } =
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
  const bookError = refusal?.intent === "book" ? refusal.error : null;
  const bv: Record<string, string> = refusal?.intent === "book" ? (refusal.values ?? {}) : prefill;
  const pick = (name: "traineeId" | "instructorId" | "vehicleId", label: string, options: [string, string][]) => (
    <RequiredSelect
      choose={t("training:lessons.choose")}
      name={name}
      label={label}
      value={bv[name]}
      error={bookError?.fieldErrors?.[name]}
      options={options}
    />
  );
  return (
    <main className="ws-main">
      <div className="ws-head">
        <h1>{writer ? t("training:lessons.title") : t("training:lessons.mine")}</h1>
        <div className="ws-head-actions">
          <Link to={`${base}/grid?week=${monday}`}>{t("training:lessons.grid.open")}</Link>
          {hasRole(school.roles, FEED_OWNERS) || writer ? (
            <Link to={`/s/${school.slug}/calendar`}>{t("calendar:toCalendar")}</Link>
          ) : null}
          <PrintLink />
        </div>
      </div>
      <PrintTitle title={writer ? t("training:lessons.title") : t("training:lessons.mine")} />
      {actionData && "done" in actionData && navigation.state === "idle" ? (
        <Notice>{t(actionData.done === "book" ? "training:lessons.booked" : "training:lessons.marked")}</Notice>
      ) : cancelled ? (
        <Notice>{t("training:lessons.cancelled")}</Notice>
      ) : moved ? (
        <Notice>{t("training:lessons.moved")}</Notice>
      ) : null}

      {writer && options ? (
        <FormCard
          id="book"
          title={t("training:lessons.book")}
          intent="book"
          message={bookError?.message}
          ready={options.trainees.length > 0 && options.instructors.length > 0 && options.vehicles.length > 0}
          noOptions={t("training:lessons.noOptions")}
        >
          {pick(
            "traineeId",
            t("training:lessons.trainee"),
            options.trainees.map((o) => [
              o.id,
              `${o.lastName} ${o.firstName} · ${o.category} · ${t(`training:gearbox.${o.gearbox}`)}`,
            ]),
          )}
          {pick(
            "instructorId",
            t("training:lessons.instructor"),
            options.instructors.map((o) => [
              o.id,
              `${o.fullName}${o.categories.length ? ` · ${o.categories.join(", ")}` : ""}`,
            ]),
          )}
          {pick(
            "vehicleId",
            t("training:lessons.vehicle"),
            options.vehicles.map((o) => [
              o.id,
              `${o.plate} · ${o.makeModel} · ${o.category} · ${t(`training:gearbox.${o.gearbox}`)}`,
            ]),
          )}
          <LessonWhenFields
            labels={{
              date: t("training:lessons.date"),
              time: t("training:lessons.time"),
              minutes: t("training:lessons.minutes"),
            }}
            values={bv}
            errors={bookError?.fieldErrors}
            today={today}
            minDate={today}
            time={{ start: "10:00", step: 900 }}
            minutes={{ max: 240, step: 15 }}
          />
          <RepeatWeeksField value={bv.weeks} error={bookError?.fieldErrors?.weeks} />
        </FormCard>
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
        {writer && options ? (
          <Form method="get" className="inline-form">
            <input type="hidden" name="week" value={monday} />
            <select name="instructor" defaultValue={instructor} aria-label={t("training:lessons.instructor")}>
              <option value="">{t("training:lessons.allInstructors")}</option>
              {options.instructors.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.fullName}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary small">
              {t("training:lessons.show")}
            </button>
          </Form>
        ) : null}
      </WeekNav>

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
            canHandle={writer || l.instructorId === me}
            canMove={writer}
            refusal={refusal?.lessonId === l.id ? refusal.error : null}
            back={weekLink(monday)}
          />
        )}
      />
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
  /** this page, for the cancellation's confirm step to come back to */
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
          <strong>
            {l.trainee.lastName} {l.trainee.firstName}
          </strong>{" "}
          · {l.trainee.category}
          {/* The phone comes only to whom the rule gives it: the office, and the instructor driving with this trainee (ADR 026). */}
          {l.trainee.phone ? (
            <>
              {" "}
              ·{" "}
              <a href={`tel:${l.trainee.phone}`} className="nowrap" data-testid="trainee-phone">
                {formatKzPhone(l.trainee.phone)}
              </a>
            </>
          ) : null}
        </div>
        <div className="muted small">
          {l.instructorName} · {l.vehicle.plate} {l.vehicle.makeModel}
        </div>
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
          <details className="actions correct">
            <summary>{t("training:lessons.correct")}</summary>
            <MarkForm lessonId={l.id} note={l.note} correction />
          </details>
        ) : ended ? (
          <MarkForm lessonId={l.id} note={l.note} />
        ) : started ? (
          <p className="actions muted small">
            {t("training:lessons.endsHint", { time: almatyTime(new Date(l.endsAt)) })}
          </p>
        ) : (
          <div className="actions">
            {canMove ? (
              <Link
                to={`/s/${school.slug}/lessons/${l.id}/move?back=${encodeURIComponent(back)}`}
                className="button secondary"
              >
                {t("training:lessons.move")}
              </Link>
            ) : null}
            <Link
              to={`/s/${school.slug}/lessons/${l.id}/cancel?back=${encodeURIComponent(back)}`}
              className="button danger"
            >
              {t("training:lessons.cancel")}
            </Link>
          </div>
        )
      ) : null}
    </div>
  );
}

/** One tap: done or missed, with an optional note; a correction also asks why. */
function MarkForm({
  lessonId,
  note,
  correction = false,
}: {
  lessonId: string;
  note: string | null;
  correction?: boolean;
}) {
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
      {correction ? (
        <input
          name="reason"
          required
          placeholder={t("training:lessons.reason")}
          aria-label={t("training:lessons.reason")}
          title={t("training:lessons.correctHint")}
          maxLength={500}
        />
      ) : null}
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
