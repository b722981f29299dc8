// The workspace of one school (/s/<slug>): header, navigation, the banners (~/components/workspace/Banners.tsx:
// access state, offer changes, maintenance, each to whom can act on it) and — when the school is suspended —
// the suspended page instead of the section asked for (only the director's billing page and the support
// pages still open). Suspended for non-payment, the page says what is owed and how to pay; suspended by the
// operator by hand, it says so with the operator's reason and how to reach support, and nothing of paying.
// During a maintenance window the web tier answers with the maintenance page (503) instead.
import { Link, NavLink, Outlet, useLoaderData, useMatches } from "@remix-run/react";
import type { LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { Header } from "~/components/Header.tsx";
import { SideNav } from "~/components/workspace/SideNav.tsx";
import { WorkspaceBanners } from "~/components/workspace/Banners.tsx";
import {
  ACTIVE_STAFF,
  DIRECTOR,
  hasRole,
  JOURNAL_READERS,
  QUESTION_EDITORS,
  STAFF_VIEWERS,
  WRITERS,
} from "../../domain/roles.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { loadWorkspace, loadWs } from "~/components/workspace/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { CONTRACT_ROLES } from "../../domain/visibility.ts";
import { almatyDate, daysBetween } from "../../domain/kz/time.ts";

/** States in which the banners and the suspended page tell the director what is owed. */
const OWING = ["past_due", "restricted", "suspended"];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const slug = params.school!;
  const ws = await loadWorkspace(context, slug);
  // Only the director may see the invoices (billing is director-only); the others get the plain banners.
  const billing =
    OWING.includes(ws.school.status) && ws.school.roles.includes("director")
      ? await loadWs(context, () => context.trpc.billing.overview({ school: slug }))
      : null;
  const today = almatyDate(new Date());
  const trialLastDay = ws.school.trialEndsAt ? almatyDate(new Date(ws.school.trialEndsAt)) : null;
  const open = (billing?.invoices ?? [])
    .filter((i) => i.status === "open")
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  return {
    school: ws.school,
    notices: ws.notices,
    traineeCount: ws.trainees,
    suspension: ws.suspension,
    schools: ws.schools,
    access: {
      trialLastDay,
      trialDaysLeft: trialLastDay ? daysBetween(today, trialLastDay) : null,
      debtTiyn: billing?.debtTiyn ?? 0,
      overdueSince: open.find((i) => i.overdue)?.dueOn ?? null,
      open: open.map((i) => ({ id: i.id, number: i.number, amountTiyn: i.amountTiyn, dueOn: i.dueOn })),
    },
  };
}

