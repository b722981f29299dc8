// One school in the operator console: organisation data, billing (plan, access state, recent invoices and
// payments, manual suspend/restore with a reason), the contract-5.2 status change, staff, consents, audit.
import { Notice } from "~/components/Notice.tsx";
import { BillingStatusBadge } from "~/components/StatusBadge.tsx";
import { InvoiceBadge, InvoicePdfCell } from "~/components/admin/InvoiceBadge.tsx";
import { SchoolFacts } from "~/components/SchoolFacts.tsx";
import { HeadCells, Table } from "~/components/Table.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FieldBox, FormAlert, TextAreaField } from "~/components/Field.tsx";
import { Consents, OfferAcceptances } from "~/components/ContractRecords.tsx";
import { AuditTable } from "~/components/admin/AuditTable.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { refusedWith, text, runWs, loadWs } from "~/components/workspace/forms.server.ts";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { ReconciliationForm } from "~/components/billing/ReconciliationForm.tsx";
import { SchoolPlanForm } from "~/components/admin/SchoolPlanForm.tsx";
import type { loader as adminLoader } from "./admin.tsx";

const NEW_STATUSES = ["active", "deactivated"] as const;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const base = await loadWs(context, () => context.trpc.admin.school({ id }));
  const [billing, invoices, payments, planChoices] = await Promise.all([
    // admin.billing.schools has no by-id lookup: search by the BIN and pick this school.
    loadWs(context, () => context.trpc.admin.billing.schools({ q: base.school.binIin })).then(
      (rows) => rows.find((r) => r.id === id) ?? null,
    ),
    loadWs(context, () => context.trpc.admin.billing.invoices({ schoolId: id, page: 0 })),
    loadWs(context, () => context.trpc.admin.billing.payments({ schoolId: id, page: 0 })),
    loadWs(context, () => context.trpc.admin.billing.planChoices({ schoolId: id })).catch(() => null),
  ]);
  return {
    ...base,
    billing,
    invoices: { total: invoices.total, items: invoices.items.slice(0, 10) },
    payments: { total: payments.total, items: payments.items.slice(0, 10) },
    planChoices,
    today: almatyDate(new Date()),
  };
}

type Values = { intent: string; status: string; reason: string; planId?: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const form = await request.formData();
  const values: Values = { intent: text(form, "intent"), status: text(form, "status"), reason: text(form, "reason") };
  if (values.intent === "plan") {
    const planId = text(form, "planId");
    const result = await runWs(context, () =>
      context.trpc.admin.billing.changePlan({ schoolId: id, planId, reason: values.reason }),
    );
    if (!result.ok) return refusedWith(result.response, { ...values, planId });
    return { plan: true as const };
  }
  if (values.intent === "access") {
    const access = text(form, "access") === "restore" ? "restore" : "suspend";
    const result = await runWs(context, () =>
      context.trpc.admin.billing.setAccess({ schoolId: id, action: access, reason: values.reason }),
    );
    if (!result.ok) return refusedWith(result.response, values);
    return { access: result.value.to };
  }
  const result = await runWs(context, () =>
    context.trpc.admin.setSchoolStatus({
      id,
      status: values.status as (typeof NEW_STATUSES)[number],
      reason: values.reason,
    }),
  );
  if (!result.ok) return refusedWith(result.response, values);
  return { changed: true as const };
}

