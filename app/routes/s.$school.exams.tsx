import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormCard } from "~/components/FormCard.tsx";
import { Notice } from "~/components/Notice.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Field, FieldBox, FormAlert, RequiredSelect } from "~/components/Field.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { PassBadge, useScoreText } from "~/components/exams/Reasons.tsx";
import { load, readSchoolForm, requireUser, runForm } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { hasRole, RESULT_WRITERS } from "../../domain/roles.ts";
import { isoDay } from "../../domain/kz/time.ts";
import type { DescribedError } from "../../domain/errors.ts";
import { loadWorkspace } from "~/components/workspace/forms.server.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const traineeParam = new URL(request.url).searchParams.get("trainee") ?? "";
  const traineeId = UUID.test(traineeParam) ? traineeParam : undefined;
  const { roles } = await loadWorkspace(context, school).then((w) => w.school);
  const writer = hasRole(roles, RESULT_WRITERS);
  const [results, options] = await load(context, () =>
    Promise.all([
      context.trpc.exams.results({ school, traineeId }),
      writer ? context.trpc.exams.options({ school }) : Promise.resolve(null),
    ]),
  );
  return { results, options, traineeId: traineeId ?? null };
}

type Values = Record<string, string>;
type Refusal = { intent: string; resultId?: string; error: DescribedError; values: Values };
type Done = { done: "enter"; attempt: number; passed: boolean } | { done: "correct" };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { v, school, intent } = await readSchoolForm(context, request, params);
  if (intent === "correct") {
    const values = {
      resultId: v("resultId"),
      score: v("score"),
      maxScore: v("maxScore"),
      note: v("note"),
      reason: v("reason"),
    };
    const r = await runForm(context, () => context.trpc.exams.correctResult({ school, ...values }));
    return r.ok
      ? ({ done: "correct" } satisfies Done)
      : ({ intent, resultId: values.resultId, error: r.error, values } satisfies Refusal);
  }
  const values = {
    traineeId: v("traineeId"),
    kind: v("kind"),
    score: v("score"),
    maxScore: v("maxScore"),
    note: v("note"),
  };
  // The form sends text; the server's schema reads whole numbers from it and says which field is wrong.
  const r = await runForm(context, () =>
    context.trpc.exams.enterResult({ school, ...values, kind: values.kind as "theory" }),
  );
  return r.ok
    ? ({ done: "enter", attempt: r.value.attempt, passed: r.value.passed } satisfies Done)
    : ({ intent: "enter", error: r.error, values } satisfies Refusal);
}

type Result = Awaited<ReturnType<typeof loader>>["results"][number];

export default function Exams() {
  const { results, options, traineeId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as Refusal | Done | undefined;
  const refusal = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData ? actionData : null;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const t = useT();
  const base = `/s/${school.slug}/exams`;
  const enterError = refusal?.intent === "enter" ? refusal.error : null;
  const ev = refusal?.intent === "enter" ? refusal.values : ({ traineeId: traineeId ?? "" } as Values);
  const focus = traineeId ? results[0]?.trainee : null;
  return (
    <main className="ws-main">
      <h1>{t("exams:results.title")}</h1>
      <p className="muted">{t("exams:results.lead")}</p>
      {done && navigation.state === "idle" ? (
        <Notice>
          {done.done === "enter"
            ? t("exams:results.saved", {
                attempt: done.attempt,
                result: done.passed ? t("exams:results.passed") : t("exams:results.failed"),
              })
            : t("exams:results.corrected")}
        </Notice>
      ) : null}

      {options ? (
        <FormCard
          title={t("exams:results.enter")}
          submitLabel={t("exams:results.submit")}
          intent="enter"
          message={enterError?.message}
          ready={options.trainees.length > 0 && options.kinds.length > 0}
          noOptions={t("exams:results.noTrainees")}
        >
          <RequiredSelect
            name="traineeId"
            label={t("exams:results.trainee")}
            value={ev.traineeId}
            error={enterError?.fieldErrors?.traineeId}
            choose={t("exams:results.choose")}
            options={options.trainees.map((o) => [o.id, `${o.lastName} ${o.firstName} · ${o.category}`])}
          />
          <FieldBox htmlFor="f-kind" label={t("exams:results.kind")} error={enterError?.fieldErrors?.kind}>
            <select id="f-kind" name="kind" defaultValue={ev.kind ?? options.kinds[0]} required>
              {options.kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`exams:kinds.${k}`)}
                </option>
              ))}
            </select>
          </FieldBox>
          <Field
            name="score"
            type="number"
            inputMode="numeric"
            min={0}
            max={1000}
            required
            label={t("exams:results.score")}
            hint={t("exams:results.scoreHint", { questions: options.rules.theoryQuestions })}
            defaultValue={ev.score}
            error={enterError?.fieldErrors?.score}
          />
          {options.kinds.includes("practical") ? (
            <Field
              name="maxScore"
              type="number"
              inputMode="numeric"
              min={1}
              max={1000}
              label={t("exams:results.maxScore")}
              hint={t("exams:results.maxScoreHint", { max: options.rules.practicalMaxPenalty })}
              placeholder={String(options.rules.practicalMaxPenalty)}
              defaultValue={ev.maxScore}
              error={enterError?.fieldErrors?.maxScore}
            />
          ) : null}
          <Field
            name="note"
            label={t("exams:results.note")}
            maxLength={500}
            defaultValue={ev.note}
            error={enterError?.fieldErrors?.note}
          />
        </FormCard>
      ) : null}

      <h2>
        {focus ? t("exams:results.listFor", { name: `${focus.lastName} ${focus.firstName}` }) : t("exams:results.list")}
      </h2>
      {traineeId ? (
        <p>
          <Link to={base}>{t("exams:results.allResults")}</Link>
        </p>
      ) : null}
      {results.length === 0 ? (
        <p className="muted">{t("exams:results.none")}</p>
      ) : (
        <div className="exam-list">
          {results.map((r) => (
            <ResultCard
              key={r.id}
              result={r}
              base={base}
              canCorrect={!!options?.kinds.includes(r.kind) && r.source !== "adoption"}
              showTrainee={!traineeId}
              refusal={refusal?.intent === "correct" && refusal.resultId === r.id ? refusal : null}
            />
          ))}
        </div>
      )}
    </main>
  );
}

