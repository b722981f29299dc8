import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Header } from "~/components/Header.tsx";
import { FormAlert } from "~/components/Field.tsx";
import { CancelLessonForm } from "~/components/training/CancelLessonForm.tsx";
import { TRAINEE_CANCEL_REASONS, type TraineeCancelReason } from "../../domain/lessons.ts";
import { formObject, load, requireUser, runForm } from "~/lib/forms.server.ts";
import { pageLocale, useFormat, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";
import { almatyDate, almatyTime } from "../../domain/kz/time.ts";
import type { DescribedError } from "../../domain/errors.ts";

// The trainee books driving lessons with their own instructor: days as tabs, free times as big
// buttons, and their booked lessons with "cancel" while the school's deadline allows. Phone first;
// works without JavaScript (tabs and times are links). Booking and cancelling each have a confirm step
// (`?day=…&time=…`, `?cancel=…`): the booking says until when it can be cancelled, the cancelling asks why.

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const view = await load(context, () => context.trpc.booking.slots({ school: params.school! }));
  return { ...view, locale: context.ctx.locale };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: `${translator(pageLocale(matches))("booking:title")} — ${data?.school.name ?? ""}` },
];

type Done = { done: "booked" | "cancelled"; startsAt: string; endsAt: string };
type Refused = { error: DescribedError; date?: string; cancel?: { lessonId: string; reason: string; note: string } };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = formObject(await request.formData());
  const school = params.school!;
  if (form.intent === "cancel") {
    const lessonId = String(form.lessonId ?? "");
    const cancel = { lessonId, reason: String(form.reason ?? ""), note: String(form.note ?? "") };
    const before = await runForm(context, () => context.trpc.booking.slots({ school }));
    const lesson = before.ok ? before.value.mine.find((l) => l.id === lessonId) : undefined;
    const r = await runForm(context, () =>
      context.trpc.booking.cancel({
        school,
        lessonId,
        reason: cancel.reason as TraineeCancelReason,
        note: cancel.note || null,
      }),
    );
    if (!r.ok) return data({ error: r.error, cancel } satisfies Refused, { status: r.error.status });
    return {
      done: "cancelled",
      startsAt: lesson?.startsAt.toISOString() ?? "",
      endsAt: lesson?.endsAt.toISOString() ?? "",
    } satisfies Done;
  }
  const date = String(form.date ?? "");
  const r = await runForm(context, () => context.trpc.booking.book({ school, date, time: String(form.time ?? "") }));
  if (!r.ok) return data({ error: r.error, date } satisfies Refused, { status: r.error.status });
  return {
    done: "booked",
    startsAt: r.value.startsAt.toISOString(),
    endsAt: r.value.endsAt.toISOString(),
  } satisfies Done;
}

const dow = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

