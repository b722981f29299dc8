import { Link } from "@remix-run/react";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { isAuditAction } from "../../../domain/audit.ts";
import { describeAudit } from "./audit-details.ts";

export type AuditRow = {
  id: string;
  at: Date | string;
  action: string;
  schoolId: string | null;
  actorUserId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: unknown;
};

/** The names a page of entries mentions, by id (server/admin/audit-log.ts auditNames). */
export type AuditNames = {
  schools: Record<string, { name: string; slug: string }>;
  users: Record<string, { fullName: string; email: string }>;
  trainees: Record<string, string>;
};

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * Audit entries: time in Asia/Almaty, the translated event, the school and the user by name (links: the
 * school's card, the user on the users page, and each one's entries), the details as text.
 */
export function AuditTable({
  rows,
  names,
  showSchool = true,
  filterLink,
}: {
  rows: AuditRow[];
  names: AuditNames;
  showSchool?: boolean;
  /** the log filtered by one school or user, for the links beside a name */
  filterLink?: (by: { schoolId: string } | { userId: string }) => string;
}) {
  const t = useT();
  const fmt = useFormat();
  return (
    <div className="table-wrap">
      <table className="audit" data-testid="audit">
        <thead>
          <tr>
            <th>{t("admin:audit.cols.time")}</th>
            <th>{t("admin:audit.cols.action")}</th>
            {showSchool ? <th>{t("admin:audit.cols.school")}</th> : null}
            <th>{t("admin:audit.cols.actor")}</th>
            <th className="hide-phone">{t("admin:audit.cols.ip")}</th>
            <th className="hide-phone">{t("admin:audit.cols.userAgent")}</th>
            <th>{t("admin:audit.cols.details")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const school = r.schoolId ? names.schools[r.schoolId] : undefined;
            const user = r.actorUserId ? names.users[r.actorUserId] : undefined;
            const { sentence, facts } = describeAudit(t, names, r.action, r.details);
            return (
              <tr key={r.id}>
                <td className="nowrap">{fmt.dateTime(r.at)}</td>
                <td>{isAuditAction(r.action) ? t(`admin:actions.${r.action}`) : r.action}</td>
                {showSchool ? (
                  <td data-testid="audit-school">
                    {r.schoolId ? (
                      <>
                        <Link to={`/admin/schools/${r.schoolId}`}>{school?.name ?? "—"}</Link>
                        {filterLink ? (
                          <Link
                            to={filterLink({ schoolId: r.schoolId })}
                            className="audit-only small"
                            title={t("admin:audit.filterBySchool")}
                          >
                            {t("admin:audit.onlyThis")}
                          </Link>
                        ) : null}
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                ) : null}
                <td data-testid="audit-user">
                  {r.actorUserId && user ? (
                    <>
                      <Link to={`/admin/users?q=${encodeURIComponent(user.email)}`}>{user.fullName}</Link>
                      <div className="muted small break">{user.email}</div>
                      {filterLink ? (
                        <Link
                          to={filterLink({ userId: r.actorUserId })}
                          className="audit-only small"
                          title={t("admin:audit.filterByUser")}
                        >
                          {t("admin:audit.onlyThisUser")}
                        </Link>
                      ) : null}
                    </>
                  ) : (
                    <span className="muted">{r.actorUserId ? "—" : t("admin:audit.system")}</span>
                  )}
                </td>
                <td className="hide-phone mono small">{r.ip ?? "—"}</td>
                <td className="hide-phone small">
                  <span title={r.userAgent ?? undefined}>{r.userAgent ? short(r.userAgent, 32) : "—"}</span>
                </td>
                <td className="small details" data-testid="audit-details">
                  {sentence ? (
                    sentence
                  ) : facts.length > 0 ? (
                    <dl className="audit-facts">
                      {facts.map(([k, v], i) => (
                        <div key={i}>
                          <dt>{k}</dt>
                          <dd>{v}</dd>
                        </div>
                      ))}
                    </dl>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
