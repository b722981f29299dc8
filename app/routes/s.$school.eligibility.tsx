import { Form, Link, useLoaderData } from "@remix-run/react";
import { TraineeStatusBadge } from "~/components/StatusBadge.tsx";
import { Table } from "~/components/Table.tsx";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { Reasons } from "~/components/exams/Reasons.tsx";
import { load, requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { PrintLink, PrintTitle } from "~/components/Print.tsx";
import { isoDay } from "../../domain/kz/time.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const groupParam = new URL(request.url).searchParams.get("group") ?? "";
  const groupId = UUID.test(groupParam) ? groupParam : undefined;
  const data = await load(context, () => context.trpc.exams.groupEligibility({ school: params.school!, groupId }));
  return { ...data, groupId: groupId ?? "" };
}

const hours = (minutes: number) => (Math.round(minutes / 6) / 10).toString().replace(".", ",");

export default function Eligibility() {
  const d = useLoaderData<typeof loader>();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  return (
    <main className="ws-main">
      <div className="ws-head">
        <h1>{t("exams:eligibility.title")}</h1>
        <div className="ws-head-actions">
          <PrintLink />
        </div>
      </div>
      <PrintTitle title={t("exams:eligibility.title")} />
      <p className="muted">{t("exams:eligibility.lead")}</p>
      <Form method="get" className="toolbar inline-form">
        <div className="field">
          <label htmlFor="f-group">{t("exams:eligibility.group")}</label>
          <select id="f-group" name="group" defaultValue={d.groupId}>
            <option value="">{t("exams:eligibility.allActive")}</option>
            {d.groups.map((g) => (
              <option
                key={g.id}
                value={g.id}
              >{`${g.number} · ${g.category} · ${fmt.date(isoDay(new Date(g.startsOn)))}–${fmt.date(isoDay(new Date(g.endsOn)))}`}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="secondary">
          {t("exams:eligibility.show")}
        </button>
      </Form>

      <div
        className={`check-result ${d.rows.length && d.eligibleCount === d.rows.length ? "ok" : "broken"}`}
        role="status"
        data-testid="eligibility-summary"
      >
        <strong>{t("exams:eligibility.summary", { eligible: d.eligibleCount, total: d.rows.length })}</strong>
        <span className="muted small"> · {t("exams:eligibility.checkedOn", { date: fmt.date(d.today) })}</span>
      </div>
      {d.truncated ? (
        <p className="muted">{t("exams:eligibility.truncated", { shown: d.rows.length, total: d.total })}</p>
      ) : null}

      <Table
        rows={d.rows}
        empty={t("exams:eligibility.none")}
        className="elig-table"
        labels="exams:eligibility.cols"
        columns={["trainee", ["status", "hide-phone"], ["driving", "hide-phone"], "result"]}
        row={(r) => (
          <tr key={r.id} data-testid="eligibility-row" className={r.eligible ? "elig-ok" : "elig-missing"}>
            <td>
              <Link to={`/s/${school.slug}/trainees/${r.id}`}>
                {r.lastName} {r.firstName}
                {r.middleName ? ` ${r.middleName}` : ""}
              </Link>
              <div className="muted small">
                {r.category} · <Link to={`/s/${school.slug}/exams?trainee=${r.id}`}>{t("exams:results.history")}</Link>
              </div>
            </td>
            <td className="hide-phone">
              <TraineeStatusBadge status={r.status} />
            </td>
            <td className="hide-phone nowrap">
              {hours(r.drivingDoneMinutes)}
              {r.drivingRequiredMinutes !== null ? ` / ${hours(r.drivingRequiredMinutes)}` : ""}
            </td>
            <td>
              {r.eligible ? (
                <span className="badge exam-pass">{t("exams:eligibility.eligible")}</span>
              ) : (
                <>
                  <span className="small muted">{t("exams:eligibility.missing")}</span>
                  <Reasons reasons={r.reasons} />
                </>
              )}
            </td>
          </tr>
        )}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
