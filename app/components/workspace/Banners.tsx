// The workspace's banners, each to whom can act on it (docs/decisions/030-role-aware-landing-and-notices.md):
// the access state in full to the director (trial, past due, read-only, with the way to pay) and as one short
// line to the other staff once it changes their work (read-only); the offer and tariff changes to the director
// (the server sends them no one else); the maintenance announcements to everyone, hideable until the window
// begins; the unverified e-mail to its owner. On a phone (≤ 480 px, public/app.css) a banner is one line cut
// with "…" that opens on a tap, and two or more fold into one line "Notices: N" — <details>, no JavaScript.
// Wide screens show them all, whole. A suspension by the operator shows as a banner on the pages a
// suspended school still opens (billing, support), with the operator's reason.
import { Form, Link, useLocation, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { ACTIVE_STAFF, DIRECTOR, hasRole } from "../../../domain/roles.ts";
import { formatTiyn } from "../../../domain/i18n/index.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import type { RootData } from "~/root.tsx";

/** What the workspace layout's loader gives the banners. */
type When = string | Date;
type LayoutData = {
  school: { slug: string; status: string; roles: readonly string[] };
  access: { trialLastDay: string | null; trialDaysLeft: number | null; debtTiyn: number; overdueSince: string | null };
  notices: {
    banners: {
      noticeId: string;
      kind: "offer_change" | "tariff_change";
      version: number;
      effectiveFrom: When;
      summaryKk: string | null;
      summaryRu: string | null;
    }[];
    announcements: {
      id: string;
      startsAt: When;
      endsAt: When;
      reasonKk: string;
      reasonRu: string;
      active: boolean;
    }[];
  };
};

type Item = {
  key: string;
  testId?: string;
  danger?: boolean;
  /** the line: text, then its links or buttons (a button names its form by id: no <form> inside a <summary>) */
  line: ReactNode;
  /** the forms the line's buttons submit */
  forms?: ReactNode;
};

/** A suspension by the operator by hand: when it was and the operator's reason (null for any other state). */
type Suspension = { byOperator: boolean; reason: string | null; since: When } | null;

export function WorkspaceBanners({
  school,
  access,
  notices,
  suspension = null,
}: Pick<LayoutData, "school" | "access" | "notices"> & { suspension?: Suspension }) {
  const t = useT();
  const items = [
    useSuspensionItem(school, suspension),
    useAccessItem(school, access),
    ...useMaintenanceItems(school, notices),
    ...useChangeItems(school, notices),
    useVerifyItem(),
  ].filter((i): i is Item => i !== null);
  if (items.length === 0) return null;
  if (items.length === 1) return <Banner item={items[0]!} />;
  return (
    <details className="banner-group" data-testid="banner-group">
      <summary className={items.some((i) => i.danger) ? "banner banner-danger" : "banner"}>
        <span className="banner-line">{t("notices:banner.count", { count: items.length })}</span>
        <span className="banner-more">{t("notices:banner.more")}</span>
      </summary>
      {items.map((i) => (
        <Banner key={i.key} item={i} />
      ))}
    </details>
  );
}

function Banner({ item }: { item: Item }) {
  const t = useT();
  return (
    <div
      className={item.danger ? "banner banner-danger" : "banner"}
      role={item.danger ? "alert" : "status"}
      data-testid={item.testId}
    >
      <details className="banner-fold">
        <summary>
          <span className="banner-line">{item.line}</span>
          <span className="banner-more">{t("notices:banner.more")}</span>
        </summary>
      </details>
      {item.forms}
    </div>
  );
}

/** A small form, posted by a button in a banner's line to /s/<slug>/notices, which sends the person back here. */
function BannerForm({ id, slug, fields }: { id: string; slug: string; fields: Record<string, string> }) {
  const location = useLocation();
  return (
    <Form id={id} method="post" action={`/s/${slug}/notices`} reloadDocument hidden>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="next" value={location.pathname + location.search} />
    </Form>
  );
}

/**
 * Suspended by the operator by hand (shown on the pages a suspended school still opens: billing, support):
 * to everyone, with the operator's reason and the way to support — there is nothing to pay.
 */
function useSuspensionItem(school: LayoutData["school"], suspension: Suspension): Item | null {
  const t = useT();
  const fmt = useFormat();
  if (school.status !== "suspended" || !suspension?.byOperator) return null;
  return {
    key: "suspension",
    testId: "suspension-banner",
    danger: true,
    line: (
      <>
        {t("billing:banner.suspendedByOperator", {
          date: fmt.date(suspension.since),
          reason: suspension.reason ?? "—",
        })}
        {hasRole(school.roles, ACTIVE_STAFF) ? (
          <>
            {" "}
            <Link to={`/s/${school.slug}/support`}>{t("billing:suspendedByOperator.supportLink")}</Link>
          </>
        ) : null}
      </>
    ),
  };
}

/**
 * The access state. The director: trial days left, the debt and its date, read-only — each with the way to
 * pay. The other staff: only read-only, in one short line (their changes are refused); a trial or a payment
 * overdue changes nothing they do and they can't pay, so they aren't told.
 */
function useAccessItem(school: LayoutData["school"], access: LayoutData["access"]): Item | null {
  const t = useT();
  const fmt = useFormat();
  if (!hasRole(school.roles, DIRECTOR))
    return school.status === "restricted"
      ? { key: "access", testId: "access-banner", danger: true, line: t("billing:banner.restrictedStaff") }
      : null;
  const pay = (label = t("billing:banner.pay")) => (
    <>
      {" "}
      <Link to={`/s/${school.slug}/billing`}>{label}</Link>
    </>
  );
  const debt =
    access.debtTiyn > 0 && access.overdueSince
      ? { amount: formatTiyn(access.debtTiyn), date: fmt.date(access.overdueSince) }
      : null;
  const item = (text: string, link: ReactNode, danger = false): Item => ({
    key: "access",
    testId: "access-banner",
    danger,
    line: (
      <>
        {text}
        {link}
      </>
    ),
  });
  if (school.status === "trial" && access.trialLastDay && access.trialDaysLeft !== null) {
    const days = access.trialDaysLeft;
    const date = fmt.date(access.trialLastDay);
    const text =
      days > 0
        ? t("billing:banner.trial", { date, days })
        : days === 0
          ? t("billing:banner.trialToday", { date })
          : t("billing:banner.trialOver", { date });
    return item(text, pay(t("billing:banner.trialPay")));
  }
  if (school.status === "past_due")
    return item(debt ? t("billing:banner.pastDue", debt) : t("billing:banner.pastDueShort"), pay());
  if (school.status === "restricted")
    return item(debt ? t("billing:banner.restricted", debt) : t("billing:banner.restrictedShort"), pay(), true);
  return null;
}

/** Maintenance windows announced and not over: everyone's; "Hide" until the window begins (not for the inspector, who only reads). */
function useMaintenanceItems(school: LayoutData["school"], notices: LayoutData["notices"]): Item[] {
  const t = useT();
  const fmt = useFormat();
  const kk = useKk();
  const mayHide = hasRole(school.roles, ACTIVE_STAFF);
  return notices.announcements.map((w) => {
    const form = `hide-${w.id}`;
    return {
      key: w.id,
      testId: "maintenance-banner",
      danger: w.active,
      line: (
        <>
          {t(w.active ? "notices:banner.maintenanceNow" : "notices:banner.maintenance", {
            from: fmt.dateTime(w.startsAt),
            to: fmt.dateTime(w.endsAt),
            reason: kk ? w.reasonKk : w.reasonRu,
          })}
          {mayHide && !w.active ? (
            <>
              {" "}
              <button type="submit" form={form} className="link-button">
                {t("notices:banner.hide")}
              </button>
            </>
          ) : null}
        </>
      ),
      forms: mayHide && !w.active ? <BannerForm id={form} slug={school.slug} fields={{ maintenanceId: w.id }} /> : null,
    };
  });
}

/** Offer and tariff changes until read: the server gives them to the director alone. */
function useChangeItems(school: LayoutData["school"], notices: LayoutData["notices"]): Item[] {
  const t = useT();
  const fmt = useFormat();
  const kk = useKk();
  const now = Date.now();
  return notices.banners.map((b) => {
    const form = `read-${b.noticeId}`;
    return {
      key: b.noticeId,
      testId: "offer-banner",
      line: (
        <>
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
          <button type="submit" form={form} className="link-button">
            {t("notices:banner.markRead")}
          </button>
        </>
      ),
      forms: <BannerForm id={form} slug={school.slug} fields={{ noticeId: b.noticeId }} />,
    };
  });
}

function useVerifyItem(): Item | null {
  const t = useT();
  const root = useRouteLoaderData("root") as RootData | undefined;
  return root?.user && !root.user.emailVerified
    ? {
        key: "verify",
        line: (
          <>
            {t("workspace:banner.verifyEmail")} <Link to="/account">{t("workspace:banner.verifyEmailLink")}</Link>
          </>
        ),
      }
    : null;
}

function useKk() {
  const root = useRouteLoaderData("root") as RootData | undefined;
  return (root?.locale ?? "kk") === "kk";
}
