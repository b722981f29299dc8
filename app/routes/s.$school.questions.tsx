import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Field, FieldBox, FieldError, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { load, requireUser, runForm } from "~/lib/forms.server.ts";
import { useLocale, useT } from "~/lib/i18n.tsx";
import type { DescribedError } from "../../domain/errors.ts";

// The school's question bank: how many questions each category's online exam can draw from, the
// questions themselves, and a form to add or edit one (with a picture uploaded as a file).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHOW = ["active", "inactive", "all"] as const;
const SLOTS = 6;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const url = new URL(request.url);
  const showParam = url.searchParams.get("show");
  const show = SHOW.find((s) => s === showParam) ?? "active";
  const editParam = url.searchParams.get("edit") ?? "";
  const [bank, editing, retakeRules] = await load(context, () =>
    Promise.all([
      context.trpc.quiz.questions.list({ school, show }),
      UUID.test(editParam) ? context.trpc.quiz.questions.get({ school, id: editParam }) : Promise.resolve(null),
      context.trpc.quiz.rules({ school }),
    ]),
  );
  return {
    ...bank,
    show,
    editing,
    retakeRules,
    saved: url.searchParams.get("saved") === "1",
    /** how many sample questions the last press added (null: no press) */
    sampleAdded: url.searchParams.has("sample") ? Number(url.searchParams.get("sample")) || 0 : null,
    rulesSaved: url.searchParams.get("rules") === "saved",
  };
}

type Values = Record<string, string>;
type Refusal = { error: DescribedError; values: Values };

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const form = await request.formData();
  const v = (k: string) => (typeof form.get(k) === "string" ? String(form.get(k)) : "");
  const back = `/s/${school}/questions${v("show") && v("show") !== "active" ? `?show=${v("show")}&` : "?"}`;
  if (v("intent") === "rules") {
    const values = { intent: "rules", cooldownMinutes: v("cooldownMinutes"), dailyLimit: v("dailyLimit") };
    const r = await runForm(context, () =>
      context.trpc.quiz.saveRules({ school, cooldownMinutes: values.cooldownMinutes, dailyLimit: values.dailyLimit }),
    );
    if (!r.ok) return { error: r.error, values } satisfies Refusal;
    return redirect(`/s/${school}/questions?rules=saved#rules`);
  }
  if (v("intent") === "sample") {
    const r = await runForm(context, () => context.trpc.quiz.questions.addSample({ school }));
    return r.ok ? redirect(`/s/${school}/questions?sample=${r.value.added}#sample`) : r.response;
  }
  if (v("intent") === "active") {
    const r = await runForm(context, () =>
      context.trpc.quiz.questions.setActive({ school, id: v("id"), active: v("active") === "1" }),
    );
    return r.ok ? redirect(back.replace(/[?&]$/, "")) : r.response;
  }
  const values: Values = {};
  for (const [k, val] of form.entries()) if (typeof val === "string") values[k] = val;
  // Options typed in rows; empty rows are dropped and the chosen correct row is renumbered.
  const rows: { kk: string; ru: string; slot: number }[] = [];
  for (let i = 0; i < SLOTS; i++) {
    const kk = v(`o${i}kk`).trim();
    const ru = v(`o${i}ru`).trim();
    if (kk || ru) rows.push({ kk, ru, slot: i });
  }
  const correct = rows.findIndex((r) => String(r.slot) === v("correct"));
  const file = form.get("image");
  let imageBase64: string | undefined;
  if (file && typeof file !== "string" && file.size > 0)
    imageBase64 = Buffer.from(await file.arrayBuffer()).toString("base64");
  const input = {
    school,
    category: v("category"),
    textKk: v("textKk"),
    textRu: v("textRu"),
    options: rows.map(({ kk, ru }) => ({ kk, ru })),
    correct: correct < 0 ? "" : String(correct),
    imageBase64,
    removeImage: v("removeImage") === "on",
  };
  const id = v("id");
  const r = await runForm(context, () =>
    UUID.test(id) ? context.trpc.quiz.questions.update({ ...input, id }) : context.trpc.quiz.questions.create(input),
  );
  if (!r.ok) return { error: r.error, values } satisfies Refusal;
  return redirect(`${back}saved=1`);
}

