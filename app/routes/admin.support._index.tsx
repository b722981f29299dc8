// The operator's support queue (offer 4.1.2): tickets of every school by first-response deadline, earliest
// first, overdue ones marked, filtered by status.
import { Table } from "~/components/Table.tsx";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { TicketLateBadge, TicketStatusBadge } from "~/components/support/Ticket.tsx";

const FILTERS = ["active", "open", "answered", "closed", "all"] as const;
type Filter = (typeof FILTERS)[number];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const s = new URL(request.url).searchParams.get("status");
  const status: Filter = FILTERS.includes(s as Filter) ? (s as Filter) : "active";
  return { status, tickets: await loadWs(context, () => context.trpc.admin.support.queue({ status })) };
}

export default function AdminSupport() {
  const { status, tickets } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  const overdue = tickets.filter((x) => x.overdue && !x.firstResponseAt && x.status !== "closed").length;
  return (
    <main className="ws-main">
      <h1>{t("support:admin.title")}</h1>
      <p className="muted">{t("support:admin.lead")}</p>
      <Form method="get" className="toolbar inline-form">
        <div className="field">
          <label htmlFor="f-status">{t("support:admin.filterLabel")}</label>
          <select id="f-status" name="status" defaultValue={status}>
            {FILTERS.map((f) => (
              <option key={f} value={f}>
                {t(`support:admin.filter.${f}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="secondary">
          {t("support:admin.show")}
        </button>
      </Form>
      <p className="muted small">
        {t("support:admin.total", { count: tickets.length })}
        {overdue ? (
          <>
            {" "}
            · <span className="badge inv-overdue">{t("support:admin.overdueCount", { count: overdue })}</span>
          </>
        ) : null}
      </p>
      <Table
        rows={tickets}
        empty={t("support:admin.empty")}
        emptyClassName="card muted"
        labels="support:cols"
        columns={["due", "school", "number", "subject", "kind", "status", "opened"]}
        row={(x) => (
          <tr key={x.id}>
            <td className="nowrap">
              {fmt.dateTime(x.dueAt)}
              {x.overdue ? (
                <>
                  <br />
                  <TicketLateBadge answered={!!x.firstResponseAt} />
                </>
              ) : null}
            </td>
            <td className="break">{x.school}</td>
            <td className="nowrap">{x.number}</td>
            <td className="break">
              <Link to={`/admin/support/${x.id}`}>{x.subject}</Link>
            </td>
            <td>{t(`support:kind.${x.kind}`)}</td>
            <td>
              <TicketStatusBadge status={x.status} />
            </td>
            <td className="nowrap">{fmt.dateTime(x.openedAt)}</td>
          </tr>
        )}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
