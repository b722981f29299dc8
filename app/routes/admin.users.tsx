// The operator's users (5.2): search, deactivate or reactivate a user with a reason (sessions end at once,
// sign-in refused), open "account compromised" reports with their exact time, and consent withdrawal requests.
import { Notice } from "~/components/Notice.tsx";
import { HeadCells, Table } from "~/components/Table.tsx";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.trim() || undefined;
  const deactivated = url.searchParams.get("deactivated") === "1" || undefined;
  const [users, reports, withdrawals] = await Promise.all([
    loadWs(context, () => context.trpc.admin.privacy.users({ q, deactivated })),
    loadWs(context, () => context.trpc.admin.privacy.securityReports()),
    loadWs(context, () => context.trpc.admin.privacy.withdrawals()),
  ]);
  return { users, reports, withdrawals };
}

type Values = { intent: "deactivate" | "reactivate"; userId: string; reason: string };

export async function action({ context, request }: ActionFunctionArgs) {
  const form = await request.formData();
  const values: Values = {
    intent: text(form, "intent") === "reactivate" ? "reactivate" : "deactivate",
    userId: text(form, "userId"),
    reason: text(form, "reason"),
  };
  const input = { userId: values.userId, reason: values.reason };
  const r = await runWs(context, () =>
    values.intent === "reactivate"
      ? context.trpc.admin.privacy.reactivate(input)
      : context.trpc.admin.privacy.deactivate(input),
  );
  return r.ok ? { done: values.userId } : refusedWith(r.response, values);
}

const seconds = (at: Date | string, fmt: ReturnType<typeof useFormat>) =>
  `${fmt.dateTime(at)}:${String(new Date(at).getUTCSeconds()).padStart(2, "0")}`;

export default function AdminUsers() {
  const { users, reports, withdrawals } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Values> | { done: string } | undefined;
  const refused = actionData && "error" in actionData ? actionData : null;
  const [params] = useSearchParams();
  const t = useT();
  const fmt = useFormat();
  return (
    <main className="ws-main">
      <h1>{t("privacy:admin.title")}</h1>
      <p className="muted">{t("privacy:admin.lead")}</p>
      <Form method="get" className="card row-actions">
        <input
          type="search"
          name="q"
          aria-label={t("privacy:admin.search")}
          placeholder={t("privacy:admin.search")}
          defaultValue={params.get("q") ?? ""}
        />
        <label>
          <input type="checkbox" name="deactivated" value="1" defaultChecked={params.get("deactivated") === "1"} />{" "}
          {t("privacy:admin.onlyDeactivated")}
        </label>
        <button type="submit" className="secondary">
          {t("privacy:admin.find")}
        </button>
      </Form>
      {actionData && "done" in actionData ? <Notice>{t("privacy:admin.done")}</Notice> : null}
      {users.length === 0 ? (
        <p className="muted">{t("privacy:admin.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="users">
            <thead>
              <tr>
                <HeadCells labels="privacy:admin" columns={["user", "schools", "state", "reason"]} />
              </tr>
            </thead>
            <tbody>
              {users.map((u) => {
                const mine = refused?.values.userId === u.id ? refused : null;
                return (
                  <tr key={u.id}>
                    <td>
                      {u.fullName}
                      <br />
                      <small className="muted">{u.email}</small>
                      {u.operatorRole ? (
                        <>
                          <br />
                          <small>{t(`common:operatorRoles.${u.operatorRole}`)}</small>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {u.memberships.map((m) => (
                        <div key={`${m.school.slug}-${m.role}`}>
                          <small>
                            {m.school.name} — {t(`common:roles.${m.role}`)}
                          </small>
                        </div>
                      ))}
                    </td>
                    <td>
                      {u.deactivatedAt ? (
                        <span className="badge bad">
                          {t("privacy:admin.deactivated", { date: fmt.dateTime(u.deactivatedAt) })}
                        </span>
                      ) : (
                        <span className="badge active">{t("privacy:admin.active")}</span>
                      )}
                      {u.deactivation ? (
                        <div>
                          <small className="muted">{u.deactivation.reason}</small>
                        </div>
                      ) : null}
                      {u.openReport ? (
                        <div>
                          <small className="muted">
                            {t("privacy:admin.reportOpen", { at: seconds(u.openReport.reportedAt, fmt) })}
                          </small>
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <Form method="post" className="row-actions">
                        <input type="hidden" name="userId" value={u.id} />
                        <input type="hidden" name="intent" value={u.deactivatedAt ? "reactivate" : "deactivate"} />
                        <input
                          name="reason"
                          aria-label={t("privacy:admin.reason")}
                          placeholder={t("privacy:admin.reason")}
                          required
                          minLength={3}
                          maxLength={1000}
                          defaultValue={mine?.values.reason ?? ""}
                          aria-invalid={!!mine?.error.fieldErrors?.reason}
                        />
                        <button type="submit" className={u.deactivatedAt ? "secondary" : "danger"}>
                          {t(u.deactivatedAt ? "privacy:admin.reactivate" : "privacy:admin.deactivate")}
                        </button>
                      </Form>
                      {mine ? <FormAlert message={mine.error.fieldErrors?.reason ?? mine.error.message} /> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t("privacy:admin.reports")}</h2>
      <Table
        rows={reports}
        empty={t("privacy:admin.noneYet")}
        testId="reports"
        labels="privacy:admin"
        columns={["reportedAt", "user", ["sessionsEnded", "num"], "resetAt"]}
        row={(r) => (
          <tr key={r.id}>
            <td className="mono">
              {seconds(r.reportedAt, fmt)}
              <br />
              <small className="muted">{t(`privacy:admin.via.${r.via as "account" | "email_link"}`)}</small>
            </td>
            <td>{r.user ? <Link to={`?q=${encodeURIComponent(r.user.email)}`}>{r.user.email}</Link> : "—"}</td>
            <td className="num">{r.sessionsEnded}</td>
            <td>{r.resetAt ? fmt.dateTime(r.resetAt) : t("privacy:admin.notYet")}</td>
          </tr>
        )}
      />

      <h2>{t("privacy:admin.withdrawals")}</h2>
      <Table
        rows={withdrawals}
        empty={t("privacy:admin.noneYet")}
        labels="privacy:admin"
        columns={["school", "receivedAt", "effectiveOn", "state"]}
        row={(w) => (
          <tr key={w.id}>
            <td>
              <Link to={`/admin/schools/${w.schoolId}`}>{w.school}</Link>
            </td>
            <td>{fmt.dateTime(w.receivedAt)}</td>
            <td>{fmt.date(w.effectiveOn)}</td>
            <td>{t(`privacy:status.${w.status as "accepted" | "cancelled"}`)}</td>
          </tr>
        )}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
