// One support ticket in the school's cabinet: what was sent (with its files), the deadline of the first
// response, the operator's replies, and a follow-up while the ticket is not closed.
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { STATUS_BADGE } from "~/components/support/status.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  return { ticket: await loadWs(context, () => context.trpc.support.get({ school: params.school!, id })) };
}

type Values = { text: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const values: Values = { text: text(await request.formData(), "text") };
  const result = await runWs(context, () => context.trpc.support.message({ school: params.school!, id, text: values.text }));
  if (!result.ok) return refusedWith(result.response, values);
  return { sent: true as const };
}

export default function SupportTicket() {
  const { ticket } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Values> | { sent: true } | undefined;
  const refused = actionData && "error" in actionData ? actionData : null;
  const navigation = useNavigation();
  const [search] = useSearchParams();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const base = `/s/${school.slug}/support`;
  return (
    <main className="ws-main">
      <p><Link to={base}>← {t("support:back")}</Link></p>
      <div className="ws-head">
        <h1>{t("support:ticket", { number: ticket.number })}: {ticket.subject}</h1>
      </div>
      {search.get("created") && ticket.messages.length === 0 && navigation.state === "idle" ? (
        <p className="notice" role="status">{t("support:created", { number: ticket.number, due: fmt.dateTime(ticket.dueAt) })}</p>
      ) : null}
      {actionData && "sent" in actionData ? <p className="notice" role="status">{t("support:messageSent")}</p> : null}

      <section className="card">
        <p>
          <span className={`badge ${STATUS_BADGE[ticket.status]}`}>{t(`support:status.${ticket.status}`)}</span>{" "}
          <span className="badge">{t(`support:kind.${ticket.kind}`)}</span>{" "}
          {ticket.overdue ? <span className="badge inv-overdue">{t(ticket.firstResponseAt ? "support:answeredLate" : "support:overdue")}</span> : null}
        </p>
        <div className="grid2">
          <div><div className="muted small">{t("support:author")}</div><div>{ticket.author}</div></div>
          <div><div className="muted small">{t("support:openedAt")}</div><div>{fmt.dateTime(ticket.openedAt)}</div></div>
          <div><div className="muted small">{t("support:dueAt")}</div><div>{fmt.dateTime(ticket.dueAt)}</div></div>
          {ticket.firstResponseAt ? <div><div className="muted small">{t("support:firstResponseAt")}</div><div>{fmt.dateTime(ticket.firstResponseAt)}</div></div> : null}
          {ticket.closedAt ? <div><div className="muted small">{t("support:closedAt")}</div><div>{fmt.dateTime(ticket.closedAt)}</div></div> : null}
        </div>
        <p className="mail-body">{ticket.text}</p>
        {ticket.attachments.length ? (
          <>
            <h3>{t("support:attachments")}</h3>
            <ul className="plain-list">
              {ticket.attachments.map((a) => (
                <li key={a.id}><a href={`${base}/file/${a.id}`} download>{a.name}</a> <span className="muted small">({Math.max(1, Math.round(a.size / 1024))} KB)</span></li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <h2>{t("support:conversation")}</h2>
      {ticket.messages.length === 0 ? <p className="muted">{t("support:noMessages")}</p> : (
        <ul className="history">
          {ticket.messages.map((m) => (
            <li key={m.id}>
              <div><strong>{m.fromOperator ? t("support:fromSupport") : m.author}</strong> <span className="when">{fmt.dateTime(m.createdAt)}</span></div>
              <div className="mail-body">{m.text}</div>
            </li>
          ))}
        </ul>
      )}

      {ticket.status === "closed" ? <p className="card muted">{t("support:closedNote")}</p> : (
        <Form method="post" className="card" key={actionData && "sent" in actionData ? "sent" : "form"}>
          <FormAlert message={refused && !refused.error.fieldErrors ? refused.error.message : null} />
          <div className={`field${refused?.error.fieldErrors?.text ? " has-error" : ""}`}>
            <label htmlFor="f-text">{t("support:addMessage")}</label>
            <textarea id="f-text" name="text" rows={4} maxLength={10000} required defaultValue={refused?.values.text} />
            {refused?.error.fieldErrors?.text ? <small className="error" role="alert">{refused.error.fieldErrors.text}</small> : null}
          </div>
          <button type="submit" className="primary">{t("support:send")}</button>
        </Form>
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
