// The acts of a month (ADR 041): every act dated in it, with totals, and the month's ЭСФ register as XLSX.
import { Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Table } from "~/components/Table.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { almatyDate } from "../../domain/kz/time.ts";

/** The months to choose from, newest first: this one and the 24 before it, as `YYYY-MM`. */
function recentMonths(today: string): string[] {
  const [y, m] = today.split("-").map(Number) as [number, number];
  return Array.from({ length: 25 }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const months = recentMonths(almatyDate(new Date()));
  const asked = new URL(request.url).searchParams.get("month");
  // the month that ended is the one whose acts were just drawn up
  const month = asked && /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) ? asked : months[1]!;
  return { months, ...(await loadWs(context, () => context.trpc.admin.accounting.acts({ month }))) };
}

const monthLabel = (m: string) => `${m.slice(5, 7)}.${m.slice(0, 4)}`;

export default function AdminActs() {
  const { months, month, acts, totals } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  return (
    <main className="ws-main">
      <h1>{t("billingAdmin:acts.title")}</h1>
      <p className="muted">{t("billingAdmin:acts.lead")}</p>
      <form method="get" className="toolbar ab-filters">
        <label htmlFor="month">{t("billingAdmin:acts.month")}</label>
        <select id="month" name="month" defaultValue={month}>
          {(months.includes(month) ? months : [month, ...months]).map((m) => (
            <option key={m} value={m}>
              {monthLabel(m)}
            </option>
          ))}
        </select>
        <button type="submit" className="primary">
          {t("billingAdmin:common.show")}
        </button>
        <a href={`/admin/acts/register.xlsx?month=${month}`} download>
          {t("billingAdmin:acts.register")}
        </a>
      </form>
      <p>
        <strong>
          {t("billingAdmin:acts.totals", {
            count: totals.count,
            amount: formatTiyn(totals.totalTiyn),
            vat: formatTiyn(totals.vatTiyn),
          })}
        </strong>
      </p>
      <Table
        rows={acts}
        empty={t("billingAdmin:acts.none")}
        emptyClassName="card muted"
        labels="billingAdmin:acts.cols"
        columns={["number", "date", "school", "bin", ["total", "num"], ["vat", "num"]]}
        row={(a) => (
          <tr key={a.id}>
            <td className="nowrap">{a.number}</td>
            <td className="nowrap">{fmt.date(a.date)}</td>
            <td className="break">
              <Link to={`/admin/schools/${a.school.id}`}>{a.school.name}</Link>
            </td>
            <td className="nowrap">{a.school.binIin}</td>
            <td className="num nowrap">{formatTiyn(a.totalTiyn)}</td>
            <td className="num nowrap">{formatTiyn(a.vatTiyn)}</td>
          </tr>
        )}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
