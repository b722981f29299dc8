import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Field, FormAlert } from "~/components/Field.tsx";
import { Consents, OfferAcceptances } from "~/components/ContractRecords.tsx";
import { AuditTable } from "~/components/admin/AuditTable.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { refusedWith, text, runWs, loadWs } from "~/components/workspace/forms.server.ts";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import type { loader as adminLoader } from "./admin.tsx";

const NEW_STATUSES = ["active", "deactivated"] as const;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  return loadWs(context, () => context.trpc.admin.school({ id }));
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const form = await request.formData();
  const values = { status: text(form, "status"), reason: text(form, "reason") };
  const result = await runWs(context, () =>
    context.trpc.admin.setSchoolStatus({ id, status: values.status as (typeof NEW_STATUSES)[number], reason: values.reason }),
  );
  if (!result.ok) return refusedWith(result.response, values);
  return { changed: true as const };
}

export default function AdminSchool() {
  const { school, recentAudit } = useLoaderData<typeof loader>();
  const admin = useRouteLoaderData<typeof adminLoader>("routes/admin");
  const actionData = useActionData() as Refused<{ status: string; reason: string }> | { changed: true } | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const refused = actionData && "error" in actionData ? actionData : null;
  // One row per person, with all their roles.
  const members = new Map<string, { id: string; fullName: string; email: string; roles: string[] }>();
  for (const m of school.memberships) {
    const e = members.get(m.user.id) ?? { ...m.user, roles: [] };
    e.roles.push(m.role);
    members.set(m.user.id, e);
  }
  return (
    <main className="ws-main">
      <p><Link to="/admin">{t("admin:school.back")}</Link></p>
      <div className="ws-head">
        <h1>{school.name}</h1>
        <span className={`badge ${school.status}`}>{t(`common:schoolStatus.${school.status}`)}</span>
      </div>
      {actionData && "changed" in actionData && navigation.state === "idle" ? <p className="notice" role="status">{t("admin:school.status.changed")}</p> : null}

      <section className="card">
        <h2 className="first">{t("admin:school.org")}</h2>
        <dl className="facts">
          <dt>{t("workspace:settings.fields.binIin")}</dt>
          <dd className="mono">{school.binIin}</dd>
          <dt>{t("workspace:settings.fields.kind")}</dt>
          <dd>{t(`workspace:settings.kinds.${school.kind}`)}</dd>
          <dt>{t("workspace:settings.fields.slug")}</dt>
          <dd className="mono break">/s/{school.slug}</dd>
          <dt>{t("workspace:settings.fields.directorName")}</dt>
          <dd>{school.directorName}</dd>
          <dt>{t("workspace:settings.fields.phone")}</dt>
          <dd>{school.phone}</dd>
          <dt>{t("workspace:settings.fields.email")}</dt>
          <dd className="break">{school.email}</dd>
          <dt>{t("workspace:settings.fields.address")}</dt>
          <dd>{school.address ?? "—"}</dd>
          <dt>{t("workspace:settings.fields.createdAt")}</dt>
          <dd>{fmt.dateTime(school.createdAt)}</dd>
          {school.trialEndsAt ? (
            <>
              <dt>{t("workspace:settings.fields.trialEndsAt")}</dt>
              <dd>{fmt.date(school.trialEndsAt)}</dd>
            </>
          ) : null}
          {school.deactivatedReason ? (
            <>
              <dt>{t("admin:school.deactivatedReason")}</dt>
              <dd>{school.deactivatedReason}</dd>
            </>
          ) : null}
          <dt>{t("admin:school.trainees")}</dt>
          <dd>{school._count.trainees}</dd>
        </dl>
      </section>

      {admin?.operatorRole === "super_admin" ? (
        <Form method="post" className="card" noValidate>
          <h2 className="first">{t("admin:school.status.title")}</h2>
          <p className="muted">{t("admin:school.status.lead")}</p>
          <FormAlert message={refused?.error.message} />
          <div className={`field${refused?.error.fieldErrors?.status ? " has-error" : ""}`}>
            <label htmlFor="f-status">{t("admin:school.status.newStatus")}</label>
            <select id="f-status" name="status" defaultValue={refused?.values.status || (school.status === "deactivated" ? "active" : "deactivated")}>
              {NEW_STATUSES.map((s) => (
                <option key={s} value={s}>{t(`common:schoolStatus.${s}`)}</option>
              ))}
            </select>
            {refused?.error.fieldErrors?.status ? <small className="error" role="alert">{refused.error.fieldErrors.status}</small> : null}
          </div>
          <div className={`field${refused?.error.fieldErrors?.reason ? " has-error" : ""}`}>
            <label htmlFor="f-reason">{t("admin:school.status.reason")}</label>
            <textarea
              id="f-reason"
              name="reason"
              rows={3}
              required
              minLength={3}
              maxLength={500}
              defaultValue={refused?.values.reason ?? ""}
              aria-invalid={!!refused?.error.fieldErrors?.reason}
              aria-describedby={refused?.error.fieldErrors?.reason ? "f-reason-err" : "f-reason-hint"}
            />
            {refused?.error.fieldErrors?.reason ? (
              <small className="error" id="f-reason-err" role="alert">{refused.error.fieldErrors.reason}</small>
            ) : (
              <small className="hint" id="f-reason-hint">{t("admin:school.status.reasonHint")}</small>
            )}
          </div>
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>{t("admin:school.status.submit")}</button>
        </Form>
      ) : null}

      <h2>{t("admin:school.members")}</h2>
      {members.size === 0 ? (
        <p className="muted">{t("admin:school.noMembers")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("workspace:staff.cols.name")}</th>
                <th>{t("workspace:staff.cols.email")}</th>
                <th>{t("workspace:staff.cols.roles")}</th>
              </tr>
            </thead>
            <tbody>
              {[...members.values()].map((m) => (
                <tr key={m.id}>
                  <td>{m.fullName}</td>
                  <td className="break">{m.email}</td>
                  <td>{m.roles.map((r) => t(`common:roles.${r}`)).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t("admin:school.acceptances")}</h2>
      <OfferAcceptances rows={school.acceptances} showUserAgent />

      <h2>{t("workspace:settings.consents.title")}</h2>
      <Consents rows={school.consents} />

      <div className="ws-head">
        <h2>{t("admin:school.recentAudit")}</h2>
        <Link to={`/admin/audit?schoolId=${school.id}`}>{t("admin:school.allAudit")}</Link>
      </div>
      {recentAudit.length === 0 ? <p className="muted">{t("admin:audit.empty")}</p> : <AuditTable rows={recentAudit} showSchool={false} />}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
