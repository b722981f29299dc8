// Force-majeure notices (offer 8.2): every notice of both sides, with whether it came within 4 working days
// of the event's start; the operator registers its own (for all schools) or a school's paper notice.
import { Notice } from "~/components/Notice.tsx";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FieldBox, FormAlert } from "~/components/Field.tsx";
import { FmCells, InTimeBadge } from "~/components/contract/ClaimsTable.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, texts } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { almatyDate } from "../../domain/kz/time.ts";
import { HeadCells } from "~/components/Table.tsx";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const [notices, schools] = await Promise.all([
    loadWs(context, () => context.trpc.admin.contract.forceMajeure()),
    loadWs(context, () => context.trpc.admin.contract.schools()),
  ]);
  return { notices, schools, today: almatyDate(new Date()) };
}

type Values = { schoolId: string; what: string; eventStartedOn: string; notifiedOn: string; documents: string };

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const v: Values = texts(form, ["schoolId", "what", "eventStartedOn", "notifiedOn", "documents"]);
  const r = await runWs(context, () => context.trpc.admin.contract.registerForceMajeure(v));
  return r.ok ? { saved: true } : refusedWith(r.response, v);
}

export default function AdminForceMajeure() {
  const { notices, schools, today } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Values> | { saved: true } | undefined;
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const fmt = useFormat();
  const refused = actionData && "error" in actionData ? actionData : null;
  const fe = refused?.error.fieldErrors ?? {};
  const v = refused?.values;
  const field = (k: keyof Values, label: string, input: React.ReactNode) => (
    <FieldBox htmlFor={`fm-${k}`} label={label} error={fe[k]}>
      {input}
    </FieldBox>
  );
  /** A required date, today or earlier (today to start with). */
  const pastDate = (k: "eventStartedOn" | "notifiedOn") => (
    <input id={`fm-${k}`} name={k} type="date" max={today} required defaultValue={v?.[k] ?? today} />
  );
  return (
    <main className="ws-main">
      <h1>{t("contract:fm.title")}</h1>
      <p className="muted">{t("contract:fm.intro")}</p>
      {actionData && "saved" in actionData ? <Notice>{t("contract:fm.saved")}</Notice> : null}
      <div className="table-wrap">
        {notices.length === 0 ? (
          <p className="muted">{t("contract:fm.none")}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <HeadCells
                  labels="contract:fm"
                  columns={["side", "inTime", "what", "since", "notifiedOn", "deadline"]}
                />
              </tr>
            </thead>
            <tbody>
              {notices.map((n) => (
                <tr key={n.id}>
                  <td>{n.schoolName ?? t("contract:fm.sideOperator")}</td>
                  <td>
                    <InTimeBadge within={n.withinDeadline} />
                  </td>
                  <FmCells notice={n} />
                  <td className="nowrap">{fmt.date(n.deadline)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <section className="card">
        <h2 className="first">{t("contract:fm.registerOperator")}</h2>
        <Form method="post" noValidate key={notices.length}>
          <FormAlert message={refused && !Object.keys(fe).length ? refused.error.message : null} />
          {field(
            "schoolId",
            t("contract:fm.schoolOptional"),
            <select id="fm-schoolId" name="schoolId" defaultValue={v?.schoolId ?? ""}>
              <option value="">{t("contract:fm.sideOperator")}</option>
              {schools.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.binIin})
                </option>
              ))}
            </select>,
          )}
          {field(
            "what",
            t("contract:fm.what"),
            <textarea id="fm-what" name="what" rows={3} required defaultValue={v?.what} />,
          )}
          {field("eventStartedOn", t("contract:fm.since"), pastDate("eventStartedOn"))}
          {field("notifiedOn", t("contract:fm.notifiedOn"), pastDate("notifiedOn"))}
          {field(
            "documents",
            t("contract:fm.documents"),
            <textarea id="fm-documents" name="documents" rows={2} defaultValue={v?.documents} />,
          )}
          <button type="submit" className="primary" disabled={busy}>
            {t("contract:fm.submit")}
          </button>
        </Form>
      </section>
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
