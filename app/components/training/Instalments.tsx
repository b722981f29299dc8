// The tuition schedule as a table (the trainee card and the trainee's cabinet): each instalment's date and amount,
// what the payments cover of it, and its state; then what is overdue and what is due now (ADR 042). On a phone each
// instalment folds into two lines (date and amount; state and paid) so the state is never scrolled out of sight.
import { useFormat, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../../domain/i18n/index.ts";

export type TuitionView = {
  instalments: {
    seq: number;
    dueOn: string;
    amountTiyn: number;
    paidTiyn: number;
    owedTiyn: number;
    state: "paid" | "partial" | "overdue" | "due" | "upcoming";
  }[];
  overdueTiyn: number;
  dueNowTiyn: number;
  next: { dueOn: string; owedTiyn: number } | null;
  mismatch: boolean;
};

export function Instalments({ tuition }: { tuition: TuitionView }) {
  const t = useT();
  const fmt = useFormat();
  if (tuition.instalments.length === 0) return <p className="muted">{t("training:tuition.none")}</p>;
  return (
    <>
      <div className="table-wrap instalments-wrap">
        <table className="instalments" data-testid="instalments">
          <thead>
            <tr>
              <th>№</th>
              <th>{t("training:tuition.dueOn")}</th>
              <th className="num">{t("training:tuition.amount")}</th>
              <th className="num">{t("training:tuition.paid")}</th>
              <th>{t("training:tuition.state")}</th>
            </tr>
          </thead>
          <tbody>
            {tuition.instalments.map((i) => (
              <tr key={i.seq} data-state={i.state}>
                <td className="seq">{i.seq}</td>
                <td className="due">{fmt.date(i.dueOn)}</td>
                <td className="num amount">{formatTiyn(i.amountTiyn)}</td>
                <td className="num paid" data-label={t("training:tuition.paid")}>
                  {formatTiyn(i.paidTiyn)}
                </td>
                <td className="state">{t(`training:tuition.states.${i.state}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="facts" data-testid="tuition-due">
        <dt>{t("training:tuition.overdue")}</dt>
        <dd>{tuition.overdueTiyn > 0 ? <strong className="error">{formatTiyn(tuition.overdueTiyn)}</strong> : "—"}</dd>
        <dt>{t("training:tuition.next")}</dt>
        <dd>
          {tuition.next
            ? t("training:tuition.nextText", {
                amount: formatTiyn(tuition.next.owedTiyn),
                date: fmt.date(tuition.next.dueOn),
              })
            : "—"}
        </dd>
        <dt>{t("training:tuition.dueNow")}</dt>
        <dd>
          <strong>{formatTiyn(tuition.dueNowTiyn)}</strong>
        </dd>
      </dl>
      {tuition.mismatch ? <p className="error">{t("training:tuition.mismatch")}</p> : null}
    </>
  );
}
