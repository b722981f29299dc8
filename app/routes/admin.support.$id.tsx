// One support ticket in the operator console: the school and author (with contacts), the deadline, the files,
// the conversation; reply (e-mailed to the author in their language, shown in the cabinet) and close.
import { Notice } from "~/components/Notice.tsx";
import { Conversation, TicketCard } from "~/components/support/Ticket.tsx";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormAlert, TextAreaField } from "~/components/Field.tsx";
import { IntentButton } from "~/components/IntentButton.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  return { ticket: await loadWs(context, () => context.trpc.admin.support.get({ id })) };
}

type Values = { intent: string; text: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const form = await request.formData();
  const values: Values = { intent: text(form, "intent"), text: text(form, "text") };
  if (values.intent === "close") {
    const r = await runWs(context, () => context.trpc.admin.support.close({ id }));
    return r.ok ? { done: "closed" as const } : refusedWith(r.response, values);
  }
  const r = await runWs(context, () => context.trpc.admin.support.reply({ id, text: values.text }));
  return r.ok ? { done: "replied" as const } : refusedWith(r.response, values);
}

export default function AdminSupportTicket() {
  const { ticket } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Values> | { done: "closed" | "replied" } | undefined;
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData ? actionData.done : null;
  const t = useT();
  return (
    <main className="ws-main">
      <p>
        <Link to="/admin/support">← {t("support:admin.queue")}</Link>
      </p>
      <h1>
        {t("support:ticket", { number: ticket.number })}: {ticket.subject}
      </h1>
      {done ? <Notice>{t(done === "closed" ? "support:admin.closed" : "support:admin.replied")}</Notice> : null}
      <TicketCard
        ticket={ticket}
        fileHref={(id) => `/admin/support/file/${id}`}
        showType
        facts={
          <>
            <div>
              <div className="muted small">{t("support:cols.school")}</div>
              <div>
                <Link to={`/admin/schools/${ticket.school.id}`}>{ticket.school.name}</Link>{" "}
                <span className="muted small mono">{ticket.school.binIin}</span>
              </div>
            </div>
            <div>
              <div className="muted small">{t("support:admin.contact")}</div>
              <div>
                {ticket.author.name}
                <br />
                <a href={`mailto:${ticket.author.email}`}>{ticket.author.email}</a>
                {ticket.author.phone ? (
                  <>
                    <br />
                    {ticket.author.phone}
                  </>
                ) : null}
              </div>
            </div>
          </>
        }
      />

      <Conversation
        messages={ticket.messages}
        who={(m) => (m.fromOperator ? `${t("support:fromSupport")} · ${m.author}` : m.author)}
      />

      {ticket.status === "closed" ? null : (
        <>
          <Form method="post" className="card" key={done ?? "form"}>
            <input type="hidden" name="intent" value="reply" />
            <FormAlert message={refused && !refused.error.fieldErrors ? refused.error.message : null} />
            <TextAreaField
              label={t("support:admin.reply")}
              name="text"
              error={refused?.error.fieldErrors?.text}
              hint={t("support:admin.replyHint")}
              rows={6}
              maxLength={10000}
              required
              defaultValue={refused?.values.intent === "reply" ? refused.values.text : undefined}
            />
            <button type="submit" className="primary">
              {t("support:admin.replySubmit")}
            </button>
          </Form>
          <IntentButton intent="close" confirm={t("support:admin.closeConfirm")} buttonClassName="secondary">
            {t("support:admin.close")}
          </IntentButton>
        </>
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