function ResultCard({
  result: r,
  base,
  canCorrect,
  showTrainee,
  refusal,
}: {
  result: Result;
  base: string;
  canCorrect: boolean;
  showTrainee: boolean;
  refusal: Refusal | null;
}) {
  const t = useT();
  const fmt = useFormat();
  const score = useScoreText();
  const cv = refusal?.values ?? {};
  return (
    <article className="card exam-card" data-testid="exam-result">
      <div className="exam-head">
        <div>
          {showTrainee && r.trainee ? (
            <div>
              <Link to={`${base.replace(/\/exams$/, "")}/trainees/${r.traineeId}`}>
                <strong>
                  {r.trainee.lastName} {r.trainee.firstName}
                </strong>
              </Link>{" "}
              · {r.trainee.category} ·{" "}
              <Link to={`${base}?trainee=${r.traineeId}`} className="small">
                {t("exams:results.history")}
              </Link>
            </div>
          ) : null}
          <div>
            {t(`exams:kinds.${r.kind}`)} · {t("exams:results.cols.attempt")} {r.attempt} ·{" "}
            {r.score !== null && r.maxScore !== null ? `${score(r.kind, r.score, r.maxScore)} ` : null}
            <PassBadge passed={r.passed} />
          </div>
          {r.note ? <div className="muted small">{r.note}</div> : null}
          {r.source === "adoption" && r.takenOn ? (
            <div className="muted small">
              {t("exams:results.adopted", {
                date: fmt.date(isoDay(new Date(r.takenOn))),
                by: r.enteredBy ?? "—",
                at: fmt.date(r.enteredAt),
              })}
            </div>
          ) : (
            <div className="muted small">
              {t("exams:results.cols.entered")}:{" "}
              {t("exams:results.entered", { at: fmt.dateTime(r.enteredAt), by: r.enteredBy ?? "—" })}
            </div>
          )}
        </div>
      </div>
      {r.corrections.length ? (
        <div className="exam-corrections">
          <strong className="small">{t("exams:results.corrections")}</strong>
          <ol className="history">
            {r.corrections.map((c, i) => (
              <li key={i}>
                <div>
                  {t("exams:results.correctionLine", {
                    old: `${score(r.kind, c.old.score, c.old.maxScore)} (${c.old.passed ? t("exams:results.passed") : t("exams:results.failed")})`,
                    new: `${score(r.kind, c.new.score, c.new.maxScore)} (${c.new.passed ? t("exams:results.passed") : t("exams:results.failed")})`,
                  })}
                </div>
                <div className="when">
                  {t("exams:results.correctionBy", { at: fmt.dateTime(c.at), by: c.by ?? "—", reason: c.reason })}
                </div>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      {canCorrect ? (
        <details className="exam-correct" open={!!refusal}>
          <summary>{t("exams:results.correct")}</summary>
          <Form method="post" className="inline-form" preventScrollReset>
            <input type="hidden" name="intent" value="correct" />
            <input type="hidden" name="resultId" value={r.id} />
            <FormAlert message={refusal?.error.message} />
            <Field
              name="score"
              id={`score-${r.id}`}
              type="number"
              inputMode="numeric"
              min={0}
              max={1000}
              required
              label={t("exams:results.newScore")}
              defaultValue={cv.score ?? String(r.score)}
              error={refusal?.error.fieldErrors?.score}
            />
            {r.kind === "practical" ? (
              <Field
                name="maxScore"
                id={`max-${r.id}`}
                type="number"
                inputMode="numeric"
                min={1}
                max={1000}
                label={t("exams:results.maxScore")}
                defaultValue={cv.maxScore ?? String(r.maxScore)}
                error={refusal?.error.fieldErrors?.maxScore}
              />
            ) : null}
            <Field
              name="note"
              id={`note-${r.id}`}
              label={t("exams:results.note")}
              maxLength={500}
              defaultValue={cv.note ?? r.note ?? ""}
            />
            <Field
              name="reason"
              id={`reason-${r.id}`}
              label={t("exams:results.reason")}
              required
              maxLength={500}
              defaultValue={cv.reason}
              error={refusal?.error.fieldErrors?.reason}
            />
            <button type="submit" className="primary">
              {t("exams:results.submitCorrection")}
            </button>
          </Form>
        </details>
      ) : null}
    </article>
  );
}

export const ErrorBoundary = ErrorPanel;
