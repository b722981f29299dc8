import { Link } from "@remix-run/react";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { isAuditAction } from "../../../domain/audit.ts";

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

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Audit entries: time in Asia/Almaty, translated action, long values shortened with the full text in `title`. */
export function AuditTable({ rows, showSchool = true }: { rows: AuditRow[]; showSchool?: boolean }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <div className="table-wrap">
      <table className="audit">
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
            const details =
              r.details && typeof r.details === "object" && Object.keys(r.details).length > 0
                ? JSON.stringify(r.details)
                : "";
            return (
              <tr key={r.id}>
                <td className="nowrap">{fmt.dateTime(r.at)}</td>
                <td>
                  {isAuditAction(r.action) ? t(`admin:actions.${r.action}`) : r.action}
                  <div className="muted small mono">{r.action}</div>
                </td>
                {showSchool ? (
                  <td className="mono small">
                    {r.schoolId ? (
                      <Link to={`/admin/schools/${r.schoolId}`} title={r.schoolId}>
                        {r.schoolId.slice(0, 8)}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                ) : null}
                <td className="mono small">
                  <span title={r.actorUserId ?? undefined}>{r.actorUserId ? r.actorUserId.slice(0, 8) : "—"}</span>
                </td>
                <td className="hide-phone mono small">{r.ip ?? "—"}</td>
                <td className="hide-phone small">
                  <span title={r.userAgent ?? undefined}>{r.userAgent ? short(r.userAgent, 32) : "—"}</span>
                </td>
                <td className="mono small details">
                  <span title={details}>{short(details, 80)}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
