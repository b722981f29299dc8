import { Link } from "@remix-run/react";
import { useFormat, useT } from "~/lib/i18n.tsx";
import type { Warning } from "../../../domain/warnings.ts";

export type WarningRow = Omit<Warning, "schoolId">;

/** Where a warning leads: the trainee's card, the vehicle, or the instructor's staff page. */
export function warningHref(slug: string, w: Pick<WarningRow, "kind" | "subjectId">): string {
  const base = `/s/${slug}`;
  switch (w.kind) {
    case "medical":
      return `${base}/trainees/${w.subjectId}`;
    case "instructorCert":
      return `${base}/staff/${w.subjectId}`;
    default:
      return `${base}/vehicles/${w.subjectId}`;
  }
}

/** The expiry warnings: red for expired, amber for expiring within 30 days; each links to its page. */
export function WarningsList({ slug, warnings }: { slug: string; warnings: WarningRow[] }) {
  const t = useT();
  const fmt = useFormat();
  if (warnings.length === 0) return <p className="notice">{t("dashboard:warnings.empty")}</p>;
  return (
    <ul className="dash-warnings">
      {warnings.map((w) => (
        <li key={`${w.kind}:${w.subjectId}`} className={`dash-warning ${w.state}`}>
          <span className={`badge exp-${w.state}`}>
            {w.state === "expired"
              ? t("dashboard:warnings.expired")
              : w.days === 0
                ? t("dashboard:warnings.today")
                : t("dashboard:warnings.soon", { days: w.days })}
          </span>
          <span className="dash-warning-what">
            <span className="muted">{t(`dashboard:warnings.kinds.${w.kind}`)}</span>{" "}
            <Link
              to={warningHref(slug, w)}
              className={w.kind === "insurance" || w.kind === "inspection" ? "mono" : undefined}
            >
              {w.name}
            </Link>
          </span>
          <span className="dash-warning-when small">
            {w.state === "expired"
              ? t("dashboard:warnings.expiredOn", { date: fmt.date(w.validUntil), days: -w.days })
              : t("dashboard:warnings.validUntil", { date: fmt.date(w.validUntil) })}
          </span>
        </li>
      ))}
    </ul>
  );
}
