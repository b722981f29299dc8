// The background queues: job counts per queue, failed jobs with their reason and a Retry button,
// and "Run today's billing now" (admin.billing.queues / retryJob / runToday).
import { Notice } from "~/components/Notice.tsx";
import { Table } from "~/components/Table.tsx";
import { Form, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import type { loader as adminLoader } from "./admin.tsx";
import type { QueueName } from "../../domain/queues.ts";

const COUNTS = ["waiting", "active", "delayed", "failed", "completed"] as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return { queues: await loadWs(context, () => context.trpc.admin.billing.queues()) };
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  if (text(form, "intent") === "runToday") {
    const result = await runWs(context, () => context.trpc.admin.billing.runToday());
    return result.ok ? { ran: result.value.day } : refusedWith(result.response, {});
  }
  const queue = text(form, "queue") as QueueName;
  const jobId = text(form, "jobId");
  const result = await runWs(context, () => context.trpc.admin.billing.retryJob({ queue, jobId }));
  return result.ok ? { retried: jobId } : refusedWith(result.response, {});
}

type Done = { ran: string } | { retried: string };

export default function AdminQueues() {
  const { queues } = useLoaderData<typeof loader>();
  const admin = useRouteLoaderData<typeof adminLoader>("routes/admin");
  const actionData = useActionData() as Refused<object> | Done | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const role = admin?.operatorRole;
  const idle = navigation.state === "idle";
  const failed = queues.filter((q) => q.failed.length > 0);
  return (
    <main className="ws-main">
      <div className="ws-head">
        <h1>{t("billingAdmin:queues.title")}</h1>
        {role === "super_admin" || role === "billing" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="runToday" />
            <button type="submit" className="primary" disabled={!idle}>
              {t("billingAdmin:queues.runToday")}
            </button>
          </Form>
        ) : null}
      </div>
      <p className="muted">{t("billingAdmin:queues.lead")}</p>
      {actionData && "ran" in actionData && idle ? (
        <Notice>{t("billingAdmin:queues.ran", { date: fmt.date(actionData.ran) })}</Notice>
      ) : null}
      {actionData && "retried" in actionData && idle ? (
        <Notice>{t("billingAdmin:queues.retried", { id: actionData.retried })}</Notice>
      ) : null}
      {actionData && "error" in actionData ? <FormAlert message={actionData.error.message} /> : null}

      <Table
        rows={queues}
        head={
          <>
            <th>{t("billingAdmin:queues.cols.queue")}</th>
            {COUNTS.map((c) => (
              <th key={c} className="num">
                {t(`billingAdmin:queues.counts.${c}`)}
              </th>
            ))}
          </>
        }
        row={(q) => (
          <tr key={q.name}>
            <td>
              {t(`billingAdmin:queues.names.${q.name}`)} <span className="muted small mono">{q.name}</span>
            </td>
            {COUNTS.map((c) => (
              <td key={c} className={`num${c === "failed" && (q.counts[c] ?? 0) > 0 ? " ab-debt" : ""}`}>
                {q.counts[c] ?? 0}
              </td>
            ))}
          </tr>
        )}
      />

      <h2>{t("billingAdmin:queues.failedTitle")}</h2>
      {failed.length === 0 ? <p className="card muted">{t("billingAdmin:queues.noFailed")}</p> : null}
      {failed.map((q) => (
        <section key={q.name}>
          <h3>
            {t(`billingAdmin:queues.names.${q.name}`)} <span className="muted small mono">{q.name}</span>
          </h3>
          <Table
            rows={q.failed}
            labels="billingAdmin:queues.cols"
            columns={["job", "reason", ["attempts", "num"], "failedAt", role === "super_admin" && ""]}
            row={(j) => (
              <tr key={j.id}>
                <td className="mono small break">
                  {j.name}
                  <div className="muted">{j.id}</div>
                </td>
                <td className="break ab-reason">{j.failedReason.trim() || "—"}</td>
                <td className="num">{j.attemptsMade}</td>
                <td className="nowrap">{j.finishedOn ? fmt.dateTime(new Date(j.finishedOn)) : "—"}</td>
                {role === "super_admin" ? (
                  <td>
                    <Form method="post">
                      <input type="hidden" name="queue" value={q.name} />
                      <input type="hidden" name="jobId" value={j.id} />
                      <button type="submit" className="secondary small" disabled={!idle}>
                        {t("billingAdmin:queues.retry")}
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            )}
          />
        </section>
      ))}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
