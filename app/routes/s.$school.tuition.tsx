// Who owes what for tuition (ADR 042): the office's list of trainees whose payments fall short of the price, with
// what is overdue, what is due now and the next date, most overdue first (the money first, for a phone's width);
// the same as XLSX.
import { Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Table } from "~/components/Table.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { load, requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { formatKzPhone } from "../../domain/kz/phone.ts";
import { formatTiyn } from "../../domain/i18n/index.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  return { school, ...(await load(context, () => context.trpc.tuition.debtors({ school }))) };
}

export default function TuitionDebtors() {
  const { school, debtors, totals } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  return (
    <main className="ws-main">
      <h1>{t("training:debtors.title")}</h1>
      <p className="muted">{t("training:debtors.lead")}</p>
      <p className="row-actions">
        <strong>
          {t("training:debtors.totals", {
            count: totals.count,
            overdue: formatTiyn(totals.overdueTiyn),
            balance: formatTiyn(totals.balanceTiyn),
          })}
        </strong>
        <a href={`/s/${school}/tuition.xlsx`} download>
          {t("training:debtors.xlsx")}
        </a>
      </p>
      <Table
        rows={debtors}
        empty={t("training:debtors.none")}
        emptyClassName="card muted"
        labels="training:debtors.cols"
        className="debtors"
        columns={["fullName", ["overdue", "num"], ["dueNow", "num"], ["balance", "num"], "next", "contract", "phone"]}
        row={(d) => (
          <tr key={d.id}>
            <td className="break">
              <Link to={`/s/${school}/trainees/${d.id}`}>{d.fullName}</Link>
            </td>
            <td className="num nowrap">{d.overdueTiyn ? <strong>{formatTiyn(d.overdueTiyn)}</strong> : "—"}</td>
            <td className="num nowrap">{formatTiyn(d.dueNowTiyn)}</td>
            <td className="num nowrap">{formatTiyn(d.balanceTiyn)}</td>
            <td className="nowrap">{d.nextDueOn ? fmt.date(d.nextDueOn) : "—"}</td>
            <td className="nowrap">{d.contractNumber ?? "—"}</td>
            <td className="nowrap">{d.phone ? formatKzPhone(d.phone) : "—"}</td>
          </tr>
        )}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
