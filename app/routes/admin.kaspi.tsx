// The operator's Kaspi page: the endpoint to give Kaspi, the settings (on/off, the service name payers find,
// Kaspi's addresses, a new secret — super admin saves, audited without the secret) and the log of every request
// Kaspi made with the answer it got (admin.kaspi.*).
import { Notice } from "~/components/Notice.tsx";
import { Table } from "~/components/Table.tsx";
import { Form, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Field, FilterForm, FormAlert, TextAreaField } from "~/components/Field.tsx";
import { listLink, Pager } from "~/components/Pager.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { listParams } from "~/lib/list-params.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import type { loader as adminLoader } from "./admin.tsx";

const PAGE_SIZE = 50;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const { get, page } = listParams(request);
  const q = get("q").trim();
  const [settings, log] = await Promise.all([
    loadWs(context, () => context.trpc.admin.kaspi.settings()),
    loadWs(context, () => context.trpc.admin.kaspi.requests({ q: q || undefined, page })),
  ]);
  const endpoint = `${new URL(request.url).origin}/pay/kaspi/${settings.payee}`;
  return { settings, log, endpoint, filters: { q }, page };
}

type Values = Record<string, string>;

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const values: Values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === "string" ? v : ""]));
  const allowedIps = text(form, "allowedIps")
    .split(/[\s,;]+/)
    .filter(Boolean);
  const result = await runWs(context, () =>
    context.trpc.admin.kaspi.saveSettings({
      enabled: form.get("enabled") === "on",
      serviceName: text(form, "serviceName"),
      allowedIps,
      newSecret: text(form, "newSecret"),
    }),
  );
  if (!result.ok) {
    // allowedIps.N → allowedIps: one field on the page.
    const error = result.response.data.error;
    const mapped: Record<string, string> = {};
    for (const [k, msg] of Object.entries(error.fieldErrors ?? {})) mapped[k.split(".")[0]!] ??= msg;
    return refusedWith({ ...result.response, data: { error: { ...error, fieldErrors: mapped } } }, values);
  }
  return { saved: true as const };
}

export default function AdminKaspi() {
  const { settings, log, endpoint, filters, page } = useLoaderData<typeof loader>();
  const admin = useRouteLoaderData<typeof adminLoader>("routes/admin");
  const actionData = useActionData() as Refused<Values> | { saved: true } | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const canEdit = admin?.operatorRole === "super_admin";
  const refused = actionData && "error" in actionData ? actionData : null;
  const fe = refused?.error.fieldErrors ?? {};
  const v = refused?.values;
  const pages = Math.ceil(log.total / PAGE_SIZE);
  const link = (extra: Record<string, string>) => listLink("/admin/kaspi", filters, extra);
  return (
    <main className="ws-main">
      <h1>{t("kaspi:admin.title")}</h1>
      <p className="muted">{t("kaspi:admin.lead")}</p>
      {actionData && "saved" in actionData && navigation.state === "idle" ? (
        <Notice>{t("kaspi:admin.saved")}</Notice>
      ) : null}
      <FormAlert message={refused?.error.message} />

      <section className="card" data-testid="kaspi-endpoint">
        <dl className="facts">
          <dt>{t("kaspi:admin.endpoint")}</dt>
          <dd className="mono break">{endpoint}</dd>
        </dl>
        <p className="muted small">{t("kaspi:admin.endpointWithSecret", { url: endpoint })}</p>
      </section>

      <Form method="post" noValidate className="card">
        <label className="check">
          <input
            type="checkbox"
            name="enabled"
            defaultChecked={v ? v.enabled === "on" : settings.enabled}
            disabled={!canEdit}
          />
          <span>{t("kaspi:admin.enabled")}</span>
        </label>
        <Field
          label={t("kaspi:admin.serviceName")}
          name="serviceName"
          defaultValue={v ? v.serviceName : settings.serviceName}
          error={fe.serviceName}
          maxLength={100}
          required
          disabled={!canEdit}
        />
        <TextAreaField
          label={t("kaspi:admin.allowedIps")}
          name="allowedIps"
          defaultValue={v ? v.allowedIps : settings.allowedIps.join("\n")}
          error={fe.allowedIps}
          hint={t("kaspi:admin.allowedIpsHint")}
          rows={4}
          className="mono"
          disabled={!canEdit}
        />
        <h3>{t("kaspi:admin.secret")}</h3>
        {settings.fingerprint ? (
          <p className="muted small" data-testid="kaspi-secret">
            {settings.secretSetAt
              ? t("kaspi:admin.secretState", {
                  date: fmt.dateTime(settings.secretSetAt),
                  fingerprint: settings.fingerprint,
                })
              : t("kaspi:admin.secretStateSeed", { fingerprint: settings.fingerprint })}
          </p>
        ) : null}
        {settings.devSecret ? <p className="banner-inline">{t("kaspi:admin.devSecret")}</p> : null}
        {canEdit ? (
          <Field
            label={t("kaspi:admin.newSecret")}
            name="newSecret"
            defaultValue=""
            autoComplete="off"
            error={fe.newSecret}
            hint={t("kaspi:admin.newSecretHint", { suggestion: settings.suggestion })}
            className="mono"
          />
        ) : null}
        {canEdit ? (
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            {t("admin:settings.save")}
          </button>
        ) : (
          <p className="muted">{t("admin:settings.readOnly")}</p>
        )}
      </Form>

      <h2>{t("kaspi:admin.log")}</h2>
      <p className="muted">{t("kaspi:admin.logLead")}</p>
      <FilterForm
        className="toolbar ab-filters"
        submitLabel={t("billingAdmin:common.show")}
        filtered={!!filters.q}
        resetTo="/admin/kaspi"
        resetLabel={t("admin:schools.reset")}
      >
        <Field
          label={`${t("kaspi:admin.cols.txnId")} / ${t("kaspi:admin.cols.account")}`}
          name="q"
          defaultValue={filters.q}
        />
      </FilterForm>
      <p className="muted">{t("billingAdmin:common.found", { count: log.total })}</p>
      <Table
        rows={log.items}
        empty={t("kaspi:admin.logEmpty")}
        emptyClassName="card muted"
        testId="kaspi-log"
        labels="kaspi:admin.cols"
        columns={["at", "command", "txnId", "account", ["sum", "num"], "result", "http", "prvTxnId", "note", "address"]}
        row={(r) => (
          <tr key={r.id}>
            <td className="nowrap">{fmt.dateTime(r.at)}</td>
            <td>{r.command ?? "—"}</td>
            <td className="mono small break">{r.txnId ?? "—"}</td>
            <td className="mono small break">
              {r.account ?? "—"}
              <br />
              <span className="muted">{r.payee}</span>
            </td>
            <td className="num nowrap">{r.sum ?? "—"}</td>
            <td>
              <span className={`badge ${r.result === 0 ? "ok" : "bad"}`}>{r.result ?? "—"}</span>
            </td>
            <td>{r.httpStatus}</td>
            <td className="mono small">{r.prvTxnId ?? "—"}</td>
            <td className="small">{r.note ?? ""}</td>
            <td className="mono small">{r.remoteAddr ?? "—"}</td>
          </tr>
        )}
      />
      <Pager page={page} pages={pages} link={link} />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
