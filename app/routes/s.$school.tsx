// The workspace of one school (/s/<slug>): header, navigation, the access banners (trial, past due,
// read-only) and — when the school is suspended for non-payment — the suspended page instead of the
// section asked for (only the director's billing page still opens). Also the notices: offer-change
// banners until read, maintenance announcements, and the maintenance page during a window (503).
import {
  Form,
  Link,
  NavLink,
  Outlet,
  useLoaderData,
  useLocation,
  useMatches,
  useRouteLoaderData,
} from "@remix-run/react";
import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type SerializeFrom,
} from "@remix-run/node";
import type { ReactNode } from "react";
import { Header } from "~/components/Header.tsx";
import {
  ACTIVE_STAFF,
  DIRECTOR,
  hasRole,
  JOURNAL_READERS,
  QUESTION_EDITORS,
  STAFF_VIEWERS,
  WRITERS,
} from "../../domain/roles.ts";
import { requireUser, safeNext, uuidParam } from "~/lib/forms.server.ts";
import { loadWorkspace, loadWs } from "~/components/workspace/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../domain/i18n/index.ts";
import type { RootData } from "~/root.tsx";
import { almatyDate, daysBetween } from "../../domain/kz/time.ts";

/** States in which the banners and the suspended page tell the director what is owed. */
const OWING = ["past_due", "restricted", "suspended"];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const slug = params.school!;
  const [ws, me, notices] = await Promise.all([
    loadWorkspace(context, slug),
    loadWs(context, () => context.trpc.auth.me()),
    loadWs(context, () => context.trpc.notices.workspace({ school: slug })),
  ]);
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
    notices,
    traineeCount: ws.trainees,
    schools: (me?.schools ?? []).map((s) => ({ slug: s.slug, name: s.name })),
    access: {
      trialLastDay,
      trialDaysLeft: trialLastDay ? daysBetween(today, trialLastDay) : null,
      debtTiyn: billing?.debtTiyn ?? 0,
      overdueSince: open.find((i) => i.overdue)?.dueOn ?? null,
      open: open.map((i) => ({ id: i.id, number: i.number, amountTiyn: i.amountTiyn, dueOn: i.dueOn })),
    },
  };
}

/** "Read" on an offer-change banner (the only action of the layout; forms post here without ?index). */
export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const noticeId = uuidParam(context, String(form.get("noticeId") ?? ""));
  await loadWs(context, () => context.trpc.notices.markRead({ school: params.school!, noticeId }));
  return redirect(safeNext(String(form.get("next") ?? ""), `/s/${params.school}`));
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

/** Offer changes until read, and maintenance windows announced and not yet over. */
function NoticeBanners({ school, notices }: Pick<LayoutData, "school" | "notices">) {
  const t = useT();
  const fmt = useFormat();
  const location = useLocation();
  const root = useRouteLoaderData("root") as RootData | undefined;
  const kk = (root?.locale ?? "kk") === "kk";
  const now = Date.now();
  return (
    <>
      {notices.announcements.map((w) => (
        <div
          key={w.id}
          className={w.active ? "banner banner-danger" : "banner"}
          role="status"
          data-testid="maintenance-banner"
        >
          {t(w.active ? "notices:banner.maintenanceNow" : "notices:banner.maintenance", {
            from: fmt.dateTime(w.startsAt),
            to: fmt.dateTime(w.endsAt),
            reason: kk ? w.reasonKk : w.reasonRu,
          })}
        </div>
      ))}
      {notices.banners.map((b) => (
        <div key={b.noticeId} className="banner notice-banner" role="status" data-testid="offer-banner">
          {t(
            b.kind === "tariff_change"
              ? "notices:banner.tariff"
              : new Date(b.effectiveFrom).getTime() <= now
                ? "notices:banner.offerInForce"
                : "notices:banner.offer",
            {
              version: b.version,
              date: fmt.date(b.effectiveFrom),
              summary: (kk ? b.summaryKk : b.summaryRu) ?? "",
            },
          )}{" "}
          <Link to={`/s/${school.slug}/documents`}>{t("notices:banner.documents")}</Link>{" "}
          {hasRole(school.roles, ACTIVE_STAFF) ? (
            <Form method="post" action={`/s/${school.slug}`} style={{ display: "inline" }}>
              <input type="hidden" name="noticeId" value={b.noticeId} />
              <input type="hidden" name="next" value={location.pathname + location.search} />
              <button type="submit" className="link-button">
                {t("notices:banner.markRead")}
              </button>
            </Form>
          ) : null}
        </div>
      ))}
    </>
  );
}