export default function Questions() {
  const { questions, available, needed, show, editing, saved, retakeRules, rulesSaved, total, sample, sampleAdded } =
    useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>() as Refusal | undefined;
  // The retake rules' form and the question form answer separately.
  const rulesRefusal = refused?.values.intent === "rules" ? refused : undefined;
  const refusal = rulesRefusal ? undefined : refused;
  const { school } = useWorkspace();
  const t = useT();
  const locale = useLocale();
  const busy = useNavigation().state !== "idle";
  const base = `/s/${school.slug}/questions`;
  const fe = refusal?.error.fieldErrors ?? {};
  const fv = refusal?.values;
  // What the form shows: what was typed (after a refusal), else the question being edited, else empty.
  const val = (k: string): string => {
    if (fv) return fv[k] ?? "";
    if (!editing) return "";
    if (k === "textKk") return editing.textKk;
    if (k === "textRu") return editing.textRu;
    if (k === "category") return editing.category ?? "";
    if (k === "correct") return String(editing.correct);
    const m = k.match(/^o(\d)(kk|ru)$/);
    if (m) return editing.options[Number(m[1])]?.[m[2] as "kk" | "ru"] ?? "";
    return "";
  };
  const optionError = fe.options ?? Object.entries(fe).find(([k]) => k.startsWith("options."))?.[1];
  const formKey = `${editing?.id ?? "new"}-${refusal ? JSON.stringify(fv) : ""}`;
  return (
    <main className="ws-main quiz-bank">
      <h1>{t("quiz:bank.title")}</h1>
      <p className="muted">{t("quiz:bank.lead", { questions: needed })}</p>
      {total === 0 ? (
        <div className="alert" role="alert" data-testid="bank-empty">
          {t("quiz:bank.emptyBank")} <a href="#sample">{t("quiz:bank.sample.add")}</a>
        </div>
      ) : null}
      <SampleCard sample={sample} added={sampleAdded} busy={busy} />
      <section className="card">
        <h2 className="first">{t("quiz:bank.available")}</h2>
        <ul className="quiz-avail">
          {available.map((c) => (
            <li key={c.code} className={c.n >= needed ? "ok" : "bad"}>
              <strong>{c.code}</strong> {c.n} ·{" "}
              {c.n >= needed ? t("quiz:bank.enough") : t("quiz:bank.notEnough", { missing: needed - c.n })}
            </li>
          ))}
        </ul>
      </section>

      <RetakeRules rules={retakeRules} refusal={rulesRefusal} saved={rulesSaved} busy={busy} needed={needed} />

      {saved ? (
        <div className="notice" role="status">
          {t("quiz:bank.saved")}
        </div>
      ) : null}

      <section className="card" id="form">
        <h2 className="first">{editing ? t("quiz:bank.edit") : t("quiz:bank.add")}</h2>
        <FormAlert message={refusal?.error.message} />
        <Form method="post" encType="multipart/form-data" key={formKey}>
          {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
          <input type="hidden" name="show" value={show} />
          <div className={`field${fe.category ? " has-error" : ""}`}>
            <label htmlFor="f-category">{t("quiz:bank.category")}</label>
            <select id="f-category" name="category" defaultValue={val("category")}>
              <option value="">{t("quiz:bank.allCategories")}</option>
              {available.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.code}
                </option>
              ))}
            </select>
            {fe.category ? <small className="error">{fe.category}</small> : null}
          </div>
          {(["textKk", "textRu"] as const).map((k) => (
            <FieldBox key={k} htmlFor={`f-${k}`} label={t(`quiz:bank.${k}`)} error={fe[k]}>
              <textarea id={`f-${k}`} name={k} rows={2} defaultValue={val(k)} aria-invalid={!!fe[k]} />
            </FieldBox>
          ))}
          <fieldset className={`quiz-options-edit${optionError || fe.correct ? " has-error" : ""}`}>
            <legend>{t("quiz:bank.correct")}</legend>
            <small className="hint">{t("quiz:bank.optionsHint")}</small>
            {Array.from({ length: SLOTS }, (_, i) => (
              <div className="quiz-option-row" key={i}>
                <label className="quiz-radio">
                  <input
                    type="radio"
                    name="correct"
                    value={i}
                    defaultChecked={val("correct") === String(i)}
                    aria-label={t("quiz:bank.option", { n: i + 1 })}
                  />
                  <span>{i + 1}</span>
                </label>
                <input
                  name={`o${i}kk`}
                  defaultValue={val(`o${i}kk`)}
                  placeholder={t("quiz:bank.optionKk", { n: i + 1 })}
                  aria-label={t("quiz:bank.optionKk", { n: i + 1 })}
                />
                <input
                  name={`o${i}ru`}
                  defaultValue={val(`o${i}ru`)}
                  placeholder={t("quiz:bank.optionRu", { n: i + 1 })}
                  aria-label={t("quiz:bank.optionRu", { n: i + 1 })}
                />
              </div>
            ))}
            <FieldError message={optionError} />
            <FieldError message={fe.correct} />
          </fieldset>
          <FieldBox htmlFor="f-image" label={t("quiz:bank.image")} error={fe.image || fe.imageBase64}>
            {editing?.hasImage ? (
              <img
                className="quiz-thumb"
                src={`${base}/${editing.id}/image?v=${new Date(editing.updatedAt).getTime()}`}
                alt=""
              />
            ) : null}
            <input id="f-image" type="file" name="image" accept="image/png,image/jpeg,image/webp" />
          </FieldBox>
          {editing?.hasImage ? (
            <label className="check">
              <input type="checkbox" name="removeImage" /> {t("quiz:bank.removeImage")}
            </label>
          ) : null}
          <p>
            <button type="submit" className="primary" disabled={busy}>
              {t("quiz:bank.save")}
            </button>{" "}
            {editing ? (
              <Link to={base} className="button secondary">
                {t("quiz:bank.cancel")}
              </Link>
            ) : null}
          </p>
        </Form>
      </section>

      <nav className="quiz-tabs">
        {SHOW.map((s) => (
          <Link
            key={s}
            to={s === "active" ? base : `${base}?show=${s}`}
            className={s === show ? "here" : ""}
            aria-current={s === show ? "page" : undefined}
          >
            {t(`quiz:bank.show.${s}`)}
          </Link>
        ))}
        <span className="muted">{t("quiz:bank.count", { count: questions.length })}</span>
      </nav>
      {questions.length === 0 ? (
        <p className="muted">{t("quiz:bank.empty")}</p>
      ) : (
        <ol className="quiz-list">
          {questions.map((q) => (
            <li key={q.id} className={`card${q.active ? "" : " inactive"}`}>
              <div className="quiz-list-head">
                <span className="badge">{q.category ?? t("quiz:bank.allCategories")}</span>
                {q.hasImage ? <span className="badge">{t("quiz:bank.hasImage")}</span> : null}
                {q.fromSample ? <span className="badge">{t("quiz:bank.fromSample")}</span> : null}
                {q.active ? null : <span className="badge bad">{t("quiz:bank.inactive")}</span>}
              </div>
              {q.hasImage ? (
                <img
                  className="quiz-thumb"
                  src={`${base}/${q.id}/image?v=${new Date(q.updatedAt).getTime()}`}
                  alt=""
                  loading="lazy"
                />
              ) : null}
              <p className="quiz-text">{locale === "ru" ? q.textRu : q.textKk}</p>
              <ol className="quiz-opts">
                {q.options.map((o, i) => (
                  <li key={i} className={i === q.correct ? "right" : ""}>
                    {locale === "ru" ? o.ru : o.kk}
                    {i === q.correct ? (
                      <>
                        {" "}
                        — <strong>{t("quiz:bank.correctMark")}</strong>
                      </>
                    ) : null}
                  </li>
                ))}
              </ol>
              <div className="quiz-actions">
                <Link
                  to={`${base}?edit=${q.id}${show !== "active" ? `&show=${show}` : ""}#form`}
                  className="button small secondary"
                >
                  {t("quiz:bank.editLink")}
                </Link>
                <Form method="post">
                  <input type="hidden" name="intent" value="active" />
                  <input type="hidden" name="id" value={q.id} />
                  <input type="hidden" name="show" value={show} />
                  <input type="hidden" name="active" value={q.active ? "0" : "1"} />
                  <button type="submit" className={q.active ? "danger" : "small secondary"} disabled={busy}>
                    {t(q.active ? "quiz:bank.deactivate" : "quiz:bank.activate")}
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ol>
      )}
    </main>
  );
}

/**
 * The sample bank (traffic rules of Kazakhstan, kk/ru): offered while some of it is not in the school's
 * bank yet; after a press, says how many were added.
 */
function SampleCard({
  sample,
  added,
  busy,
}: {
  sample: { size: number; added: number };
  added: number | null;
  busy: boolean;
}) {
  const t = useT();
  if (added === null && sample.added >= sample.size) return null;
  return (
    <section className="card" id="sample">
      <h2 className="first">{t("quiz:bank.sample.title")}</h2>
      {added !== null ? (
        <Notice>{added > 0 ? t("quiz:bank.sample.added", { count: added }) : t("quiz:bank.sample.already")}</Notice>
      ) : null}
      {sample.added < sample.size ? (
        <>
          <p className="muted">{t("quiz:bank.sample.lead", { count: sample.size - sample.added })}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="sample" />
            <button type="submit" className="primary" disabled={busy}>
              {t("quiz:bank.sample.add")}
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}

/** The school's retake rules for the online exam (ADR 026): the director changes them, the rest of the staff read them. */
function RetakeRules({
  rules,
  refusal,
  saved,
  busy,
  needed,
}: {
  rules: { cooldownMinutes: number; dailyLimit: number };
  refusal?: Refusal;
  saved: boolean;
  busy: boolean;
  needed: number;
}) {
  const { school } = useWorkspace();
  const t = useT();
  const director = school.roles.includes("director");
  const fe = refusal?.error.fieldErrors ?? {};
  const value = (k: "cooldownMinutes" | "dailyLimit") => refusal?.values[k] ?? String(rules[k]);
  const ruleField = (name: "cooldownMinutes" | "dailyLimit", min: number, max: number) => (
    <Field
      name={name}
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      label={t(`quiz:bank.rules.${name}`)}
      defaultValue={value(name)}
      error={fe[name]}
      required
    />
  );
  return (
    <section className="card" id="rules">
      <h2 className="first">{t("quiz:bank.rules.title")}</h2>
      <p className="muted">{t("quiz:bank.rules.lead")}</p>
      {saved ? <Notice>{t("quiz:bank.rules.saved")}</Notice> : null}
      <FormAlert message={refusal?.error.message} />
      {!director ? <p className="muted">{t("quiz:bank.rules.directorOnly")}</p> : null}
      <Form
        method="post"
        noValidate
        key={refusal ? JSON.stringify(refusal.values) : `${rules.cooldownMinutes}-${rules.dailyLimit}`}
      >
        <input type="hidden" name="intent" value="rules" />
        <fieldset disabled={!director} className="plain-fieldset">
          <div className="grid2">
            {ruleField("cooldownMinutes", 0, 1440)}
            {ruleField("dailyLimit", 1, 20)}
          </div>
          {director ? (
            <button type="submit" className="primary" disabled={busy}>
              {t("common:save")}
            </button>
          ) : null}
        </fieldset>
      </Form>
      <p className="muted small">{t("quiz:bank.rules.bankHint", { suggested: needed * 3, questions: needed })}</p>
    </section>
  );
}

export const ErrorBoundary = ErrorPanel;
