// Tariff plans and their version history; per plan, a new version (price, period, limits) published at
// least 7 days ahead (offer 10.2–10.4) through admin.billing.publishTariff.
import { Notice } from "~/components/Notice.tsx";
import { Table } from "~/components/Table.tsx";
import { Form, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { ReactNode } from "react";
import { FieldBox, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { tengeInput } from "../../domain/kz/money.ts";
import type { loader as adminLoader } from "./admin.tsx";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadWs(context, () => context.trpc.admin.billing.tariffs());
}

type Values = {
  planId: string;
  price: string;
  period: string;
  maxTrainees: string;
  maxStaff: string;
  effectiveFrom: string;
};

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const values: Values = {
    planId: text(form, "planId"),
    price: text(form, "price"),
    period: text(form, "period"),
    maxTrainees: text(form, "maxTrainees").trim(),
    maxStaff: text(form, "maxStaff").trim(),
    effectiveFrom: text(form, "effectiveFrom"),
  };
  const result = await runWs(context, () =>
    context.trpc.admin.billing.publishTariff({ ...values, period: values.period as "month" | "year" }),
  );
  if (!result.ok) return refusedWith(result.response, values);
  return { published: { planId: values.planId, version: result.value.version } };
}

type Published = { published: { planId: string; version: number } };
type Plan = ReturnType<typeof useLoaderData<typeof loader>>["plans"][number];

export default function AdminTariffs() {
  const { plans, today, earliestEffective } = useLoaderData<typeof loader>();
  const admin = useRouteLoaderData<typeof adminLoader>("routes/admin");
  const actionData = useActionData() as Refused<Values> | Published | undefined;
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const refused = actionData && "error" in actionData ? actionData : null;
  const published =
    actionData && "published" in actionData && navigation.state === "idle" ? actionData.published : null;
  return (
    <main className="ws-main">
      <h1>{t("billingAdmin:tariffs.title")}</h1>
      <p className="muted">{t("billingAdmin:tariffs.lead")}</p>
      {refused && !plans.some((p) => p.id === refused.values.planId) ? (
        <FormAlert message={refused.error.message} />
      ) : null}
      {plans.map((plan) => (
        <section key={plan.id} className="card ab-plan">
          <div className="ws-head">
            <h2 className="first">
              {locale === "kk" ? plan.nameKk : plan.nameRu} <span className="muted small mono">{plan.code}</span>
            </h2>
            <span className="row-actions">
              {plan.archivedAt ? <span className="badge">{t("billingAdmin:tariffs.archived")}</span> : null}
              <span className="muted">{t("billingAdmin:tariffs.schools", { count: plan.schools })}</span>
            </span>
          </div>
          {published?.planId === plan.id ? (
            <Notice>{t("billingAdmin:tariffs.published", { version: published.version })}</Notice>
          ) : null}
          <Versions plan={plan} today={today} />
          {admin?.operatorRole === "super_admin" && !plan.archivedAt ? (
            <PublishForm
              key={plan.versions.length}
              plan={plan}
              earliest={earliestEffective}
              refused={refused?.values.planId === plan.id ? refused : null}
              busy={navigation.state === "submitting"}
            />
          ) : null}
        </section>
      ))}
    </main>
  );
}

function Versions({ plan, today }: { plan: Plan; today: string }) {
  const t = useT();
  const fmt = useFormat();
  // Versions come newest first; the current one is the newest already in force.
  const current = plan.versions.find((v) => v.effectiveFrom <= today);
  return (
    <Table
      rows={plan.versions}
      labels="billingAdmin:tariffs.cols"
      columns={[
        "version",
        ["price", "num"],
        "period",
        ["maxTrainees", "num"],
        ["maxStaff", "num"],
        "effectiveFrom",
        ["publishedAt", "hide-phone"],
      ]}
      row={(v) => (
        <tr key={v.id} className={v === current ? "selected" : v.effectiveFrom > today ? "" : "inactive"}>
          <td className="nowrap">
            {v.version}{" "}
            {v === current ? (
              <span className="badge active">{t("billingAdmin:tariffs.current")}</span>
            ) : v.effectiveFrom > today ? (
              <span className="badge trial">{t("billingAdmin:tariffs.scheduled")}</span>
            ) : null}
          </td>
          <td className="num nowrap">{formatTiyn(v.priceTiyn)}</td>
          <td>{t(`billingAdmin:tariffs.periods.${v.period}`)}</td>
          <td className="num">{v.maxTrainees ?? t("billingAdmin:tariffs.unlimited")}</td>
          <td className="num">{v.maxStaff ?? t("billingAdmin:tariffs.unlimited")}</td>
          <td className="nowrap">{fmt.date(v.effectiveFrom)}</td>
          <td className="hide-phone nowrap">{fmt.dateTime(v.publishedAt)}</td>
        </tr>
      )}
    />
  );
}