export default function AdminSchool() {
  const { school, recentAudit, auditNames, billing, invoices, payments, planChoices, today } =
    useLoaderData<typeof loader>();
  const admin = useRouteLoaderData<typeof adminLoader>("routes/admin");
  const actionData = useActionData() as
    | Refused<Values>
    | { changed: true }
    | { access: string }
    | { plan: true }
    | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const failed = actionData && "error" in actionData ? actionData : null;
  const refused = failed && failed.values.intent !== "access" && failed.values.intent !== "plan" ? failed : null;
  const canManage = admin?.operatorRole === "super_admin" || admin?.operatorRole === "billing";
  // One row per person, with all their roles.
  const members = new Map<string, { id: string; fullName: string; email: string; roles: string[] }>();
  for (const m of school.memberships) {
    const e = members.get(m.user.id) ?? { ...m.user, roles: [] };
    e.roles.push(m.role);
    members.set(m.user.id, e);
  }
  return (
    <main className="ws-main">
      <p className="row-actions">
        <Link to="/admin">{t("admin:school.back")}</Link>
        <Link to={`/admin/schools/${school.id}/archive`}>{t("archive:admin.open")}</Link>
      </p>
      <div className="ws-head">
        <h1>{school.name}</h1>
        <BillingStatusBadge status={school.status} />
      </div>
      {actionData && "changed" in actionData && navigation.state === "idle" ? (
        <Notice>{t("admin:school.status.changed")}</Notice>
      ) : null}
      {actionData && "access" in actionData && navigation.state === "idle" ? (
        <Notice>{t("billingAdmin:school.accessChanged", { status: t(`billing:status.${actionData.access}`) })}</Notice>
      ) : null}

      <BillingSection
        schoolId={school.id}
        status={school.status}
        billing={billing}
        invoices={invoices}
        payments={payments}
        canManage={canManage}
        refused={failed && failed.values.intent === "access" ? failed : null}
        busy={navigation.state === "submitting"}
      />
      {actionData && "plan" in actionData && navigation.state === "idle" ? (
        <Notice>{t("billingAdmin:school.planChanged")}</Notice>
      ) : null}
      {canManage && planChoices && school.status !== "deactivated" ? (
        <section className="card">
          <SchoolPlanForm
            key={`${planChoices.planId}-${planChoices.waiting?.toPlanId ?? ""}`}
            choices={planChoices}
            refused={failed && failed.values.intent === "plan" ? failed : null}
            busy={navigation.state === "submitting"}
          />
        </section>
      ) : null}
      <ReconciliationForm id="recon" action={`/admin/schools/${school.id}/reconciliation.pdf`} today={today} />

      <section className="card">
        <h2 className="first">{t("admin:school.org")}</h2>
        <dl className="facts">
          <SchoolFacts school={school} />
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
          <input type="hidden" name="intent" value="status" />
          <h2 className="first">{t("admin:school.status.title")}</h2>
          <p className="muted">{t("admin:school.status.lead")}</p>
          <FormAlert message={refused?.error.message} />
          <FieldBox
            htmlFor="f-status"
            label={t("admin:school.status.newStatus")}
            error={refused?.error.fieldErrors?.status}
          >
            <select
              id="f-status"
              name="status"
              defaultValue={refused?.values.status || (school.status === "deactivated" ? "active" : "deactivated")}
            >
              {NEW_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`common:schoolStatus.${s}`)}
                </option>
              ))}
            </select>
          </FieldBox>
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
              <small className="error" id="f-reason-err" role="alert">
                {refused.error.fieldErrors.reason}
              </small>
            ) : (
              <small className="hint" id="f-reason-hint">
                {t("admin:school.status.reasonHint")}
              </small>
            )}
          </div>
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            {t("admin:school.status.submit")}
          </button>
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
                <HeadCells labels="workspace:staff.cols" columns={["name", "email", "roles"]} />
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
      {recentAudit.length === 0 ? (
        <p className="muted">{t("admin:audit.empty")}</p>
      ) : (
        <AuditTable rows={recentAudit} names={auditNames} showSchool={false} />
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

/** Plan, access state and money, with the manual suspend / restore form (offer 4.2.6). */
function BillingSection(props: {
  schoolId: string;
  status: string;
  billing: Data["billing"];
  invoices: Data["invoices"];
  payments: Data["payments"];
  canManage: boolean;
  refused: Refused<Values> | null;
  busy: boolean;
}) {
  const { schoolId, status, billing, invoices, payments, refused } = props;
  const t = useT();
  const fmt = useFormat();
  const locale = useLocale();
  const reasonError = refused?.error.fieldErrors?.reason;
  const canSuspend = status !== "suspended" && status !== "deactivated";
  const canRestore = status === "suspended" || status === "restricted" || status === "past_due";
  return (
    <section className="card ab-school-billing">
      <div className="ws-head">
        <h2 className="first">{t("billingAdmin:school.title")}</h2>
        <span className="row-actions">
          <Link to={`/admin/invoices?schoolId=${schoolId}`}>{t("billingAdmin:school.allInvoices")}</Link>
          <Link to={`/admin/payments?schoolId=${schoolId}`}>{t("billingAdmin:school.allPayments")}</Link>
        </span>
      </div>
      <dl className="facts">
        <dt>{t("billingAdmin:schools.cols.plan")}</dt>
        <dd>{billing ? ((locale === "kk" ? billing.planKk : billing.planRu) ?? "—") : "—"}</dd>
        <dt>{t("billingAdmin:schools.cols.access")}</dt>
        <dd>
          <BillingStatusBadge status={status} />
        </dd>
        <dt>{t("billingAdmin:schools.cols.paidThrough")}</dt>
        <dd>{billing?.paidThrough ? fmt.date(billing.paidThrough) : "—"}</dd>
        <dt>{t("billingAdmin:schools.cols.debt")}</dt>
        <dd className={billing && billing.debtTiyn > 0 ? "ab-debt" : undefined}>
          {billing && billing.debtTiyn > 0 ? formatTiyn(billing.debtTiyn) : "—"}
        </dd>
      </dl>

      <h3>{t("billingAdmin:school.invoices", { count: invoices.total })}</h3>
      <Table
        rows={invoices.items}
        empty={t("billingAdmin:invoices.empty")}
        labels="billingAdmin:invoices.cols"
        columns={["number", "period", ["amount", "num"], "due", "status", ""]}
        row={(i) => (
          <tr key={i.id}>
            <td className="mono nowrap">
              <Link to={`/admin/invoices/${i.id}`}>{i.number}</Link>
            </td>
            <td className="nowrap">
              {fmt.date(i.periodStart)} – {fmt.date(i.periodEnd)}
            </td>
            <td className="num nowrap">{formatTiyn(i.amountTiyn)}</td>
            <td className="nowrap">{fmt.date(i.dueOn)}</td>
            <td>
              <InvoiceBadge status={i.status} overdue={i.overdue} />
            </td>
            <InvoicePdfCell id={i.id} />
          </tr>
        )}
      />

      <h3>{t("billingAdmin:school.payments", { count: payments.total })}</h3>
      <Table
        rows={payments.items}
        empty={t("billingAdmin:payments.empty")}
        labels="billingAdmin:payments.cols"
        columns={["date", "invoice", "method", ["amount", "num"], ["refunded", "num"]]}
        row={(p) => (
          <tr key={p.id}>
            <td className="nowrap">{fmt.date(p.receivedOn)}</td>
            <td className="mono nowrap">
              <Link to={`/admin/invoices/${p.invoiceId}`}>{p.invoiceNumber}</Link>
            </td>
            <td>
              {t(`billingAdmin:payments.methods.${p.method}`)}
              {p.disputedAt ? (
                <>
                  {" "}
                  <span className="badge suspended">{t("billingAdmin:payments.disputed")}</span>
                </>
              ) : null}
            </td>
            <td className="num nowrap">{formatTiyn(p.amountTiyn)}</td>
            <td className="num nowrap">{p.refundedTiyn > 0 ? formatTiyn(p.refundedTiyn) : "—"}</td>
          </tr>
        )}
      />

      {props.canManage && (canSuspend || canRestore) ? (
        <Form key={status} method="post" noValidate className="ab-access">
          <input type="hidden" name="intent" value="access" />
          <h3>{t("billingAdmin:school.access.title")}</h3>
          <p className="muted">{t("billingAdmin:school.access.lead")}</p>
          <FormAlert message={refused && !reasonError ? refused.error.message : null} />
          <TextAreaField
            id="f-access-reason"
            name="reason"
            label={t("billingAdmin:school.access.reason")}
            error={reasonError}
            rows={2}
            required
            minLength={3}
            maxLength={500}
            defaultValue={refused?.values.reason ?? ""}
          />
          <div className="row-actions">
            {canSuspend ? (
              <button type="submit" name="access" value="suspend" className="danger" disabled={props.busy}>
                {t("billingAdmin:school.access.suspend")}
              </button>
            ) : null}
            {canRestore ? (
              <button type="submit" name="access" value="restore" className="primary" disabled={props.busy}>
                {t("billingAdmin:school.access.restore")}
              </button>
            ) : null}
          </div>
          {canRestore && status !== "suspended" ? (
            <p className="muted small">{t("billingAdmin:school.access.restoreNote")}</p>
          ) : null}
        </Form>
      ) : status === "deactivated" ? (
        <p className="muted">{t("billingAdmin:school.access.deactivated")}</p>
      ) : null}
    </section>
  );
}
