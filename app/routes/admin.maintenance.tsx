// Maintenance windows (4.2.4): schedule one at least 3 full calendar days ahead (announced on the site
// and in every workspace, e-mailed now and the day before), see them, cancel one not yet started.
import { Table } from "~/components/Table.tsx";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { InputHTMLAttributes } from "react";
import { Field, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadWs(context, () => context.trpc.admin.notices.maintenance());
}

type Values = Record<string, string>;

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  if (text(form, "intent") === "cancel") {
    const r = await runWs(context, () => context.trpc.admin.notices.cancelMaintenance({ id: text(form, "id") }));
    return r.ok ? { done: "cancelled" } : refusedWith(r.response, {});
  }
  const values = {
    startDate: text(form, "startDate"),
    startTime: text(form, "startTime"),
    endDate: text(form, "endDate"),
    endTime: text(form, "endTime"),
    reasonKk: text(form, "reasonKk"),
    reasonRu: text(form, "reasonRu"),
  };
  const r = await runWs(context, () => context.trpc.admin.notices.scheduleMaintenance(values));
  return r.ok ? { done: "scheduled" } : refusedWith(r.response, values);
}

export default function AdminMaintenance() {
  const { windows, earliest } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Values> | { done: string } | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const locale = useLocale();
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData && navigation.state === "idle" ? actionData.done : null;
  const fe = refused?.error.fieldErrors ?? {};
  const v = refused?.values ?? {};
  /** A field of the schedule form, labelled and refilled by its name; `input` adds to or overrides that. */
  const field = (name: string, input: InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Field label={t(`notices:admin.${name}`)} name={name} defaultValue={v[name]} error={fe[name]} {...input} />
  );
  const now = Date.now();
  const status = (w: (typeof windows)[number]) =>
    w.cancelledAt
      ? "statusCancelled"
      : new Date(w.endsAt).getTime() <= now
        ? "statusDone"
        : new Date(w.startsAt).getTime() <= now
          ? "statusActive"
          : "statusPlanned";
  return (
    <main className="ws-main">
      <h1>{t("notices:admin.maintenanceTitle")}</h1>
      {done ? (
        <div className="banner-inline" role="status">
          {t(`notices:admin.${done}`)}
        </div>
      ) : null}
      <Table
        rows={windows}
        empty={t("notices:admin.none")}
        className="table"
        labels="notices:admin"
        columns={["window", "reason", "status", ""]}
        row={(w) => (
          <tr key={w.id}>
            <td>
              {fmt.dateTime(w.startsAt)} — {fmt.dateTime(w.endsAt)}
            </td>
            <td>{locale === "kk" ? w.reasonKk : w.reasonRu}</td>
            <td>{t(`notices:admin.${status(w)}`)}</td>
            <td>
              {status(w) === "statusPlanned" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="cancel" />
                  <input type="hidden" name="id" value={w.id} />
                  <button type="submit" className="link-button">
                    {t("notices:admin.cancel")}
                  </button>
                </Form>
              ) : null}
            </td>
          </tr>
        )}
      />
      <section className="card">
        <h2 className="first">{t("notices:admin.scheduleTitle")}</h2>
        <p className="muted">{t("notices:admin.scheduleIntro", { date: fmt.date(earliest) })}</p>
        {refused ? <FormAlert message={refused.error.message} /> : null}
        <Form method="post">
          <input type="hidden" name="intent" value="schedule" />
          {field("startDate", { type: "date", min: earliest, defaultValue: v.startDate ?? earliest })}
          {field("startTime", { type: "time", defaultValue: v.startTime ?? "01:00" })}
          {field("endDate", { type: "date", min: earliest, defaultValue: v.endDate ?? earliest })}
          {field("endTime", { type: "time", defaultValue: v.endTime ?? "03:00" })}
          {field("reasonKk")}
          {field("reasonRu")}
          <button type="submit" className="button">
            {t("notices:admin.schedule")}
          </button>
        </Form>
      </section>
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
