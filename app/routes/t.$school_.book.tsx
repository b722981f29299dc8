import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Header } from "~/components/Header.tsx";
import { FormAlert } from "~/components/Field.tsx";
import { formObject, load, requireUser, runForm } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";
import { almatyDate, almatyTime } from "../../domain/kz/time.ts";
import type { DescribedError } from "../../domain/errors.ts";

// The trainee books driving lessons with their own instructor: days as tabs, free times as big
// buttons, and their booked lessons with "cancel" while the school's deadline allows. Phone first;
// works without JavaScript (tabs are links, each time is a submit button).

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const view = await load(context, () => context.trpc.booking.slots({ school: params.school! }));
  return { ...view, locale: context.ctx.locale };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${translator(data?.locale ?? "kk")("booking:title")} — ${data?.school.name ?? ""}` },
];

type Done = { done: "booked" | "cancelled"; startsAt: string; endsAt: string };
type Refused = { error: DescribedError; date?: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = formObject(await request.formData());
  const school = params.school!;
  if (form.intent === "cancel") {
    const lessonId = String(form.lessonId ?? "");
    const before = await runForm(context, () => context.trpc.booking.slots({ school }));
    const lesson = before.ok ? before.value.mine.find((l) => l.id === lessonId) : undefined;
    const r = await runForm(context, () => context.trpc.booking.cancel({ school, lessonId }));
    if (!r.ok) return r.response;
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
        <FormAlert message={refused?.error.message} />

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
                  <Form method="post" className="book-times" data-testid="free-times">
                    <input type="hidden" name="intent" value="book" />
                    <input type="hidden" name="date" value={day.date} />
                    {day.times.map((time) => (
                      <button key={time} type="submit" name="time" value={time} className="book-time" disabled={busy}>
                        {time}
                        <span className="book-time-end">–{slotEnd(time)}</span>
                      </button>
                    ))}
                  </Form>
                )}
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
                      <Form method="post">
                        <input type="hidden" name="intent" value="cancel" />
                        <input type="hidden" name="lessonId" value={l.id} />
                        <button type="submit" className="secondary" disabled={busy}>
                          {t("booking:cancel")}
                        </button>
                      </Form>
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
