import { Link, NavLink, Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Header } from "~/components/Header.tsx";
import { LayoutErrorBoundary } from "~/components/workspace/ErrorPanel.tsx";
import { hasRole, STAFF_VIEWERS } from "~/components/workspace/constants.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { loadWs } from "~/components/workspace/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import type { RootData } from "~/root.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const slug = params.school!;
  const [ws, me] = await Promise.all([
    loadWs(context, () => context.trpc.school.workspace({ school: slug })),
    loadWs(context, () => context.trpc.auth.me()),
  ]);
  return {
    school: ws.school,
    traineeCount: ws.trainees,
    schools: (me?.schools ?? []).map((s) => ({ slug: s.slug, name: s.name })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.school.name} — Avtomektep` : "Avtomektep" }];

function SchoolSwitcher({ current, schools }: { current: { slug: string; name: string }; schools: { slug: string; name: string }[] }) {
  const t = useT();
  if (schools.length < 2) return <span className="ws-school-name">{current.name}</span>;
  // <details> opens without JavaScript; every other school is a plain link.
  return (
    <details className="ws-switcher">
      <summary aria-label={t("workspace:switcher.label")} title={t("workspace:switcher.label")}>
        <span className="ws-school-name">{current.name}</span>
      </summary>
      <ul>
        {schools.map((s) => (
          <li key={s.slug}>
            {s.slug === current.slug ? (
              <span aria-current="true">{s.name} <span className="muted">({t("workspace:switcher.current")})</span></span>
            ) : (
              <a href={`/s/${s.slug}/trainees`}>{s.name}</a>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}

function Banners({ trialEndsAt, isTrial }: { trialEndsAt: Date | string | null; isTrial: boolean }) {
  const t = useT();
  const fmt = useFormat();
  const root = useRouteLoaderData("root") as RootData | undefined;
  return (
    <>
      {root?.user && !root.user.emailVerified ? (
        <div className="banner" role="status">
          {t("workspace:banner.verifyEmail")} <Link to="/account">{t("workspace:banner.verifyEmailLink")}</Link>
        </div>
      ) : null}
      {isTrial && trialEndsAt ? (
        <div className="banner" role="status">{t("workspace:banner.trial", { date: fmt.date(trialEndsAt) })}</div>
      ) : null}
    </>
  );
}

export default function WorkspaceLayout() {
  const { school, schools } = useLoaderData<typeof loader>();
  const t = useT();
  const base = `/s/${school.slug}`;
  const cls = ({ isActive }: { isActive: boolean }) => (isActive ? "active" : "");
  return (
    <>
      <Header>
        <SchoolSwitcher current={school} schools={schools} />
      </Header>
      <Banners trialEndsAt={school.trialEndsAt} isTrial={school.status === "trial"} />
      <div className="workspace">
        <nav className="sidenav" aria-label={t("workspace:nav.label")}>
          {hasRole(school.roles, STAFF_VIEWERS) ? <NavLink to={`${base}/dashboard`} className={cls}>{t("dashboard:nav")}</NavLink> : null}
          <NavLink to={`${base}/trainees`} className={cls}>{t("workspace:nav.trainees")}</NavLink>
          <NavLink to={`${base}/lessons`} className={cls}>{t("workspace:nav.lessons")}</NavLink>
          <NavLink to={`${base}/theory`} className={cls}>{t("theory:nav")}</NavLink>
          <NavLink to={`${base}/groups`} className={cls}>{t("workspace:nav.groups")}</NavLink>
          <NavLink to={`${base}/exams`} className={cls}>{t("exams:nav.exams")}</NavLink>
          {hasRole(school.roles, ["director", "registrar", "teacher"]) ? <NavLink to={`${base}/questions`} className={cls}>{t("quiz:nav")}</NavLink> : null}
          <NavLink to={`${base}/eligibility`} className={cls}>{t("exams:nav.eligibility")}</NavLink>
          <NavLink to={`${base}/certificates`} className={cls}>{t("exams:nav.certificates")}</NavLink>
          {hasRole(school.roles, STAFF_VIEWERS) ? <NavLink to={`${base}/vehicles`} className={cls}>{t("workspace:nav.vehicles")}</NavLink> : null}
          <NavLink to={`${base}/programmes`} className={cls}>{t("workspace:nav.programmes")}</NavLink>
          <NavLink to={`${base}/exports`} className={cls}>{t("exports:nav")}</NavLink>
          {hasRole(school.roles, ["director", "inspector"]) ? <NavLink to={`${base}/journal`} className={cls}>{t("workspace:nav.journal")}</NavLink> : null}
          {hasRole(school.roles, STAFF_VIEWERS) ? <NavLink to={`${base}/staff`} className={cls}>{t("workspace:nav.staff")}</NavLink> : null}
          {hasRole(school.roles, ["director", "registrar"]) ? <NavLink to={`${base}/booking-rules`} className={cls}>{t("booking:nav")}</NavLink> : null}
          {hasRole(school.roles, ["director"]) ? <NavLink to={`${base}/settings`} className={cls}>{t("workspace:nav.settings")}</NavLink> : null}
        </nav>
        <Outlet />
      </div>
    </>
  );
}

export const ErrorBoundary = LayoutErrorBoundary;
