// Offer versions: publish a new one with at least 7 full calendar days' notice (10.2–10.4), see how far
// its notice went out and was read, and answer the schools' written disagreements.
import { Table } from "~/components/Table.tsx";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Field, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadWs(context, () => context.trpc.admin.notices.offers());
}

type Values = Record<string, string>;

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  if (text(form, "intent") === "answer") {
    const values = { id: text(form, "id"), answer: text(form, "answer") };
    const r = await runWs(context, () => context.trpc.admin.notices.answerDisagreement(values));
    return r.ok ? { done: "answered" } : refusedWith(r.response, values);
  }
  const values = {
    textKk: text(form, "textKk"),
    textRu: text(form, "textRu"),
    summaryKk: text(form, "summaryKk"),
    summaryRu: text(form, "summaryRu"),
    effectiveFrom: text(form, "effectiveFrom"),
  };
  const r = await runWs(context, () => context.trpc.admin.notices.publishOffer(values));
  return r.ok ? { done: "published", version: r.value.version } : refusedWith(r.response, values);
}

function Area({ name, label, refused }: { name: string; label: string; refused: Refused<Values> | null }) {
  const err = refused?.error.fieldErrors?.[name];
  return (
    <div className={`field${err ? " has-error" : ""}`}>
      <label htmlFor={`f-${name}`}>{label}</label>
      <textarea
        id={`f-${name}`}
        name={name}
        rows={name.startsWith("text") ? 8 : 3}
        defaultValue={refused?.values[name]}
      />
      {err ? <small className="error">{err}</small> : null}
    </div>
  );
}

export default function AdminOffers() {
  const { versions, disagreements, earliest } = useLoaderData<typeof loader>();
  const actionData = useActionData() as
    | (Refused<Values> & { done?: undefined })
    | { done: string; version?: number }
    | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const locale = useLocale();
  const refused = actionData && "error" in actionData ? (actionData as Refused<Values>) : null;
  const done = actionData && "done" in actionData && actionData.done && navigation.state === "idle" ? actionData : null;
  const publishRefused = refused && !("answer" in refused.values) ? refused : null;
  return (
    <main className="ws-main">
      <h1>{t("notices:admin.offersTitle")}</h1>
      {done ? (
        <div className="banner-inline" role="status">
          {done.done === "published"
            ? t("notices:admin.published", { version: done.version ?? "" })
            : t("notices:admin.answered")}
        </div>
      ) : null}
      <Table
        rows={versions}
        className="table"
        labels="notices:admin"
        columns={["version", "publishedAt", "effectiveFrom", "fanout", ""]}
        row={(v) => (
          <tr key={v.id}>
            <td>{v.version}</td>
            <td>{fmt.dateTime(v.publishedAt)}</td>
            <td>{fmt.date(v.effectiveFrom)}</td>
            <td>
              {v.fannedOutAt
                ? t("notices:admin.readCount", { read: v.read, total: v.recipients })
                : v.announced
                  ? t("notices:admin.fanoutPending")
                  : "—"}
            </td>
            <td className="muted">{(locale === "kk" ? v.summaryKk : v.summaryRu) ?? ""}</td>
          </tr>
        )}
      />
      <section className="card">
        <h2 className="first">{t("notices:admin.publishTitle")}</h2>
        <p className="muted">{t("notices:admin.publishIntro", { date: fmt.date(earliest) })}</p>
        {publishRefused ? <FormAlert message={publishRefused.error.message} /> : null}
        <Form method="post">
          <input type="hidden" name="intent" value="publish" />
          <Area name="textKk" label={t("notices:admin.textKk")} refused={publishRefused} />
          <Area name="textRu" label={t("notices:admin.textRu")} refused={publishRefused} />
          <Area name="summaryKk" label={t("notices:admin.summaryKk")} refused={publishRefused} />
          <Area name="summaryRu" label={t("notices:admin.summaryRu")} refused={publishRefused} />
          <Field
            label={t("notices:admin.effectiveFrom")}
            name="effectiveFrom"
            type="date"
            min={earliest}
            defaultValue={publishRefused?.values.effectiveFrom ?? earliest}
            error={publishRefused?.error.fieldErrors?.effectiveFrom}
          />
          <button type="submit" className="button">
            {t("notices:admin.publish")}
          </button>
        </Form>
      </section>
      <section className="card">
        <h2 className="first">{t("notices:admin.disagreements")}</h2>
        {disagreements.length === 0 ? <p className="muted">{t("notices:admin.noDisagreements")}</p> : null}
        <ul className="plain-list">
          {disagreements.map((d) => (
            <li key={d.id} data-testid="disagreement">
              <strong>{d.school}</strong> · {t("notices:admin.version")} {d.version} · {t("notices:admin.received")}{" "}
              {fmt.dateTime(d.createdAt)}
              <p>{d.text}</p>
              {d.answer ? (
                <p>
                  {t("notices:admin.answer")}: {d.answer} ({fmt.dateTime(d.answeredAt!)})
                </p>
              ) : (
                <Form method="post">
                  <input type="hidden" name="intent" value="answer" />
                  <input type="hidden" name="id" value={d.id} />
                  <div className="field">
                    <label htmlFor={`a-${d.id}`}>{t("notices:admin.answer")}</label>
                    <textarea id={`a-${d.id}`} name="answer" rows={3} />
                  </div>
                  <button type="submit" className="button">
                    {t("notices:admin.sendAnswer")}
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
