// The tuition schedule as a table (the trainee card and the trainee's cabinet): each instalment's date and amount,
// its state, and what the payments cover of a partly paid one; then what is overdue and what is due now (ADR 042).
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
      {/* Two columns, so a phone shows every date, sum and state without scrolling sideways: the state under
          the date, what is paid of a partly paid instalment under its sum. */}
      <div className="table-wrap">
        <table className="instalments" data-testid="instalments">
          <thead>
            <tr>
              <th>{t("training:tuition.dueOn")}</th>
              <th className="num">{t("training:tuition.amount")}</th>
            </tr>
          </thead>
          <tbody>
            {tuition.instalments.map((i) => (
              <tr key={i.seq} data-state={i.state}>
                <td>
                  {fmt.date(i.dueOn)}
                  <br />
                  <small className={i.state === "overdue" ? "error" : "muted"}>
                    {t(`training:tuition.states.${i.state}`)}
                  </small>
                </td>
                <td className="num">
                  {formatTiyn(i.amountTiyn)}
                  {i.paidTiyn > 0 && i.paidTiyn < i.amountTiyn ? (
                    <>
                      <br />
                      <small className="muted">
                        {t("training:tuition.paidOf", { amount: formatTiyn(i.paidTiyn) })}
                      </small>
                    </>
                  ) : null}
                </td>
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
