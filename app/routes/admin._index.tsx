import { Form, Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { isOneOf, SCHOOL_STATUSES } from "~/components/workspace/constants.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { loadWs } from "~/components/workspace/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const statusParam = url.searchParams.get("status");
  const status = isOneOf(SCHOOL_STATUSES, statusParam) ? statusParam : undefined;
  const schools = await loadWs(context, () => context.trpc.admin.schools({ q: q || undefined, status }));
  return { schools, q, status: status ?? "" };
}

export default function AdminSchools() {
  const { schools, q, status } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  return (
    <main className="ws-main">
      <h1>{t("admin:schools.title")}</h1>
      <Form method="get" className="toolbar" role="search">
        <label className="visually-hidden" htmlFor="q">{t("admin:schools.searchLabel")}</label>
        <input type="search" id="q" name="q" defaultValue={q} placeholder={t("admin:schools.searchPlaceholder")} maxLength={100} />
        <label className="visually-hidden" htmlFor="status">{t("admin:schools.statusLabel")}</label>
        <select id="status" name="status" defaultValue={status}>
          <option value="">{t("admin:schools.statusAll")}</option>
          {SCHOOL_STATUSES.map((s) => (
            <option key={s} value={s}>{t(`common:schoolStatus.${s}`)}</option>
          ))}
        </select>
        <button type="submit" className="primary">{t("common:search")}</button>
        {q || status ? <Link to="/admin" className="button secondary">{t("admin:schools.reset")}</Link> : null}
      </Form>
      <p className="muted">{t("admin:schools.count", { count: schools.length })}</p>
      {schools.length === 0 ? (
        <p className="card muted">{t("admin:schools.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("admin:schools.cols.name")}</th>
                <th className="hide-phone">{t("admin:schools.cols.slug")}</th>
                <th className="hide-phone">{t("admin:schools.cols.binIin")}</th>
                <th>{t("admin:schools.cols.status")}</th>
                <th className="num">{t("admin:schools.cols.trainees")}</th>
                <th className="num hide-phone">{t("admin:schools.cols.members")}</th>
                <th className="hide-phone">{t("admin:schools.cols.created")}</th>
              </tr>
            </thead>
            <tbody>
              {schools.map((s) => (
                <tr key={s.id}>
                  <td><Link to={`/admin/schools/${s.id}`}>{s.name}</Link></td>
                  <td className="hide-phone mono">{s.slug}</td>
                  <td className="hide-phone mono">{s.binIin}</td>
                  <td><span className={`badge ${s.status}`}>{t(`common:schoolStatus.${s.status}`)}</span></td>
                  <td className="num">{s._count.trainees}</td>
                  <td className="num hide-phone">{s._count.memberships}</td>
                  <td className="hide-phone nowrap">
                    {fmt.date(s.createdAt)}
                    {s.status === "trial" && s.trialEndsAt ? (
                      <div className="muted small">{t("admin:schools.trialUntil", { date: fmt.date(s.trialEndsAt) })}</div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