export default function Book() {
  const { school, state, rules, instructorName, days, mine } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Done | Refused | undefined;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const t = useT();
  const fmt = useFormat();
  const busy = navigation.state !== "idle";
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData ? actionData : null;
  const when = (startsAt: string | Date, endsAt: string | Date) =>
    `${fmt.date(startsAt)} ${almatyTime(new Date(startsAt))}–${almatyTime(new Date(endsAt))}`;
  const wanted = params.get("day") ?? refused?.date;
  const day = days.find((d) => d.date === wanted) ?? days.find((d) => d.times.length > 0) ?? days[0];
  // The confirm steps: a free time chosen (not after it was just booked), a lesson to cancel.
  const chosen = done ? undefined : day?.times.find((x) => x.time === params.get("time"));
  const cancelling = done ? undefined : mine.find((l) => l.id === (params.get("cancel") ?? refused?.cancel?.lessonId));
  const slotEnd = (time: string) => {
    const m = Number(time.slice(0, 2)) * 60 + Number(time.slice(3)) + rules.slotMinutes;
    return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  };

  return (
    <>
      <Header>
        <span className="ws-school-name">{school.name}</span>
      </Header>
      <main className="page narrow cabinet book">
        <p>
          <Link to={`/t/${school.slug}`}>{t("booking:back")}</Link>
        </p>
        <h1>{t("booking:title")}</h1>
        {done?.startsAt && !busy ? (
          <Notice>{t(`booking:${done.done}`, { when: when(done.startsAt, done.endsAt) })}</Notice>
        ) : null}
        {refused?.cancel ? null : <FormAlert message={refused?.error.message} />}
        {cancelling?.canCancel ? (
          <CancelLessonForm
            lead={t("booking:cancelLead", {
              when: when(cancelling.startsAt, cancelling.endsAt),
              instructor: instructorName ?? "",
            })}
            reasons={TRAINEE_CANCEL_REASONS}
            back="?"
            hidden={{ intent: "cancel", lessonId: cancelling.id }}
            values={refused?.cancel}
            error={refused?.cancel ? refused.error : null}
            busy={busy}
            noteHint={t("booking:cancelNoteHint")}
          />
        ) : null}

        {state !== "ok" ? (
          <p className="banner-inline" data-testid="book-state">
            {t(`booking:states.${state}`)}
          </p>
        ) : (
          <section className="card">
            {instructorName ? (
              <p className="first">
                <strong>{t("booking:instructor", { name: instructorName })}</strong>
              </p>
            ) : null}
            <p className="muted small">
              {t("booking:rulesNote", {
                minutes: rules.slotMinutes,
                days: rules.windowDays,
                limit: rules.weeklyLimit,
                hours: rules.cancelHours,
              })}
            </p>
            <h2 className="visually-hidden">{t("booking:chooseDay")}</h2>
            <nav className="book-days" aria-label={t("booking:chooseDay")}>
              {days.map((d) => (
                <Link
                  key={d.date}
                  to={`?day=${d.date}`}
                  preventScrollReset
                  replace
                  className={`book-day${d.date === day?.date ? " active" : ""}${d.times.length === 0 ? " empty" : ""}`}
                  aria-current={d.date === day?.date ? "date" : undefined}
                >
                  <span className="book-dow">{t(`booking:weekday.${dow(d.date)}`)}</span>
                  <span className="book-date">
                    {d.date.slice(8, 10)}.{d.date.slice(5, 7)}
                  </span>
                  <span className="book-count">
                    {d.weekFull
                      ? t("booking:full")
                      : d.times.length > 0
                        ? t("booking:freeCount", { count: d.times.length })
                        : "—"}
                  </span>
                </Link>
              ))}
            </nav>
            {day ? (
              <>
                <h2>
                  {t("booking:freeTimes", { date: `${t(`booking:weekday.${dow(day.date)}`)}, ${fmt.date(day.date)}` })}
                </h2>
                {day.weekFull ? (
                  <p className="banner-inline">{t("booking:weekFull", { limit: rules.weeklyLimit })}</p>
                ) : day.times.length === 0 ? (
                  <p className="muted">{t("booking:noFree")}</p>
                ) : (
                  <div className="book-times" data-testid="free-times">
                    {day.times.map(({ time }) => (
                      <Link
                        key={time}
                        to={`?day=${day.date}&time=${time}`}
                        preventScrollReset
                        replace
                        className={`book-time${chosen?.time === time ? " active" : ""}`}
                        aria-current={chosen?.time === time ? "true" : undefined}
                      >
                        {time}
                        <span className="book-time-end">–{slotEnd(time)}</span>
                      </Link>
                    ))}
                  </div>
                )}
                {chosen ? (
                  <Form method="post" className="book-confirm" data-testid="book-confirm">
                    <h3>{t("booking:confirmTitle")}</h3>
                    <input type="hidden" name="intent" value="book" />
                    <input type="hidden" name="date" value={day.date} />
                    <input type="hidden" name="time" value={chosen.time} />
                    <p>
                      {t("booking:confirmLesson", {
                        when: `${t(`booking:weekday.${dow(day.date)}`)}, ${fmt.date(day.date)} ${chosen.time}–${slotEnd(chosen.time)}`,
                        instructor: instructorName ?? "",
                      })}
                    </p>
                    <p className={chosen.cancellable ? "muted" : "banner-inline"} data-testid="book-cancel-deadline">
                      {chosen.cancellable
                        ? t("booking:confirmCancelUntil", { when: fmt.dateTime(chosen.cancelUntil) })
                        : t("booking:confirmNoCancel", { hours: rules.cancelHours })}
                    </p>
                    <button type="submit" className="primary" disabled={busy}>
                      {t("booking:confirm")}
                    </button>{" "}
                    <Link to={`?day=${day.date}`} preventScrollReset replace className="button secondary">
                      {t("booking:confirmBack")}
                    </Link>
                  </Form>
                ) : null}
                {!day.weekFull && day.times.length > 0 ? <p className="muted small">{t("booking:tapToBook")}</p> : null}
              </>
            ) : null}
          </section>
        )}

        <section className="card">
          <h2 className="first">{t("booking:mine")}</h2>
          {mine.length === 0 ? (
            <p className="muted">{t("booking:noMine")}</p>
          ) : (
            <ul className="history book-mine" data-testid="my-lessons">
              {mine.map((l) => (
                <li key={l.id}>
                  <div className="book-mine-row">
                    <strong>
                      {t(`booking:weekday.${dow(almatyDate(new Date(l.startsAt)))}`)}, {when(l.startsAt, l.endsAt)}
                    </strong>
                    {l.canCancel ? (
                      <Link to={`?cancel=${l.id}`} className="button secondary small">
                        {t("booking:cancel")}
                      </Link>
                    ) : null}
                  </div>
                  <div className="when">
                    {l.canCancel
                      ? t("booking:cancelUntil", { when: fmt.dateTime(l.cancelUntil) })
                      : t("booking:cancelClosed", { hours: rules.cancelHours })}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>
    </>
  );
}

export { MaintenanceAwareErrorBoundary as ErrorBoundary } from "~/components/MaintenancePage.tsx";
