// The working-day calendar per year (Labour Code: holidays, decree transfers): the year as in force and its
// weekday days off; a super-admin saves the operator's version, which every deadline then counts with.
import { Notice } from "~/components/Notice.tsx";
import { Form, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FieldBox, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, texts } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { almatyDate } from "../../domain/kz/time.ts";
import type { loader as adminLoader } from "./admin.tsx";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const asked = Number(new URL(request.url).searchParams.get("year"));
  const year =
    Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : Number(almatyDate(new Date()).slice(0, 4));
  return loadWs(context, () => context.trpc.admin.contract.calendar({ year }));
}

type Values = { year: string; holidays: string; daysOff: string; workingDays: string };

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const v: Values = texts(form, ["year", "holidays", "daysOff", "workingDays"]);
  const r = await runWs(context, () => context.trpc.admin.contract.saveCalendar({ ...v, year: Number(v.year) }));
  return r.ok ? { saved: r.value.year } : refusedWith(r.response, v);
}

export default function AdminCalendar() {
  const y = useLoaderData<typeof loader>();
  const admin = useRouteLoaderData<typeof adminLoader>("routes/admin");
  const actionData = useActionData() as Refused<Values> | { saved: number } | undefined;
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const fmt = useFormat();
  const refused = actionData && "error" in actionData ? actionData : null;
  const fe = refused?.error.fieldErrors ?? {};
  const v = refused?.values;
  const lines = {
    holidays: y.holidays.map((h) => `${h.date} ${h.name}${h.religious ? " *" : ""}`).join("\n"),
    daysOff: y.daysOff.map((d) => `${d.date} ${d.act}`).join("\n"),
    workingDays: y.workingDays.map((d) => `${d.date} ${d.act}`).join("\n"),
  };
  const area = (k: "holidays" | "daysOff" | "workingDays", rows: number) => (
    <FieldBox htmlFor={`cal-${k}`} label={t(`contract:calendar.${k}`)} error={fe[k]}>
      <textarea
        id={`cal-${k}`}
        name={k}
        rows={rows}
        className="mono"
        defaultValue={v?.[k] ?? lines[k]}
        readOnly={admin?.operatorRole !== "super_admin"}
      />
    </FieldBox>
  );
  return (
    <main className="ws-main">
      <h1>{t("contract:calendar.title")}</h1>
      <p className="muted">{t("contract:calendar.intro")}</p>
      <Form method="get" className="actions">
        <label htmlFor="cal-year">{t("contract:calendar.year")}</label>{" "}
        <input
          id="cal-year"
          name="year"
          type="number"
          min={2000}
          max={2100}
          defaultValue={y.year}
          style={{ width: "7rem" }}
        />{" "}
        <button type="submit">{t("contract:calendar.show")}</button>
      </Form>
      {actionData && "saved" in actionData ? (
        <Notice>{t("contract:calendar.saved", { year: actionData.saved })}</Notice>
      ) : null}
      <p>
        {t("contract:calendar.source")}: <strong>{t(`contract:calendar.${y.source}`)}</strong>
        {y.updatedAt ? ` (${fmt.dateTime(y.updatedAt)})` : ""}
      </p>
      <section className="card">
        <h2 className="first">{t("contract:calendar.daysOffList")}</h2>
        <div className="table-wrap">
          <table>
            <tbody>
              {y.daysOffList.map((d) => (
                <tr key={d.date}>
                  <td className="nowrap">{fmt.date(d.date)}</td>
                  <td>{t(`contract:calendar.reason.${d.reason}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card">
        <Form method="post" noValidate key={`${y.year}-${String(y.updatedAt)}`}>
          <input type="hidden" name="year" value={y.year} />
          <FormAlert message={refused && !Object.keys(fe).length ? refused.error.message : null} />
          {area("holidays", 16)}
          {area("daysOff", 4)}
          {area("workingDays", 4)}
          {admin?.operatorRole === "super_admin" ? (
            <button type="submit" className="primary" disabled={busy}>
              {t("contract:calendar.save")}
            </button>
          ) : null}
        </Form>
      </section>
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
