// Offer versions: publish a new one with at least 7 full calendar days' notice (10.2–10.4), see how far
// its notice went out and was read, and answer the schools' written disagreements. A new version starts
// from the latest published text in both languages (a short paste cannot replace the whole offer by
// accident), and is published only from its preview: each language's changed lines against that version,
// with an explicit tick that they were checked.
import { Table } from "~/components/Table.tsx";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Field, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import type { Caller } from "../../server/api.ts";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadWs(context, () => context.trpc.admin.notices.offers());
}

type Values = Record<string, string>;
const DRAFT = ["textKk", "textRu", "summaryKk", "summaryRu", "effectiveFrom"] as const;

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const intent = text(form, "intent");
  if (intent === "answer") {
    const values = { id: text(form, "id"), answer: text(form, "answer") };
    const r = await runWs(context, () => context.trpc.admin.notices.answerDisagreement(values));
    return r.ok ? { done: "answered" } : refusedWith(r.response, values);
  }
  const values: Values = Object.fromEntries(DRAFT.map((k) => [k, text(form, k)]));
  const draft = {
    textKk: values.textKk!,
    textRu: values.textRu!,
    summaryKk: values.summaryKk!,
    summaryRu: values.summaryRu!,
    effectiveFrom: values.effectiveFrom!,
  };
  const preview = async () => {
    const r = await runWs(context, () => context.trpc.admin.notices.previewOffer(draft));
    return r.ok ? { preview: r.value, values } : refusedWith(r.response, values);
  };
  if (intent !== "publish") return preview();
  // Published only from the preview's form, with its tick: anything else goes back to the preview.
  const baseVersion = text(form, "baseVersion");
  if (text(form, "checked") !== "yes" || !/^\d+$/.test(baseVersion)) return { ...(await preview()), unchecked: true };
  const r = await runWs(context, () =>
    context.trpc.admin.notices.publishOffer({ ...draft, baseVersion: Number(baseVersion) }),
  );
  return r.ok ? { done: "published", version: r.value.version } : refusedWith(r.response, values);
}

type Preview = { preview: Awaited<ReturnType<Caller["admin"]["notices"]["previewOffer"]>>; values: Values };

function Area({
  name,
  label,
  refused,
  initial,
}: {
  name: string;
  label: string;
  refused: Refused<Values> | null;
  initial: string | undefined;
}) {
  const err = refused?.error.fieldErrors?.[name];
  return (
    <div className={`field${err ? " has-error" : ""}`}>
      <label htmlFor={`f-${name}`}>{label}</label>
      <textarea
        id={`f-${name}`}
        name={name}
        rows={name.startsWith("text") ? 14 : 3}
        defaultValue={refused?.values[name] ?? initial}
      />
      {err ? <small className="error">{err}</small> : null}
    </div>
  );
}

/** One language's changes: removed and added lines, two unchanged ones around each change, the rest folded. */
function DiffView({ title, lines, testId }: { title: string; lines: Preview["preview"]["kk"]; testId: string }) {
  const t = useT();
  const added = lines.filter((l) => l.op === "added").length;
  const removed = lines.filter((l) => l.op === "removed").length;
  return (
    <section className="offer-diff-lang" data-testid={testId}>
      <h3>
        {title}{" "}
        <span className="muted small">
          {added + removed === 0 ? t("notices:admin.diffSame") : t("notices:admin.diffStats", { added, removed })}
        </span>
      </h3>
      {added + removed > 0 ? (
        <div className="offer-diff">
          {lines.map((l, i) =>
            l.op === "gap" ? (
              <div key={i} className="diff-gap">
                {t("notices:admin.diffGap", { count: l.lines })}
              </div>
            ) : (
              <div key={i} className={`diff-${l.op}`}>
                <span className="diff-sign" aria-hidden="true">
                  {l.op === "added" ? "+" : l.op === "removed" ? "−" : " "}
                </span>
                {l.op === "added" ? (
                  <ins>{l.text || " "}</ins>
                ) : l.op === "removed" ? (
                  <del>{l.text || " "}</del>
                ) : (
                  <span>{l.text || " "}</span>
                )}
              </div>
            ),
          )}
        </div>
      ) : null}
    </section>
  );
}

