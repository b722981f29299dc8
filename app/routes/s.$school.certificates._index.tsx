import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Field, FormAlert, RequiredSelect } from "~/components/Field.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { useTraineeView } from "~/components/workspace/useTraineeView.ts";
import { IDENTITY_DOCUMENT_ROLES } from "../../domain/visibility.ts";
import { isWriter, hasRole } from "../../domain/roles.ts";
import { load, readSchoolForm, requireUser, runForm } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import type { DescribedError } from "../../domain/errors.ts";
import { loadWorkspace } from "~/components/workspace/forms.server.ts";
import { HeadCells } from "~/components/Table.tsx";

const STATUSES = ["all", "active", "cancelled"] as const;
type Status = (typeof STATUSES)[number];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const url = new URL(request.url);
  const s = url.searchParams.get("status");
  const status: Status = s === "active" || s === "cancelled" ? s : "all";
  const q = (url.searchParams.get("q") ?? "").slice(0, 100);
  const school = params.school!;
  const { roles } = await loadWorkspace(context, school).then((w) => w.school);
  const writer = isWriter(roles);
  const [certificates, candidates] = await load(context, () =>
    Promise.all([
      context.trpc.exams.certificates({ school, status, q: q || undefined }),
      writer ? context.trpc.exams.issueOptions({ school }) : Promise.resolve(null),
    ]),
  );
  return { certificates, candidates, status, q };
}

type Refusal = { intent: string; id?: string; error: DescribedError; values: Record<string, string> };
type Done = { done: "issue" | "cancel"; number: string };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { v, school, intent } = await readSchoolForm(context, request, params);
  if (intent === "cancel") {
    const values = { id: v("id"), reason: v("reason"), number: v("number") };
    const r = await runForm(context, () => context.trpc.exams.cancel({ school, id: values.id, reason: values.reason }));
    return r.ok
      ? ({ done: "cancel", number: values.number } satisfies Done)
      : ({ intent: "cancel", id: values.id, error: r.error, values } satisfies Refusal);
  }
  const values = { traineeId: v("traineeId") };
  const r = await runForm(context, () => context.trpc.exams.issue({ school, traineeId: values.traineeId }));
  return r.ok
    ? ({ done: "issue", number: r.value.displayNumber } satisfies Done)
    : ({ intent: "issue", error: r.error, values } satisfies Refusal);
}

