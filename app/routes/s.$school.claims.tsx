// The director's claims (offer 9.1, 10.7) and force-majeure notices (8.2): file a claim from the cabinet,
// see each one's review and answer deadlines, the answer and the documents; register a force-majeure notice.
import { Notice } from "~/components/Notice.tsx";
import { Table } from "~/components/Table.tsx";
import { Form, useActionData, useLoaderData, useNavigation, useParams } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FieldBox, FormAlert, TextAreaField } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, texts } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { ClaimsTable, FmCells, InTimeBadge } from "~/components/contract/ClaimsTable.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const [claims, fm] = await Promise.all([
    loadWs(context, () => context.trpc.contract.claims({ school })),
    loadWs(context, () => context.trpc.contract.forceMajeure({ school })),
  ]);
  return { ...claims, fm };
}

type Values = {
  intent: string;
  subject: string;
  text: string;
  what: string;
  eventStartedOn: string;
  documents: string;
};

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const v: Values = texts(form, ["intent", "subject", "text", "what", "eventStartedOn", "documents"]);
  const school = params.school!;
  if (v.intent === "fm") {
    const r = await runWs(context, () =>
      context.trpc.contract.registerForceMajeure({
        school,
        what: v.what,
        eventStartedOn: v.eventStartedOn,
        documents: v.documents,
      }),
    );
    return r.ok ? { fmSaved: true } : refusedWith(r.response, v);
  }
  const r = await runWs(context, () => context.trpc.contract.fileClaim({ school, subject: v.subject, text: v.text }));
  return r.ok ? { filed: { number: r.value.number, due: r.value.answerDue } } : refusedWith(r.response, v);
}

type Done = { filed?: { number: number; due: string }; fmSaved?: boolean };

export default function Claims() {
  const { claims, fm, today } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Values> | Done | undefined;
  const busy = useNavigation().state === "submitting";
  const slug = useParams().school!;
  const t = useT();
  const fmt = useFormat();
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && !("error" in actionData) ? actionData : null;
  const fe = refused?.error.fieldErrors ?? {};
  const v = refused?.values;
  const isFm = v?.intent === "fm";
  /** A claim-form error (claim: !fm) or a force-majeure-form error (fm: true). */
  const err = (k: string, fm: boolean) => (isFm === fm ? fe[k] : undefined);
  return (
    <main className="ws-main">
      <h1>{t("contract:claims.title")}</h1>
      <p className="muted">{t("contract:claims.intro")}</p>
      {done?.filed ? (
        <Notice>{t("contract:claims.filed", { number: done.filed.number, due: fmt.date(done.filed.due) })}</Notice>
      ) : null}

      <ClaimsTable
        claims={claims}
        numbered
        dataClaim={(c) => c.number}
        subject={(c) => <strong>{c.subject}</strong>}
        lastHead={<th>{t("contract:claims.document")}</th>}
        last={(c) => (
          <td className="nowrap">
            {c.documentId ? (
              <a href={`/s/${slug}/billing/documents/${c.documentId}.pdf`}>{t("contract:claims.claimDocument")}</a>
            ) : null}
            {c.answerDocumentId ? (
              <>
                <br />
                <a href={`/s/${slug}/billing/documents/${c.answerDocumentId}.pdf`}>
                  {t("contract:claims.answerDocument")}
                </a>
              </>
            ) : null}
          </td>
        )}
      />
      <p className="muted small">{fmt.date(today)}</p>

      <section className="card">
        <h2 className="first">{t("contract:claims.file")}</h2>
        <Form method="post" noValidate key={claims.length}>
          <input type="hidden" name="intent" value="claim" />
          <FormAlert message={refused && !isFm && !fe.subject && !fe.text ? refused.error.message : null} />
          <FieldBox htmlFor="c-subject" label={t("contract:claims.subject")} error={err("subject", false)}>
            <input id="c-subject" name="subject" maxLength={200} required defaultValue={!isFm ? v?.subject : ""} />
          </FieldBox>
          <TextAreaField
            id="c-text"
            label={t("contract:claims.text")}
            name="text"
            error={err("text", false)}
            rows={6}
            maxLength={20000}
            required
            defaultValue={!isFm ? v?.text : ""}
          />
          <button type="submit" className="primary" disabled={busy}>
            {t("contract:claims.submit")}
          </button>
        </Form>
      </section>

      <section className="card">
        <h2 className="first">{t("contract:fm.title")}</h2>
        <p className="muted">{t("contract:fm.intro")}</p>
        {done?.fmSaved ? <Notice>{t("contract:fm.saved")}</Notice> : null}
        {fm.length > 0 ? (
          <Table
            rows={fm}
            labels="contract:fm"
            columns={["side", "what", "since", "notifiedOn", "inTime"]}
            row={(n) => (
              <tr key={n.id}>
                <td>{t(n.side === "school" ? "contract:fm.sideSchool" : "contract:fm.sideOperator")}</td>
                <FmCells notice={n} />
                <td>
                  <InTimeBadge within={n.withinDeadline} />
                </td>
              </tr>
            )}
          />
        ) : (
          <p className="muted">{t("contract:fm.none")}</p>
        )}
        <details open={isFm}>
          <summary>{t("contract:fm.register")}</summary>
          <Form method="post" noValidate key={fm.length}>
            <input type="hidden" name="intent" value="fm" />
            <FormAlert message={refused && isFm && !fe.what && !fe.eventStartedOn ? refused.error.message : null} />
            <TextAreaField
              id="fm-what"
              label={t("contract:fm.what")}
              name="what"
              error={err("what", true)}
              rows={3}
              required
              defaultValue={isFm ? v?.what : ""}
            />
            <FieldBox htmlFor="fm-since" label={t("contract:fm.since")} error={err("eventStartedOn", true)}>
              <input
                id="fm-since"
                name="eventStartedOn"
                type="date"
                max={today}
                required
                defaultValue={isFm ? v?.eventStartedOn : today}
              />
            </FieldBox>
            <div className="field">
              <label htmlFor="fm-docs">{t("contract:fm.documents")}</label>
              <textarea id="fm-docs" name="documents" rows={2} defaultValue={isFm ? v?.documents : ""} />
            </div>
            <button type="submit" className="primary" disabled={busy}>
              {t("contract:fm.submit")}
            </button>
          </Form>
        </details>
      </section>
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