function Banners({ school, access }: Pick<LayoutData, "school" | "access">) {
  const t = useT();
  const fmt = useFormat();
  const root = useRouteLoaderData("root") as RootData | undefined;
  const isDirector = hasRole(school.roles, DIRECTOR);
  const payLink = (label = t("billing:banner.pay")) =>
    isDirector ? (
      <>
        {" "}
        <Link to={`/s/${school.slug}/billing`}>{label}</Link>
      </>
    ) : null;
  const debt =
    access.debtTiyn > 0 && access.overdueSince
      ? { amount: formatTiyn(access.debtTiyn), date: fmt.date(access.overdueSince) }
      : null;
  // The billing banner: a status line, or an alert once access is restricted.
  const accessBanner = (text: string, pay: ReactNode, danger = false) => (
    <div
      className={danger ? "banner banner-danger" : "banner"}
      role={danger ? "alert" : "status"}
      data-testid="access-banner"
    >
      {text}
      {pay}
    </div>
  );
  let billing: ReactNode = null;
  if (school.status === "trial" && access.trialLastDay && access.trialDaysLeft !== null) {
    const days = access.trialDaysLeft;
    const date = fmt.date(access.trialLastDay);
    const text =
      days > 0
        ? t("billing:banner.trial", { date, days })
        : days === 0
          ? t("billing:banner.trialToday", { date })
          : t("billing:banner.trialOver", { date });
    billing = accessBanner(text, payLink(t("billing:banner.trialPay")));
  } else if (school.status === "past_due") {
    const text = !isDirector
      ? t("billing:banner.pastDueStaff")
      : debt
        ? t("billing:banner.pastDue", debt)
        : t("billing:banner.pastDueShort");
    billing = accessBanner(text, payLink());
  } else if (school.status === "restricted") {
    const text = !isDirector
      ? t("billing:banner.restrictedStaff")
      : debt
        ? t("billing:banner.restricted", debt)
        : t("billing:banner.restrictedShort");
    billing = accessBanner(text, payLink(), true);
  }
  return (
    <>
      {root?.user && !root.user.emailVerified ? (
        <div className="banner" role="status">
          {t("workspace:banner.verifyEmail")} <Link to="/account">{t("workspace:banner.verifyEmailLink")}</Link>
        </div>
      ) : null}
      {billing}
    </>
  );
}

/** Instead of any section while the school is suspended: why, that nothing is lost, and who can pay how. */
function SuspendedPage({ school, access }: Pick<LayoutData, "school" | "access">) {
  const t = useT();
  const fmt = useFormat();
  const isDirector = hasRole(school.roles, DIRECTOR);
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
  const { school, schools, access, notices } = useLoaderData<typeof loader>();
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
  // not rendered — the suspended page is. The director's billing page is the one way out.
  const suspended = school.status === "suspended";
  const showOutlet = !suspended || (isDirector && matches.some((m) => m.id === "routes/s.$school.billing"));
  return (
    <>
      <Header>
        <SchoolSwitcher current={school} schools={schools} />
      </Header>
      <Banners school={school} access={access} />
      <NoticeBanners school={school} notices={notices} />
      <div className={suspended && !isDirector ? "workspace workspace-solo" : "workspace"}>
        {suspended ? (
          isDirector ? (
            <nav className="sidenav" aria-label={t("workspace:nav.label")}>
              {billingLink}
            </nav>
          ) : null
        ) : (
          <nav className="sidenav" aria-label={t("workspace:nav.label")}>
            {sections.map(([path, label, shown]) =>
              shown ? (
                <NavLink key={path} to={`${base}/${path}`} className={cls}>
                  {label}
                </NavLink>
              ) : null,
            )}
          </nav>
        )}
        {showOutlet ? <Outlet /> : <SuspendedPage school={school} access={access} />}
      </div>
    </>
  );
}

export { MaintenanceAwareErrorBoundary as ErrorBoundary } from "~/components/MaintenancePage.tsx";