export default function AdminOffers() {
  const { versions, disagreements, earliest, latest } = useLoaderData<typeof loader>();
  const actionData = useActionData() as
    | (Refused<Values> & { done?: undefined })
    | { done: string; version?: number }
    | (Preview & { unchecked?: boolean })
    | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const locale = useLocale();
  const refused = actionData && "error" in actionData ? (actionData as Refused<Values>) : null;
  const done = actionData && "done" in actionData && actionData.done && navigation.state === "idle" ? actionData : null;
  const publishRefused = refused && !("answer" in refused.values) ? refused : null;
  const previewed = actionData && "preview" in actionData ? actionData : null;
  // The editor shows what was last sent (refused or previewed), else the latest published text.
  const draft = publishRefused?.values ?? previewed?.values;
  const initial = (name: string) =>
    draft?.[name] ?? (name === "textKk" ? latest?.textKk : name === "textRu" ? latest?.textRu : undefined);
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
      {previewed ? (
        <section className="card" id="preview" data-testid="offer-preview">
          <h2 className="first">
            {t("notices:admin.previewTitle", {
              version: previewed.preview.baseVersion + 1,
              base: previewed.preview.baseVersion,
            })}
          </h2>
          <p className="muted">{t("notices:admin.previewIntro")}</p>
          <DiffView title={t("notices:admin.textKk")} lines={previewed.preview.kk} testId="diff-kk" />
          <DiffView title={t("notices:admin.textRu")} lines={previewed.preview.ru} testId="diff-ru" />
          {previewed.unchecked ? <FormAlert message={t("notices:admin.confirmRequired")} /> : null}
          <Form method="post" className="offer-confirm">
            <input type="hidden" name="intent" value="publish" />
            <input type="hidden" name="baseVersion" value={previewed.preview.baseVersion} />
            {DRAFT.map((k) => (
              <input key={k} type="hidden" name={k} value={previewed.values[k] ?? ""} />
            ))}
            <label className="check">
              <input type="checkbox" name="checked" value="yes" required />{" "}
              {t("notices:admin.confirm", {
                version: previewed.preview.baseVersion + 1,
                date: fmt.date(previewed.values.effectiveFrom ?? earliest),
              })}
            </label>
            <p className="toolbar">
              <button type="submit" className="button">
                {t("notices:admin.publish")}
              </button>
              <a href="#editor" className="button secondary">
                {t("notices:admin.backToEdit")}
              </a>
            </p>
          </Form>
        </section>
      ) : null}
      <section className="card" id="editor">
        <h2 className="first">{t("notices:admin.publishTitle")}</h2>
        <p className="muted">{t("notices:admin.publishIntro", { date: fmt.date(earliest) })}</p>
        {latest ? <p className="muted">{t("notices:admin.editorIntro", { version: latest.version })}</p> : null}
        {publishRefused ? <FormAlert message={publishRefused.error.message} /> : null}
        <Form method="post">
          <input type="hidden" name="intent" value="preview" />
          <Area name="textKk" label={t("notices:admin.textKk")} refused={publishRefused} initial={initial("textKk")} />
          <Area name="textRu" label={t("notices:admin.textRu")} refused={publishRefused} initial={initial("textRu")} />
          <Area
            name="summaryKk"
            label={t("notices:admin.summaryKk")}
            refused={publishRefused}
            initial={initial("summaryKk")}
          />
          <Area
            name="summaryRu"
            label={t("notices:admin.summaryRu")}
            refused={publishRefused}
            initial={initial("summaryRu")}
          />
          <Field
            label={t("notices:admin.effectiveFrom")}
            name="effectiveFrom"
            type="date"
            min={earliest}
            defaultValue={initial("effectiveFrom") ?? earliest}
            error={publishRefused?.error.fieldErrors?.effectiveFrom}
          />
          <button type="submit" className="button">
            {t("notices:admin.preview")}
          </button>
        </Form>
      </section>
      <section className="card">
        <h2 className="first">{t("notices:admin.disagreements")}</h2>
        {disagreements.length === 0 ? <p className="muted">{t("notices:admin.noDisagreements")}</p> : null}
        <ul className="plain-list">
          {disagreements.map((d) => (
            <li key={d.id} id={`disagreement-${d.id}`} data-testid="disagreement">
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
