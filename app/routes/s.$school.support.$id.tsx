// One support ticket in the school's cabinet: what was sent (with its files), the deadline of the first
// response, the operator's replies, and a follow-up while the ticket is not closed.
import { Notice } from "~/components/Notice.tsx";
import { Conversation, TicketCard } from "~/components/support/Ticket.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormAlert, TextAreaField } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";

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
  const result = await runWs(context, () =>
    context.trpc.support.message({ school: params.school!, id, text: values.text }),
  );
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
      <p>
        <Link to={base}>← {t("support:back")}</Link>
      </p>
      <div className="ws-head">
        <h1>
          {t("support:ticket", { number: ticket.number })}: {ticket.subject}
        </h1>
      </div>
      {search.get("created") && ticket.messages.length === 0 && navigation.state === "idle" ? (
        <Notice>{t("support:created", { number: ticket.number, due: fmt.dateTime(ticket.dueAt) })}</Notice>
      ) : null}
      {actionData && "sent" in actionData ? <Notice>{t("support:messageSent")}</Notice> : null}

      <TicketCard
        ticket={ticket}
        fileHref={(id) => `${base}/file/${id}`}
        facts={
          <div>
            <div className="muted small">{t("support:author")}</div>
            <div>{ticket.author}</div>
          </div>
        }
      />

      <Conversation
        messages={ticket.messages}
        who={(m) => (m.fromOperator ? t("support:fromSupport") : (m.author ?? ""))}
      />

      {ticket.status === "closed" ? (
        <p className="card muted">{t("support:closedNote")}</p>
      ) : (
        <Form method="post" className="card" key={actionData && "sent" in actionData ? "sent" : "form"}>
          <FormAlert message={refused && !refused.error.fieldErrors ? refused.error.message : null} />
          <TextAreaField
            label={t("support:addMessage")}
            name="text"
            error={refused?.error.fieldErrors?.text}
            rows={4}
            maxLength={10000}
            required
            defaultValue={refused?.values.text}
          />
          <button type="submit" className="primary">
            {t("support:send")}
          </button>
        </Form>
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