type LayoutData = SerializeFrom<typeof loader>;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.school.name} — Avtomektep` : "Avtomektep" },
];

function SchoolSwitcher({
  current,
  schools,
}: {
  current: { slug: string; name: string };
  schools: { slug: string; name: string }[];
}) {
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
              <span aria-current="true">
                {s.name} <span className="muted">({t("workspace:switcher.current")})</span>
              </span>
            ) : (
              <a href={`/s/${s.slug}`}>{s.name}</a>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Where a suspended school's people reach support: the tickets (who may write them), e-mail and hours. */
function SupportContact({ school }: Pick<LayoutData, "school">) {
  const t = useT();
  return (
    <p className="muted">
      {hasRole(school.roles, ACTIVE_STAFF) ? (
        <>
          <Link to={`/s/${school.slug}/support`}>{t("billing:suspendedByOperator.supportLink")}</Link> ·{" "}
        </>
      ) : null}
      {t("billing:suspendedByOperator.contact")} <a href="mailto:info@avtomektep.kz">info@avtomektep.kz</a>,{" "}
      {t("billing:suspended.hours")}
    </p>
  );
}

/** Suspended by the operator by hand: said so, with the operator's reason and the way to support; nothing to pay. */
function SuspendedByOperatorPage({ school, suspension }: Pick<LayoutData, "school" | "suspension">) {
  const t = useT();
  const fmt = useFormat();
  return (
    <main className="ws-main suspended-page" data-testid="suspended-page">
      <h1>{t("billing:suspendedByOperator.title")}</h1>
      <section className="card suspended-card">
        <p>{t("billing:suspendedByOperator.why", { date: fmt.date(suspension!.since) })}</p>
        {suspension?.reason ? (
          <>
            <p>{t("billing:suspendedByOperator.reason")}</p>
            <blockquote className="suspended-reason" data-testid="suspension-reason">
              {suspension.reason}
            </blockquote>
          </>
        ) : null}
        <p>{t("billing:suspendedByOperator.kept")}</p>
        <p>{t("billing:suspendedByOperator.next")}</p>
      </section>
      <SupportContact school={school} />
    </main>
  );
}

/** Instead of any section while the school is suspended: why, that nothing is lost, and who can pay how. */
function SuspendedPage({ school, access, suspension }: Pick<LayoutData, "school" | "access" | "suspension">) {
  const t = useT();
  const fmt = useFormat();
  const isDirector = hasRole(school.roles, DIRECTOR);
  if (suspension?.byOperator) return <SuspendedByOperatorPage school={school} suspension={suspension} />;
  return (
    <main className="ws-main suspended-page" data-testid="suspended-page">
      <h1>{t("billing:suspended.title")}</h1>
      <section className="card suspended-card">
        <p>{t("billing:suspended.why")}</p>
        <p>{t("billing:suspended.kept")}</p>
        {isDirector ? (
          <>
            {access.open.length > 0 ? (
              <ul className="plain-list suspended-invoices">
                {access.open.map((i) => (
                  <li key={i.id}>
                    {t("billing:suspended.invoice", {
                      number: i.number,
                      amount: formatTiyn(i.amountTiyn),
                      date: fmt.date(i.dueOn),
                    })}
                  </li>
                ))}
              </ul>
            ) : null}
            <p>{t("billing:suspended.director")}</p>
            <p>
              <Link to={`/s/${school.slug}/billing`} className="button">
                {t("billing:suspended.payButton")}
              </Link>
            </p>
          </>
        ) : (
          <p className="banner-inline">{t("billing:suspended.staff")}</p>
        )}
      </section>
      <p className="muted">
        {t("billing:suspended.contact")} <a href="mailto:info@avtomektep.kz">info@avtomektep.kz</a>,{" "}
        {t("billing:suspended.hours")}
      </p>
    </main>
  );
}

export default function WorkspaceLayout() {
  const { school, schools, access, notices, suspension } = useLoaderData<typeof loader>();
  const t = useT();
  const matches = useMatches();
  const base = `/s/${school.slug}`;
  const cls = ({ isActive }: { isActive: boolean }) => (isActive ? "active" : "");
  const isDirector = hasRole(school.roles, DIRECTOR);
  const billingLink = isDirector ? (
    <NavLink to={`${base}/billing`} className={cls}>
      {t("billing:nav")}
    </NavLink>
  ) : null;
  // The side navigation's sections in order: path under the school, label, whether this user has it.
  const sections: [string, string, boolean][] = [
    ["dashboard", t("dashboard:nav"), hasRole(school.roles, STAFF_VIEWERS)],
    ["trainees", t("workspace:nav.trainees"), true],
    ["lessons", t("workspace:nav.lessons"), true],
    ["theory", t("theory:nav"), true],
    ["groups", t("workspace:nav.groups"), true],
    ["exams", t("exams:nav.exams"), true],
    ["questions", t("quiz:nav"), hasRole(school.roles, QUESTION_EDITORS)],
    ["eligibility", t("exams:nav.eligibility"), true],
    ["certificates", t("exams:nav.certificates"), true],
    ["vehicles", t("workspace:nav.vehicles"), hasRole(school.roles, STAFF_VIEWERS)],
    ["programmes", t("workspace:nav.programmes"), true],
    ["exports", t("exports:nav"), true],
    ["tuition", t("training:debtors.nav"), hasRole(school.roles, CONTRACT_ROLES)],
    ["journal", t("workspace:nav.journal"), hasRole(school.roles, JOURNAL_READERS)],
    ["staff", t("workspace:nav.staff"), hasRole(school.roles, STAFF_VIEWERS)],
    ["booking-rules", t("booking:nav"), hasRole(school.roles, WRITERS)],
    ["settings", t("workspace:nav.settings"), hasRole(school.roles, DIRECTOR)],
    ["billing", t("billing:nav"), isDirector],
    ["documents", t("notices:documents.nav"), true],
    ["claims", t("contract:nav.claims"), hasRole(school.roles, DIRECTOR)],
    ["privacy", t("privacy:title"), hasRole(school.roles, DIRECTOR)],
    ["support", t("support:title"), hasRole(school.roles, ACTIVE_STAFF)],
  ];
  // Suspended: every other section's loader is refused; its error is never shown because the Outlet is
  // not rendered — the suspended page is. The director's billing page and the support pages (their
  // procedures work in every access state) are the ways out.
  const suspended = school.status === "suspended";
  const mayWriteSupport = hasRole(school.roles, ACTIVE_STAFF);
  const showOutlet =
    !suspended ||
    (isDirector && matches.some((m) => m.id === "routes/s.$school.billing")) ||
    (mayWriteSupport && matches.some((m) => m.id.startsWith("routes/s.$school.support")));
  return (
    <>
      <Header>
        <SchoolSwitcher current={school} schools={schools} />
      </Header>
      {/* On the suspended page itself the reason is the page; on billing or support it is a banner. */}
      <WorkspaceBanners school={school} access={access} notices={notices} suspension={showOutlet ? suspension : null} />
      <div className={suspended && !isDirector && !mayWriteSupport ? "workspace workspace-solo" : "workspace"}>
        {suspended ? (
          isDirector || mayWriteSupport ? (
            <SideNav label={t("workspace:nav.label")}>
              {billingLink}
              <NavLink to={`${base}/support`} className={cls}>
                {t("support:title")}
              </NavLink>
            </SideNav>
          ) : null
        ) : (
          <SideNav label={t("workspace:nav.label")}>
            {sections.map(([path, label, shown]) =>
              shown ? (
                <NavLink key={path} to={`${base}/${path}`} className={cls}>
                  {label}
                </NavLink>
              ) : null,
            )}
          </SideNav>
        )}
        {showOutlet ? <Outlet /> : <SuspendedPage school={school} access={access} suspension={suspension} />}
      </div>
    </>
  );
}

export { MaintenanceAwareErrorBoundary as ErrorBoundary } from "~/components/MaintenancePage.tsx";
