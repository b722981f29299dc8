import { Link, useLoaderData } from "@remix-run/react";
import { Table } from "~/components/Table.tsx";
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { ReactNode } from "react";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { BarChart, LessonsChart, Progress } from "~/components/dashboard/Charts.tsx";
import { WarningsList } from "~/components/dashboard/Warnings.tsx";
import { load, requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { almatyTime } from "../../domain/kz/time.ts";
import { hasRole, QUESTION_EDITORS } from "../../domain/roles.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  return { d: await load(context, () => context.trpc.dashboard.overview({ school: params.school! })) };
}

/** Minutes as hours with at most one decimal, the way both languages write it (12,5). */
function hours(minutes: number): string {
  const h = Math.round(minutes / 6) / 10;
  return String(h).replace(".", ",");
}

function Stat({ label, value, hint, tone }: { label: string; value: number; hint?: string; tone?: string }) {
  return (
    <div className={`dash-stat ${tone ?? ""}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
      {hint ? <dd className="dash-stat-hint">{hint}</dd> : null}
    </div>
  );
}

/** A card of what comes next: its heading, the items as a list (or the `empty` line), then `children` (e.g. a link to all). */
function UpcomingCard<T extends { id: string }>({
  id,
  title,
  items,
  empty,
  render,
  children,
}: {
  id: string;
  title: string;
  items: T[];
  empty: string;
  render: (item: T) => ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="card" aria-labelledby={`dash-${id}-title`}>
      <h3 className="first" id={`dash-${id}-title`}>
        {title}
      </h3>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="plain-list dash-list">
          {items.map((item) => (
            <li key={item.id}>{render(item)}</li>
          ))}
        </ul>
      )}
      {children}
    </section>
  );
}

/**
 * What the school still lacks for its trainees to learn (a new school's first week), each with where to
 * fix it — so the director hears of an empty question bank before a trainee presses Start.
 */
function MissingSetup({ missing }: { missing: ("questions" | "teacher" | "instructor" | "vehicle")[] }) {
  const { school } = useWorkspace();
  const t = useT();
  if (missing.length === 0) return null;
  const base = `/s/${school.slug}`;
  const link: Record<(typeof missing)[number], { to: string; label: string } | null> = {
    questions: hasRole(school.roles, QUESTION_EDITORS)
      ? { to: `${base}/questions#sample`, label: t("dashboard:missing.questionsLink") }
      : null,
    teacher: { to: `${base}/staff`, label: t("dashboard:missing.staffLink") },
    instructor: { to: `${base}/staff`, label: t("dashboard:missing.staffLink") },
    vehicle: { to: `${base}/vehicles`, label: t("dashboard:missing.vehicleLink") },
  };
  return (
    <section className="card" aria-labelledby="dash-missing-title" data-testid="missing-setup">
      <h2 className="first" id="dash-missing-title">
        {t("dashboard:missing.title")}
      </h2>
      <ul className="plain-list dash-list">
        {missing.map((need) => {
          const to = link[need];
          return (
            <li key={need}>
              {t(`dashboard:missing.${need}`)}
              {to ? (
                <>
                  {" "}
                  <Link to={to.to}>{to.label}</Link>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export default function Dashboard() {
  const { d } = useLoaderData<typeof loader>();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const base = `/s/${school.slug}`;
  const c = d.cards;
  const warningCount = c.warningsExpired + c.warningsSoon;
  return (
    <main className="ws-main dash">
      <h1>{t("dashboard:title")}</h1>
      <p className="muted">{t("dashboard:lead", { date: fmt.date(d.today) })}</p>
      <MissingSetup missing={d.missing} />

      <dl className="dash-stats" aria-label={t("dashboard:cards.label")}>
        <Stat
          label={t("dashboard:cards.currentTrainees")}
          value={c.currentTrainees}
          hint={t("dashboard:cards.currentTraineesHint")}
        />
        <Stat label={t("dashboard:cards.inTraining")} value={c.inTraining} />
        <Stat label={t("dashboard:cards.inExams")} value={c.inExams} />
        <Stat label={t("dashboard:cards.lessonsDone")} value={c.lessonsDoneThisMonth} />
        <Stat label={t("dashboard:cards.upcomingLessons")} value={c.upcomingLessons} />
        <Stat
          label={t("dashboard:cards.warnings")}
          value={warningCount}
          hint={t("dashboard:cards.warningsDetail", { expired: c.warningsExpired, soon: c.warningsSoon })}
          tone={c.warningsExpired > 0 ? "bad" : c.warningsSoon > 0 ? "warn" : "good"}
        />
      </dl>

      <section className="card" id="warnings" aria-labelledby="dash-warnings-title">
        <h2 className="first" id="dash-warnings-title">
          {t("dashboard:warnings.title")}
        </h2>
        <p className="muted small">{t("dashboard:warnings.lead")}</p>
        <WarningsList slug={school.slug} warnings={d.warnings} />
      </section>

      <div className="dash-grid">
        <BarChart
          title={t("dashboard:charts.byStatus")}
          empty={t("dashboard:charts.noData")}
          bars={d.byStatus.map((s) => ({
            key: s.status,
            label: <Link to={`${base}/trainees?status=${s.status}`}>{t(`common:traineeStatus.${s.status}`)}</Link>,
            value: s.count,
            tone: `st-${s.status}`,
          }))}
        />
        <BarChart
          title={t("dashboard:charts.byCategory")}
          empty={t("dashboard:charts.noData")}
          bars={d.byCategory.map((r) => ({ key: r.category, label: r.category, value: r.count }))}
        />
      </div>

      <LessonsChart
        title={t("dashboard:charts.instructors")}
        empty={t("dashboard:charts.noLessons")}
        rows={d.instructors.map((i) => ({
          key: i.instructorId,
          label: i.name,
          done: i.done,
          missed: i.missed,
          booked: i.booked,
        }))}
      />

      <section aria-labelledby="dash-groups-title">
        <h2 id="dash-groups-title">{t("dashboard:groups.title")}</h2>
        <p className="muted small">{t("dashboard:groups.lead")}</p>
        <Table
          rows={d.groups}
          empty={t("dashboard:groups.empty")}
          emptyClassName="card muted"
          className="dash-groups"
          labels="dashboard:groups.cols"
          columns={["group", ["period", "hide-phone"], ["trainees", "num"], "progress"]}
          row={(g) => (
            <tr key={g.id}>
              <td className="nowrap">
                <Link to={`${base}/groups/${g.id}`}>{g.number}</Link>
                <div className="muted small">{g.category}</div>
              </td>
              <td className="hide-phone nowrap">
                {fmt.date(g.startsOn)} – {fmt.date(g.endsOn)}
              </td>
              <td className="num">{g.trainees}</td>
              <td className="dash-progress-cell">
                <Progress
                  value={g.avgDoneMinutes}
                  max={g.avgRequiredMinutes}
                  label={
                    g.avgRequiredMinutes
                      ? t("dashboard:groups.hours", {
                          done: hours(g.avgDoneMinutes),
                          required: hours(g.avgRequiredMinutes),
                        })
                      : t("dashboard:groups.noProgramme", { done: hours(g.avgDoneMinutes) })
                  }
                />
              </td>
            </tr>
          )}
        />
      </section>

      <h2>{t("dashboard:upcoming.title")}</h2>
      <div className="dash-grid">
        <UpcomingCard
          id="exams"
          title={t("dashboard:upcoming.exams", { count: d.upcoming.examCount })}
          items={d.upcoming.exams}
          empty={t("dashboard:upcoming.examsEmpty")}
          render={(e) => (
            <>
              <Link to={`${base}/trainees/${e.id}`}>
                {e.lastName} {e.firstName}
              </Link>
              <span className="muted small">
                {" "}
                · {e.category}
                {e.group ? ` · ${t("dashboard:upcoming.group", { number: e.group })}` : ""}
              </span>
            </>
          )}
        >
          {d.upcoming.examCount > d.upcoming.exams.length ? (
            <p className="small">
              <span className="muted">{t("dashboard:upcoming.shown", { count: d.upcoming.exams.length })}</span> ·{" "}
              <Link to={`${base}/trainees?status=exams`}>{t("dashboard:upcoming.allExams")}</Link>
            </p>
          ) : null}
        </UpcomingCard>
        <UpcomingCard
          id="lessons"
          title={t("dashboard:upcoming.lessons", { count: d.upcoming.lessonCount })}
          items={d.upcoming.lessons}
          empty={t("dashboard:upcoming.lessonsEmpty")}
          render={(l) => (
            <>
              <span className="nowrap">
                <strong>{fmt.dateTime(l.startsAt)}</strong>–{almatyTime(new Date(l.endsAt))}
              </span>{" "}
              <Link to={`${base}/trainees/${l.trainee.id}`}>
                {l.trainee.lastName} {l.trainee.firstName}
              </Link>
              <div className="muted small">
                {l.instructorName} · <span className="mono">{l.plate}</span>
              </div>
            </>
          )}
        >
          <p className="small">
            {d.upcoming.lessonCount > d.upcoming.lessons.length ? (
              <span className="muted">{t("dashboard:upcoming.shown", { count: d.upcoming.lessons.length })} · </span>
            ) : null}
            <Link to={`${base}/lessons`}>{t("dashboard:upcoming.allLessons")}</Link>
          </p>
        </UpcomingCard>
      </div>
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
