// The school's cabinet documents (offer 10.8): acts, offer-change and maintenance notices, claims and
// answers, with delivery time and the current user's first reading; and the director's written
// disagreement with an offer change (10.2–10.4) with the operator's answers.
import { Table } from "~/components/Table.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWorkspace, loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const [docs, ws] = await Promise.all([
    loadWs(context, () => context.trpc.notices.documents({ school: params.school! })),
    loadWorkspace(context, params.school!),
  ]);
  // The form's own id: sent twice (a double click, a repeated post), it files one disagreement.
  return { ...docs, isDirector: ws.school.roles.includes("director"), requestId: crypto.randomUUID() };
}

type Values = { offerVersionId: string; text: string; requestId: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const values: Values = {
    offerVersionId: text(form, "offerVersionId"),
    text: text(form, "text"),
    requestId: text(form, "requestId"),
  };
  const result = await runWs(context, () =>
    context.trpc.notices.disagree({ school: params.school!, ...values, requestId: values.requestId || undefined }),
  );
  if (!result.ok) return refusedWith(result.response, values);
  return { sent: true as const };
}

export default function Documents() {
  const { documents, offers, disagreements, isDirector, requestId } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Values> | { sent: true } | undefined;
  const navigation = useNavigation();
  const { school } = useParams();
  const t = useT();
  const fmt = useFormat();
  const locale = useLocale();
  const refused = actionData && "error" in actionData ? actionData : null;
  const sent = actionData && "sent" in actionData && navigation.state === "idle";
  return (
    <main className="ws-main">
      <h1>{t("notices:documents.title")}</h1>
      <p className="muted">{t("notices:documents.intro")}</p>
      <Table
        rows={documents}
        empty={t("notices:documents.empty")}
        className="table"
        testId="documents"
        labels="notices:documents"
        columns={["name", "number", "delivered", "myRead", "firstRead", ""]}
        row={(d) => (
          <tr key={d.id}>
            <td>
              <span className="badge">{t(`notices:documents.kinds.${d.kind}`)}</span>{" "}
              {locale === "kk" ? d.titleKk : d.titleRu}
            </td>
            <td className="mono">{d.number}</td>
            <td>{fmt.dateTime(d.deliveredAt)}</td>
            <td>
              {d.myReadAt ? fmt.dateTime(d.myReadAt) : <span className="muted">{t("notices:documents.notRead")}</span>}
            </td>
            <td>
              {d.firstReadAt ? (
                fmt.dateTime(d.firstReadAt)
              ) : (
                <span className="muted">{t("notices:documents.notRead")}</span>
              )}
            </td>
            <td>
              <a href={`/s/${school}/documents/${d.id}`} download>
                {t("notices:documents.download")}
              </a>
            </td>
          </tr>
        )}
      />
      {isDirector && offers.length > 0 ? (
        <section className="card">
          <h2 className="first">{t("notices:documents.disagreeTitle")}</h2>
          <p className="muted">{t("notices:documents.disagreeIntro")}</p>
          {sent ? (
            <div className="banner-inline" role="status">
              {t("notices:documents.sent")}
            </div>
          ) : null}
          {refused ? <FormAlert message={refused.error.message} /> : null}
          <Form method="post">
            <input type="hidden" name="requestId" value={refused?.values.requestId || requestId} />
            <div className="field">
              <label htmlFor="f-offerVersionId">{t("notices:documents.version")}</label>
              <select id="f-offerVersionId" name="offerVersionId" defaultValue={refused?.values.offerVersionId}>
                {offers.map((o) => (
                  <option key={o.id} value={o.id}>
                    {t("notices:documents.versionOption", { version: o.version, date: fmt.date(o.effectiveFrom) })}
                  </option>
                ))}
              </select>
            </div>
            <div className={`field${refused?.error.fieldErrors?.text ? " has-error" : ""}`}>
              <label htmlFor="f-text">{t("notices:documents.text")}</label>
              <textarea id="f-text" name="text" rows={5} defaultValue={refused?.values.text} />
              {refused?.error.fieldErrors?.text ? (
                <small className="error">{refused.error.fieldErrors.text}</small>
              ) : null}
            </div>
            <button type="submit" className="button">
              {t("notices:documents.send")}
            </button>
          </Form>
          {disagreements.length > 0 ? (
            <>
              <h3>{t("notices:documents.filed")}</h3>
              <ul className="plain-list">
                {disagreements.map((d) => (
                  <li key={d.id} data-testid="my-disagreement">
                    <strong>
                      {t("notices:documents.versionOption", { version: d.version, date: fmt.date(d.effectiveFrom) })}
                    </strong>{" "}
                    <span className="muted">{t("notices:documents.filedAt", { date: fmt.dateTime(d.createdAt) })}</span>
                    <p>{d.text}</p>
                    <p>
                      {t("notices:documents.answer")}:{" "}
                      {d.answer ? (
                        `${d.answer} (${fmt.dateTime(d.answeredAt!)})`
                      ) : (
                        <span className="muted">{t("notices:documents.waiting")}</span>
                      )}
                    </p>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
      <p>
        <Link to={`/s/${school}`}>←</Link>
      </p>
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
