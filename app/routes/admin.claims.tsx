// The operator's claims console (offer 9.1, 10.7): every school's claims with their review (7 working days)
// and answer (10 working days) deadlines coloured by closeness; paper claims registered with their receipt
// date; a claim marked reviewed; the written answer, which goes to the school's cabinet and its directors.
import { Notice } from "~/components/Notice.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FieldBox, FormAlert, TextAreaField } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, texts } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { ClaimsTable } from "~/components/contract/ClaimsTable.tsx";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const open = new URL(request.url).searchParams.get("all") !== "1";
  const [list, schools] = await Promise.all([
    loadWs(context, () => context.trpc.admin.contract.claims({ open })),
    loadWs(context, () => context.trpc.admin.contract.schools()),
  ]);
  return { ...list, schools, open };
}

type Values = {
  intent: string;
  id: string;
  schoolId: string;
  subject: string;
  text: string;
  receivedOn: string;
  answer: string;
};

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const v: Values = texts(form, ["intent", "id", "schoolId", "subject", "text", "receivedOn", "answer"]);
  const c = context.trpc.admin.contract;
  if (v.intent === "reviewed") {
    const r = await runWs(context, () => c.markReviewed({ id: v.id }));
    return r.ok ? { done: "reviewed" } : refusedWith(r.response, v);
  }
  if (v.intent === "answer") {
    const r = await runWs(context, () => c.answerClaim({ id: v.id, answer: v.answer }));
    return r.ok ? { done: "answered" } : refusedWith(r.response, v);
  }
  const r = await runWs(context, () =>
    c.registerClaim({ schoolId: v.schoolId, subject: v.subject, text: v.text, receivedOn: v.receivedOn }),
  );
  return r.ok ? { done: "registered", number: r.value.number } : refusedWith(r.response, v);
}

type Done = { done: "reviewed" | "answered" | "registered"; number?: number };

export default function AdminClaims() {
  const { claims, schools, today, open } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Values> | Done | undefined;
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const fmt = useFormat();
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData ? actionData : null;
  const fe = refused?.error.fieldErrors ?? {};
  const v = refused?.values;
  const isReg = refused && v?.intent === "register";
  const err = (k: string) => (isReg ? fe[k] : undefined);
  return (
    <main className="ws-main">
      <h1>{t("contract:admin.title")}</h1>
      <p className="muted">{t("contract:claims.intro")}</p>
      {done ? <Notice>{t(`contract:admin.${done.done}`, { number: done.number ?? "" })}</Notice> : null}
      {refused && !isReg ? <FormAlert message={refused.error.message} /> : null}
      <p className="actions">
        {t("contract:admin.filter")}:{" "}
        {open ? (
          <strong>{t("contract:admin.filterOpen")}</strong>
        ) : (
          <Link to="?">{t("contract:admin.filterOpen")}</Link>
        )}
        {" · "}
        {!open ? (
          <strong>{t("contract:admin.filterAll")}</strong>
        ) : (
          <Link to="?all=1">{t("contract:admin.filterAll")}</Link>
        )}
        <span className="muted small"> {fmt.date(today)}</span>
      </p>
      <ClaimsTable
        claims={claims}
        dataClaim={(c) => `${c.schoolName}#${c.number}`}
        subject={(c) => (
          <>
            <span className="small muted">
              {c.schoolName} · {t("contract:claims.number")} {c.number}
            </span>
            <br />
            <strong>{c.subject}</strong> <span className="muted small">{t(`contract:sourceName.${c.source}`)}</span>
            <p className="small">{c.text.length > 300 ? `${c.text.slice(0, 300)}…` : c.text}</p>
          </>
        )}
        lastHead={<th></th>}
        last={(c) => (
          <td>
            {c.status === "open" ? (
              <>
                {!c.reviewedAt ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="reviewed" />
                    <input type="hidden" name="id" value={c.id} />
                    <button type="submit" disabled={busy}>
                      {t("contract:admin.markReviewed")}
                    </button>
                  </Form>
                ) : null}
                <details>
                  <summary>{t("contract:admin.sendAnswer")}</summary>
                  <Form method="post">
                    <input type="hidden" name="intent" value="answer" />
                    <input type="hidden" name="id" value={c.id} />
                    <label htmlFor={`a-${c.id}`}>{t("contract:admin.answerText")}</label>
                    <textarea id={`a-${c.id}`} name="answer" rows={5} required />
                    <button type="submit" className="primary" disabled={busy}>
                      {t("contract:admin.sendAnswer")}
                    </button>
                  </Form>
                </details>
              </>
            ) : null}
          </td>
        )}
      />

      <section className="card">
        <h2 className="first">{t("contract:admin.register")}</h2>
        <Form method="post" noValidate key={claims.length}>
          <input type="hidden" name="intent" value="register" />
          <FormAlert
            message={
              isReg && !["schoolId", "subject", "text", "receivedOn"].some((k) => fe[k]) ? refused.error.message : null
            }
          />
          <FieldBox htmlFor="r-school" label={t("contract:claims.school")} error={err("schoolId")}>
            <select id="r-school" name="schoolId" defaultValue={isReg ? v?.schoolId : ""}>
              <option value="">{t("contract:admin.chooseSchool")}</option>
              {schools.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.binIin})
                </option>
              ))}
            </select>
          </FieldBox>
          <FieldBox htmlFor="r-received" label={t("contract:admin.receivedOn")} error={err("receivedOn")}>
            <input
              id="r-received"
              name="receivedOn"
              type="date"
              max={today}
              required
              defaultValue={isReg ? v?.receivedOn : today}
            />
          </FieldBox>
          <FieldBox htmlFor="r-subject" label={t("contract:claims.subject")} error={err("subject")}>
            <input id="r-subject" name="subject" maxLength={200} required defaultValue={isReg ? v?.subject : ""} />
          </FieldBox>
          <TextAreaField
            id="r-text"
            label={t("contract:claims.text")}
            name="text"
            error={err("text")}
            rows={5}
            required
            defaultValue={isReg ? v?.text : ""}
          />
          <button type="submit" className="primary" disabled={busy}>
            {t("contract:claims.submit")}
          </button>
        </Form>
      </section>
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
