import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { LessonStatusBadge, TraineeStatusBadge } from "~/components/StatusBadge.tsx";
import { DrivingProgress } from "~/components/training/DrivingProgress.tsx";
import { MoneyFacts } from "~/components/training/MoneyFacts.tsx";
import { Instalments } from "~/components/training/Instalments.tsx";
import { formatTiyn } from "../../domain/i18n/index.ts";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { FeedBox, type FeedMade } from "~/components/calendar/FeedBox.tsx";
import { FormAlert } from "~/components/Field.tsx";
import { Notice } from "~/components/Notice.tsx";
import { Header } from "~/components/Header.tsx";
import { useDescribeEntry } from "~/components/training/TraineeTraining.tsx";
import { load, readSchoolForm, requireUser, runForm } from "~/lib/forms.server.ts";
import { pageLocale, useFormat, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";
import { almatyTime, isoDay } from "../../domain/kz/time.ts";
import type { DescribedError } from "../../domain/errors.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const [data, calendar] = await load(context, () =>
    Promise.all([context.trpc.cabinet.overview({ school }), context.trpc.calendarCabinet.mine({ school })]),
  );
  const url = new URL(request.url);
  return { ...data, calendar, locale: context.ctx.locale, backUrl: `${url.origin}${url.pathname}` };
}

type Result = { made?: FeedMade; revoked?: true; error?: DescribedError };

/** The calendar box's buttons: a new address for the phone, or turning it off (ADR 033). */
export async function action({ context, request, params }: ActionFunctionArgs): Promise<Result> {
  const { school, intent } = await readSchoolForm(context, request, params);
  if (intent === "calendar-create") {
    const r = await runForm(context, () => context.trpc.calendarCabinet.create({ school }));
    return r.ok ? { made: { url: r.value.url, webcal: r.value.webcal } } : { error: r.error };
  }
  const r = await runForm(context, () => context.trpc.calendarCabinet.revoke({ school }));
  return r.ok ? { revoked: true } : { error: r.error };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: `${translator(pageLocale(matches))("cabinet:title")} — ${data?.school.name ?? ""}` },
];

const hours = (m: number) => (Math.round((m / 60) * 10) / 10).toString();

/** The trainee's cabinet: made for a phone first. */
export default function Cabinet() {
  const { school, me, tuition, kaspi, progress, upcoming, past, history, calendar, backUrl } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormat();
  const describe = useDescribeEntry();
  return (
    <>
      <Header>
        <span className="ws-school-name">{school.name}</span>
      </Header>
      <main className="page narrow cabinet">
        <h1>{t("cabinet:greeting", { name: me.firstName })}</h1>
        <p className="muted">{t("cabinet:only")}</p>
        <nav className="cabinet-links">
          <Link to={`/t/${school.slug}/book`} className="button">
            {t("cabinet:links.book")}
          </Link>
          <Link to={`/t/${school.slug}/exam`} className="button secondary">
            {t("cabinet:links.exam")}
          </Link>
        </nav>

        <section className="card">
          <h2 className="first">{t("cabinet:status")}</h2>
          <p>
            <TraineeStatusBadge status={me.status} /> {me.category} · {t(`training:gearbox.${me.gearbox}`)}
          </p>
          {me.group ? (
            <p>
              {t("cabinet:group", { number: me.group.number })} · {fmt.date(isoDay(me.group.startsOn))}–
              {fmt.date(isoDay(me.group.endsOn))}
              {me.group.timetable ? (
                <>
                  <br />
                  <span className="muted">{t("cabinet:timetable", { timetable: me.group.timetable })}</span>
                </>
              ) : null}
            </p>
          ) : null}
          <p className={me.medicalCertValidUntil ? "" : "muted"}>
            {me.medicalCertValidUntil
              ? t("cabinet:medical", { date: fmt.date(me.medicalCertValidUntil) })
              : t("cabinet:noMedical")}
          </p>
        </section>

        <section className="card">
          <h2 className="first">{t("cabinet:driving")}</h2>
          <DrivingProgress progress={progress} hours={hours} />
          <h3>{t("cabinet:upcoming")}</h3>
          {upcoming.length === 0 ? (
            <p className="muted">{t("cabinet:noUpcoming")}</p>
          ) : (
            <ul className="history" data-testid="upcoming">
              {upcoming.map((l) => (
                <li key={l.id}>
                  <strong>
                    {fmt.date(l.startsAt)} {almatyTime(new Date(l.startsAt))}–{almatyTime(new Date(l.endsAt))}
                  </strong>
                  <div className="when">
                    {l.instructorName} · {l.vehicle.plate} {l.vehicle.makeModel}
                  </div>
                </li>
              ))}
            </ul>
          )}
          <h3>{t("cabinet:past")}</h3>
          {past.length === 0 ? (
            <p className="muted">{t("cabinet:noPast")}</p>
          ) : (
            <ul className="history">
              {past.map((l) => (
                <li key={l.id}>
                  {fmt.date(l.startsAt)} {almatyTime(new Date(l.startsAt))} · <LessonStatusBadge status={l.status} />
                  {l.note ? <div className="when">{l.note}</div> : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        <div id="calendar">
          <FormAlert message={result?.error?.message} />
          {result?.revoked ? <Notice>{t("calendar:revoked")}</Notice> : null}
          <FeedBox live={calendar.live} made={result?.made ?? null} lead={t("calendar:leadTrainee")} />
        </div>

        <section className="card">
          <h2 className="first">
            {me.contractNumber ? t("cabinet:money", { number: me.contractNumber }) : t("cabinet:moneyNoNumber")}
          </h2>
          <MoneyFacts price={me.contractPriceTiyn} paid={me.paidTiyn} balance={me.balanceTiyn} />
          <h3>{t("training:tuition.title")}</h3>
          <Instalments tuition={tuition} />
          {kaspi && tuition.dueNowTiyn > 0 ? (
            <div className="notice" data-testid="kaspi-how">
              <p>
                <strong>{t("cabinet:kaspi.title")}</strong>
              </p>
              <p>{t("cabinet:kaspi.how", { school: school.name })}</p>
              <p>
                {t("cabinet:kaspi.account")} <strong className="mono">{kaspi.account}</strong>
              </p>
              <p>
                {tuition.overdueTiyn === 0 && tuition.next
                  ? t("cabinet:kaspi.sumNext", {
                      amount: formatTiyn(tuition.dueNowTiyn),
                      date: fmt.date(tuition.next.dueOn),
                    })
                  : t("cabinet:kaspi.sum", { amount: formatTiyn(tuition.dueNowTiyn) })}
              </p>
              {kaspi.devPayUrl ? (
                <p className="small">
                  <a
                    href={`${kaspi.devPayUrl}/?${new URLSearchParams({ payee: kaspi.payee, account: kaspi.account, back: backUrl })}`}
                  >
                    {t("cabinet:kaspi.devPay")}
                  </a>
                </p>
              ) : null}
            </div>
          ) : null}
        </section>

        <section className="card">
          <h2 className="first">{t("cabinet:history")}</h2>
          <ol className="history">
            {history.map((h) => (
              <li key={h.seq}>
                <div>{describe(h.kind, h.data)}</div>
                <div className="when">{fmt.dateTime(h.at)}</div>
              </li>
            ))}
          </ol>
        </section>
      </main>
    </>
  );
}

export { MaintenanceAwareErrorBoundary as ErrorBoundary } from "~/components/MaintenancePage.tsx";
