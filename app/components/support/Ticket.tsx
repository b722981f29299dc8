// The parts of a support ticket that the school and the operator see alike: its times, its files and
// the conversation. Each side adds its own facts and forms around them.
import type { ReactNode } from "react";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { STATUS_BADGE } from "./status.ts";

type Times = {
  openedAt: string | Date;
  dueAt: string | Date;
  firstResponseAt: string | Date | null;
  closedAt: string | Date | null;
};

/** Opened, due, first response, closed — in a grid after the side's own first cells. */
export function TicketTimes({ ticket, children }: { ticket: Times; children?: ReactNode }) {
  const t = useT();
  const fmt = useFormat();
  const cell = (label: string, value: ReactNode) => (
    <div>
      <div className="muted small">{label}</div>
      <div>{value}</div>
    </div>
  );
  return (
    <div className="grid2">
      {children}
      {cell(t("support:openedAt"), fmt.dateTime(ticket.openedAt))}
      {cell(t("support:dueAt"), fmt.dateTime(ticket.dueAt))}
      {ticket.firstResponseAt ? cell(t("support:firstResponseAt"), fmt.dateTime(ticket.firstResponseAt)) : null}
      {ticket.closedAt ? cell(t("support:closedAt"), fmt.dateTime(ticket.closedAt)) : null}
    </div>
  );
}

/** The ticket's files as downloads from `href(id)`. */
export function TicketFiles({
  files,
  href,
  showType = false,
}: {
  files: { id: string; name: string; contentType?: string | null; size: number }[];
  href: (id: string) => string;
  showType?: boolean;
}) {
  const t = useT();
  if (files.length === 0) return null;
  return (
    <>
      <h3>{t("support:attachments")}</h3>
      <ul className="plain-list">
        {files.map((a) => (
          <li key={a.id}>
            <a href={href(a.id)} download>
              {a.name}
            </a>{" "}
            <span className="muted small">
              ({showType ? `${a.contentType}, ` : ""}
              {Math.max(1, Math.round(a.size / 1024))} KB)
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The messages in order; `who` names each one's author as this side shows it. */
export function Conversation<M extends { id: string; createdAt: string | Date; text: string }>({
  messages,
  who,
}: {
  messages: M[];
  who: (m: M) => string;
}) {
  const t = useT();
  const fmt = useFormat();
  return (
    <>
      <h2>{t("support:conversation")}</h2>
      {messages.length === 0 ? (
        <p className="muted">{t("support:noMessages")}</p>
      ) : (
        <ul className="history">
          {messages.map((m) => (
            <li key={m.id}>
              <div>
                <strong>{who(m)}</strong> <span className="when">{fmt.dateTime(m.createdAt)}</span>
              </div>
              <div className="mail-body">{m.text}</div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

type Status = keyof typeof STATUS_BADGE;

/** A ticket's status as a coloured badge. */
export function TicketStatusBadge({ status }: { status: Status }) {
  const t = useT();
  return <span className={`badge ${STATUS_BADGE[status]}`}>{t(`support:status.${status}`)}</span>;
}

type Files = Parameters<typeof TicketFiles>[0]["files"];

/**
 * The ticket's card: status, kind and lateness badges, its times after the side's own `facts`, its text and files.
 */
export function TicketCard({
  ticket,
  facts,
  fileHref,
  showType,
}: {
  ticket: Times & { status: Status; kind: string; overdue: boolean; text: string; attachments: Files };
  facts: ReactNode;
  fileHref: (id: string) => string;
  showType?: boolean;
}) {
  const t = useT();
  return (
    <section className="card">
      <p>
        <TicketStatusBadge status={ticket.status} /> <span className="badge">{t(`support:kind.${ticket.kind}`)}</span>{" "}
        {ticket.overdue ? <TicketLateBadge answered={!!ticket.firstResponseAt} /> : null}
      </p>
      <TicketTimes ticket={ticket}>{facts}</TicketTimes>
      <p className="mail-body">{ticket.text}</p>
      <TicketFiles files={ticket.attachments} href={fileHref} showType={showType} />
    </section>
  );
}

/** A ticket past its first-response deadline: answered late, or still unanswered. */
export function TicketLateBadge({ answered }: { answered: boolean }) {
  const t = useT();
  return <span className="badge inv-overdue">{t(answered ? "support:answeredLate" : "support:overdue")}</span>;
}