export default function Certificates() {
  const { certificates, candidates, status, q } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as Refusal | Done | undefined;
  const refusal = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData ? actionData : null;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  // The IIN column and the certificate PDF (it carries the IIN) only for a role that sees IINs (ADR 026).
  const { column } = useTraineeView();
  const documents = hasRole(school.roles, IDENTITY_DOCUMENT_ROLES);
  const t = useT();
  const fmt = useFormat();
  const base = `/s/${school.slug}/certificates`;
  const issueError = refusal?.intent === "issue" ? refusal.error : null;
  return (
    <main className="ws-main">
      <div className="ws-head">
        <h1>{t("exams:certificates.title")}</h1>
        <div className="ws-head-actions">
          <a
            className="button secondary"
            href={`${base}/register.xlsx${status !== "all" ? `?status=${status}` : ""}`}
            download
          >
            {t("exams:certificates.xlsx")}
          </a>
        </div>
      </div>
      <p className="muted">{t("exams:certificates.lead")}</p>
      {done && navigation.state === "idle" ? (
        <Notice>
          {t(done.done === "issue" ? "exams:certificates.issued" : "exams:certificates.cancelled", {
            number: done.number,
          })}
        </Notice>
      ) : null}

      {candidates ? (
        candidates.length ? (
          <Form method="post" className="card" preventScrollReset>
            <h2 className="first">{t("exams:certificates.issue")}</h2>
            <p className="muted small">{t("exams:certificates.issueHint")}</p>
            <input type="hidden" name="intent" value="issue" />
            <FormAlert message={issueError && !issueError.fieldErrors ? issueError.message : null} />
            <div className="inline-form">
              <RequiredSelect
                name="traineeId"
                label={t("exams:certificates.trainee")}
                value={refusal?.intent === "issue" ? refusal.values.traineeId : ""}
                error={issueError?.fieldErrors?.traineeId}
                choose={t("exams:certificates.choose")}
                options={candidates.map((c) => [
                  c.id,
                  `${c.lastName} ${c.firstName} · ${c.category} · ${t(`common:traineeStatus.${c.status}`)}${c.eligible ? "" : ` · ${t("exams:certificates.notEligible")}`}`,
                ])}
              />
              <button type="submit" className="primary">
                {t("exams:certificates.issueSubmit")}
              </button>
            </div>
          </Form>
        ) : (
          <p className="card muted">{t("exams:certificates.noCandidates")}</p>
        )
      ) : null}

      <Form method="get" className="toolbar inline-form">
        <div className="field">
          <label htmlFor="f-q">{t("common:search")}</label>
          <input id="f-q" name="q" defaultValue={q} placeholder={t("exams:certificates.search")} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="f-status">{t("exams:certificates.cols.status")}</label>
          <select id="f-status" name="status" defaultValue={status}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`exams:certificates.filter.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="secondary">
          {t("exams:certificates.show")}
        </button>
      </Form>
      <p className="muted small">{t("exams:certificates.total", { count: certificates.length })}</p>

      {certificates.length === 0 ? (
        <p className="muted">{t("exams:certificates.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="cert-table">
            <thead>
              <tr>
                <HeadCells
                  labels="exams:certificates.cols"
                  columns={[
                    "number",
                    "trainee",
                    column("iin") && ["iin", "hide-phone"],
                    ["category", "hide-phone"],
                    "status",
                  ]}
                />
              </tr>
            </thead>
            <tbody>
              {certificates.map((c) => {
                const err = refusal?.intent === "cancel" && refusal.id === c.id ? refusal : null;
                return (
                  <tr key={c.id} data-testid="certificate" className={c.cancelledAt ? "cert-cancelled" : ""}>
                    <td className="nowrap">
                      {documents ? (
                        <a href={`${base}/${c.id}.pdf`} download>
                          <strong className="mono">{c.displayNumber}</strong>
                        </a>
                      ) : (
                        <strong className="mono">{c.displayNumber}</strong>
                      )}
                      <div className="muted small">
                        {fmt.date(c.issuedAt)}
                        <span className="phone-only"> · {c.category}</span>
                      </div>
                    </td>
                    <td>
                      <Link to={`/s/${school.slug}/trainees/${c.trainee.id}`}>{c.trainee.fullName}</Link>
                      {c.issuedBy ? (
                        <div className="muted small hide-phone">
                          {t("exams:certificates.issuedBy", { name: c.issuedBy })}
                        </div>
                      ) : null}
                    </td>
                    {column("iin") ? <td className="hide-phone mono">{c.trainee.iin}</td> : null}
                    <td className="hide-phone">{c.category}</td>
                    <td>
                      <span className={`badge ${c.cancelledAt ? "exam-fail" : "exam-pass"}`}>
                        {t(`exams:certificates.status.${c.cancelledAt ? "cancelled" : "active"}`)}
                      </span>
                      {c.cancelledAt ? (
                        <div className="muted small">
                          {t("exams:certificates.cancelledInfo", {
                            date: fmt.dateTime(c.cancelledAt),
                            by: c.cancelledBy ?? "—",
                            reason: c.cancelReason ?? "",
                          })}
                        </div>
                      ) : candidates ? (
                        <details className="cert-cancel" open={!!err}>
                          <summary>{t("exams:certificates.cancel")}</summary>
                          <Form method="post" preventScrollReset>
                            <input type="hidden" name="intent" value="cancel" />
                            <input type="hidden" name="id" value={c.id} />
                            <input type="hidden" name="number" value={c.displayNumber} />
                            <Field
                              name="reason"
                              id={`reason-${c.id}`}
                              label={t("exams:certificates.cancelReason")}
                              required
                              maxLength={500}
                              defaultValue={err?.values.reason}
                              error={
                                err?.error.fieldErrors?.reason ??
                                (err && !err.error.fieldErrors ? err.error.message : null)
                              }
                            />
                            <button type="submit" className="danger">
                              {t("exams:certificates.cancelSubmit")}
                            </button>
                          </Form>
                        </details>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