function PublishForm({
  plan,
  earliest,
  refused,
  busy,
}: {
  plan: Plan;
  earliest: string;
  refused: Refused<Values> | null;
  busy: boolean;
}) {
  const t = useT();
  const fmt = useFormat();
  const fe = refused?.error.fieldErrors ?? {};
  const v = refused?.values;
  const last = plan.versions[0];
  const id = (name: string) => `p-${plan.id}-${name}`;
  const a11y = (name: keyof Values) => ({
    id: id(name),
    name,
    "aria-invalid": !!fe[name],
    "aria-describedby": fe[name] ? `${id(name)}-err` : undefined,
  });
  /** A field's box: its label, the control, and its error (linked to the control by id). */
  const box = (name: keyof Values, label: string, control: ReactNode, hint?: string) => (
    <FieldBox htmlFor={id(name)} label={label} error={fe[name]} errorId={`${id(name)}-err`} hint={hint}>
      {control}
    </FieldBox>
  );
  /** A limit of the plan: a whole number, or empty for none. */
  const limit = (name: "maxTrainees" | "maxStaff") => (
    <input
      {...a11y(name)}
      type="number"
      min={1}
      placeholder={t("billingAdmin:tariffs.unlimited")}
      defaultValue={v?.[name] ?? last?.[name] ?? ""}
    />
  );
  const shown = ["price", "period", "maxTrainees", "maxStaff", "effectiveFrom"];
  return (
    <details className="ab-publish" open={!!refused}>
      <summary>{t("billingAdmin:tariffs.publish")}</summary>
      <Form method="post" noValidate>
        <input type="hidden" name="planId" value={plan.id} />
        <FormAlert message={refused && !shown.some((k) => fe[k]) ? refused.error.message : null} />
        <div className="ab-grid">
          {box(
            "price",
            t("billingAdmin:tariffs.price"),
            <input
              {...a11y("price")}
              inputMode="decimal"
              required
              defaultValue={v?.price ?? (last ? tengeInput(last.priceTiyn) : "")}
            />,
          )}
          {box(
            "period",
            t("billingAdmin:tariffs.cols.period"),
            <select {...a11y("period")} defaultValue={v?.period ?? last?.period ?? "month"}>
              <option value="month">{t("billingAdmin:tariffs.periods.month")}</option>
              <option value="year">{t("billingAdmin:tariffs.periods.year")}</option>
            </select>,
          )}
          {box("maxTrainees", t("billingAdmin:tariffs.cols.maxTrainees"), limit("maxTrainees"))}
          {box("maxStaff", t("billingAdmin:tariffs.cols.maxStaff"), limit("maxStaff"))}
          {box(
            "effectiveFrom",
            t("billingAdmin:tariffs.cols.effectiveFrom"),
            <input
              {...a11y("effectiveFrom")}
              type="date"
              min={earliest}
              required
              defaultValue={v?.effectiveFrom ?? earliest}
            />,
            t("billingAdmin:tariffs.noticeHint", { date: fmt.date(earliest) }),
          )}
        </div>
        <p className="muted small">{t("billingAdmin:tariffs.limitsHint")}</p>
        <button type="submit" className="primary" disabled={busy}>
          {t("billingAdmin:tariffs.submit")}
        </button>
      </Form>
    </details>
  );
}

export const ErrorBoundary = ErrorPanel;
