// The operator's list of schools: access state, plan, paid-through date and debt (admin.billing.schools),
// with the trainee counts and registration dates of the older admin.schools query beside them.
import { BillingStatusBadge } from "~/components/StatusBadge.tsx";
import { Table } from "~/components/Table.tsx";
import { FilterForm, FilterSelect, SearchBox } from "~/components/Field.tsx";
import { Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { isOneOf } from "../../domain/trainees.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { loadWs } from "~/components/workspace/forms.server.ts";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../domain/i18n/index.ts";

const STATUSES = ["trial", "active", "past_due", "restricted", "suspended", "deactivated"] as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const statusParam = url.searchParams.get("status");
  const status = isOneOf(STATUSES, statusParam) ? statusParam : undefined;
  const input = { q: q || undefined, status };
  const [rows, counts] = await Promise.all([
    loadWs(context, () => context.trpc.admin.billing.schools(input)),
    loadWs(context, () => context.trpc.admin.schools(input)),
  ]);
  const extra = new Map(counts.map((s) => [s.id, s]));
  const schools = rows.map((s) => {
    const e = extra.get(s.id);
    return {
      ...s,
      trainees: e?._count.trainees ?? null,
      createdAt: e?.createdAt ?? null,
      trialEndsAt: e?.trialEndsAt ?? null,
    };
  });
  return { schools, q, status: status ?? "" };
}

export default function AdminSchools() {
  const { schools, q, status } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  const locale = useLocale();
  const debt = schools.reduce((sum, s) => sum + s.debtTiyn, 0);
  return (
    <main className="ws-main">
      <h1>{t("admin:schools.title")}</h1>
      <FilterForm
        search
        submitLabel={t("common:search")}
        filtered={q || status}
        resetTo="/admin"
        resetLabel={t("admin:schools.reset")}
      >
        <SearchBox
          label={t("admin:schools.searchLabel")}
          defaultValue={q}
          placeholder={t("billingAdmin:schools.searchPlaceholder")}
          maxLength={100}
        />
        <FilterSelect
          name="status"
          label={t("admin:schools.statusLabel")}
          value={status}
          allLabel={t("admin:schools.statusAll")}
          options={STATUSES}
          optionLabel={(s) => t(`billing:status.${s}`)}
        />
      </FilterForm>
      <p className="muted">
        {t("admin:schools.count", { count: schools.length })}
        {debt > 0 ? <> · {t("billingAdmin:schools.debtTotal", { amount: formatTiyn(debt) })}</> : null}
      </p>
      <Table
        rows={schools}
        empty={t("admin:schools.empty")}
        emptyClassName="card muted"
        className="ab-schools"
        labels="admin:schools.cols"
        columns={[
          "name",
          ["binIin", "hide-phone"],
          "billingAdmin:schools.cols.access",
          ["billingAdmin:schools.cols.plan", "hide-phone"],
          "billingAdmin:schools.cols.paidThrough",
          ["billingAdmin:schools.cols.debt", "num"],
          ["trainees", "num hide-phone"],
          ["created", "hide-phone"],
        ]}
        row={(s) => (
          <tr key={s.id}>
            <td>
              <Link to={`/admin/schools/${s.id}`}>{s.name}</Link>
              <div className="muted small mono nowrap hide-phone">/s/{s.slug}</div>
            </td>
            <td className="hide-phone mono">{s.binIin}</td>
            <td>
              <BillingStatusBadge status={s.status} />
            </td>
            <td className="hide-phone">{(locale === "kk" ? s.planKk : s.planRu) ?? "—"}</td>
            <td className="nowrap">{s.paidThrough ? fmt.date(s.paidThrough) : "—"}</td>
            <td className={`num nowrap${s.debtTiyn > 0 ? " ab-debt" : " muted"}`}>
              {s.debtTiyn > 0 ? (
                <Link to={`/admin/invoices?status=overdue&schoolId=${s.id}`}>{formatTiyn(s.debtTiyn)}</Link>
              ) : (
                "—"
              )}
            </td>
            <td className="num hide-phone">{s.trainees ?? "—"}</td>
            <td className="hide-phone nowrap">
              {s.createdAt ? fmt.date(s.createdAt) : "—"}
              {s.status === "trial" && s.trialEndsAt ? (
                <div className="muted small">{t("admin:schools.trialUntil", { date: fmt.date(s.trialEndsAt) })}</div>
              ) : null}
            </td>
          </tr>
        )}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
