// The table of claims with their review and answer deadlines, shared by the director's and the operator's screens.
import type { ReactNode } from "react";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { Deadline } from "./Deadline.tsx";

type State = Parameters<typeof Deadline>[0]["state"];

export type ClaimRow = {
  id: string;
  number: number;
  answer: string | null;
  reviewDue: string;
  reviewState: State;
  answerDue: string;
  answerState: State;
  receivedOn: string;
  status: string;
};

/**
 * `numbered` adds the number column first; `subject` is the subject cell's content (the answer follows it);
 * `lastHead` and `last` are the final column's header and cell; `dataClaim` names the row for tests.
 */
export function ClaimsTable<C extends ClaimRow>({
  claims,
  numbered = false,
  dataClaim,
  subject,
  lastHead,
  last,
}: {
  claims: C[];
  numbered?: boolean;
  dataClaim: (c: C) => string | number;
  subject: (c: C) => ReactNode;
  lastHead: ReactNode;
  last: (c: C) => ReactNode;
}) {
  const t = useT();
  const fmt = useFormat();
  return (
    <div className="table-wrap">
      {claims.length === 0 ? (
        <p className="muted">{t("contract:claims.none")}</p>
      ) : (
        <table className="claims">
          <thead>
            <tr>
              {numbered ? <th>{t("contract:claims.number")}</th> : null}
              <th>{t("contract:claims.subject")}</th>
              <th>{t("contract:claims.reviewDue")}</th>
              <th>{t("contract:claims.answerDue")}</th>
              <th>{t("contract:claims.received")}</th>
              <th>{t("contract:claims.status")}</th>
              {lastHead}
            </tr>
          </thead>
          <tbody>
            {claims.map((c) => (
              <tr key={c.id} data-claim={dataClaim(c)}>
                {numbered ? <td>{c.number}</td> : null}
                <td>
                  {subject(c)}
                  {c.answer ? (
                    <p className="small">
                      <em>{t("contract:claims.answer")}:</em> {c.answer}
                    </p>
                  ) : null}
                </td>
                <td>
                  <Deadline due={c.reviewDue} state={c.reviewState} />
                </td>
                <td>
                  <Deadline due={c.answerDue} state={c.answerState} />
                </td>
                <td className="nowrap">{fmt.date(c.receivedOn)}</td>
                <td>{t(`contract:status.${c.status}`)}</td>
                {last(c)}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The "in time" badge of a force-majeure notice. */
export function InTimeBadge({ within }: { within: boolean }) {
  const t = useT();
  return <span className={within ? "badge ok" : "badge bad"}>{t(within ? "contract:fm.yes" : "contract:fm.no")}</span>;
}

/** A force-majeure notice's "what" (with its documents), "since" and "notified on" cells. */
export function FmCells({
  notice: n,
}: {
  notice: { what: string; documents: string | null; eventStartedOn: string; notifiedOn: string };
}) {
  const fmt = useFormat();
  return (
    <>
      <td>
        {n.what}
        {n.documents ? <p className="small muted">{n.documents}</p> : null}
      </td>
      <td className="nowrap">{fmt.date(n.eventStartedOn)}</td>
      <td className="nowrap">{fmt.date(n.notifiedOn)}</td>
    </>
  );
}
