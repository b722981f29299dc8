import { Form } from "@remix-run/react";
import { Field, FormAlert } from "~/components/Field.tsx";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { isoDayOrNull } from "../../../domain/kz/time.ts";

type Exam = { takenOn: string; score: number | null; maxScore: number | null } | null;
export type PriorCard = {
  startedOn: string | null;
  theoryMinutes: number;
  drivingMinutes: number;
  theoryExam: Exam;
  practicalExam: Exam;
  enteredAt: Date | string;
  enteredBy: string | null;
  correctedAt: Date | string | null;
  correctedBy: string | null;
} | null;

type Refusal = { message: string; fieldErrors: Record<string, string> | null } | null;

/** Minutes as hours with a decimal comma: 750 → "12,5". */
export const priorHours = (minutes: number) => (Math.round((minutes / 60) * 100) / 100).toString().replace(".", ",");

/** An exam passed before adoption in words: "сдан 14.03.2026, 35 из 40". */
export function usePriorExamText() {
  const t = useT();
  const fmt = useFormat();
  return (kind: "theory" | "practical", e: Exam) => {
    if (!e) return t("training:prior.notPassed");
    const date = fmt.date(e.takenOn);
    if (e.score === null || e.maxScore === null) return t("training:prior.passedOn", { date });
    const score = t(kind === "theory" ? "exams:results.scoreTheory" : "exams:results.scorePractical", {
      score: e.score,
      max: e.maxScore,
    });
    return t("training:prior.passedWithScore", { date, score });
  };
}

/** The card's "Before Avtomektep": what the office entered on adoption, who and when, and its form for writers. */
export function PriorTraining({
  prior,
  canWrite,
  refused,
  values,
}: {
  prior: PriorCard;
  canWrite: boolean;
  refused: Refusal;
  /** what was typed, when the server refused it */
  values: Record<string, string> | null;
}) {
  const t = useT();
  const fmt = useFormat();
  const examText = usePriorExamText();
  const errors = refused?.fieldErrors ?? {};
  const v = (name: string, stored: string) => values?.[name] ?? stored;
  const day = (d: string | null | undefined) => isoDayOrNull(d ? new Date(d) : null) ?? "";
  return (
    <section className="card" id="prior">
      <h2 className="first">{t("training:prior.title")}</h2>
      <p className="muted small">{t("training:prior.lead")}</p>
      {prior ? (
        <>
          <dl className="facts">
            <dt>{t("training:prior.startedOn")}</dt>
            <dd>{prior.startedOn ? fmt.date(day(prior.startedOn)) : t("training:prior.dash")}</dd>
            <dt>{t("training:prior.theoryHours")}</dt>
            <dd>{priorHours(prior.theoryMinutes)}</dd>
            <dt>{t("training:prior.drivingHours")}</dt>
            <dd>{priorHours(prior.drivingMinutes)}</dd>
            <dt>{t("training:prior.theoryExam")}</dt>
            <dd>
              {examText("theory", prior.theoryExam && { ...prior.theoryExam, takenOn: day(prior.theoryExam.takenOn) })}
            </dd>
            <dt>{t("training:prior.practicalExam")}</dt>
            <dd>
              {examText(
                "practical",
                prior.practicalExam && { ...prior.practicalExam, takenOn: day(prior.practicalExam.takenOn) },
              )}
            </dd>
          </dl>
          <p className="muted small" data-testid="prior-entered">
            {t("training:prior.entered", { by: prior.enteredBy ?? "—", date: fmt.date(prior.enteredAt) })}
            {prior.correctedAt
              ? ` · ${t("training:prior.corrected", { by: prior.correctedBy ?? "—", date: fmt.date(prior.correctedAt) })}`
              : ""}
          </p>
        </>
      ) : (
        <p className="muted">{t("training:prior.none")}</p>
      )}
      {canWrite ? (
        <details open={!!refused || !prior}>
          <summary>{t("training:prior.edit")}</summary>
          <Form method="post" className="inline-form" preventScrollReset>
            <input type="hidden" name="intent" value="prior" />
            <FormAlert message={refused?.message} />
            <Field
              name="startedOn"
              id="prior-startedOn"
              type="date"
              label={t("training:prior.startedOn")}
              defaultValue={v("startedOn", day(prior?.startedOn))}
              error={errors.startedOn}
            />
            <Field
              name="theoryHours"
              id="prior-theoryHours"
              inputMode="decimal"
              label={t("training:prior.theoryHours")}
              hint={t("training:prior.hoursHint")}
              defaultValue={v("theoryHours", prior ? priorHours(prior.theoryMinutes) : "")}
              error={errors.theoryHours}
            />
            <Field
              name="drivingHours"
              id="prior-drivingHours"
              inputMode="decimal"
              label={t("training:prior.drivingHours")}
              hint={t("training:prior.hoursHint")}
              defaultValue={v("drivingHours", prior ? priorHours(prior.drivingMinutes) : "")}
              error={errors.drivingHours}
            />
            <fieldset>
              <legend>{t("training:prior.theoryExam")}</legend>
              <Field
                name="theoryExamOn"
                id="prior-theoryExamOn"
                type="date"
                label={t("training:prior.examOn")}
                defaultValue={v("theoryExamOn", day(prior?.theoryExam?.takenOn))}
                error={errors.theoryExamOn}
              />
              <Field
                name="theoryExamScore"
                id="prior-theoryExamScore"
                inputMode="numeric"
                label={t("training:prior.theoryScore")}
                hint={t("training:prior.scoreHint")}
                defaultValue={v("theoryExamScore", prior?.theoryExam?.score?.toString() ?? "")}
                error={errors.theoryExamScore}
              />
            </fieldset>
            <fieldset>
              <legend>{t("training:prior.practicalExam")}</legend>
              <Field
                name="practicalExamOn"
                id="prior-practicalExamOn"
                type="date"
                label={t("training:prior.examOn")}
                defaultValue={v("practicalExamOn", day(prior?.practicalExam?.takenOn))}
                error={errors.practicalExamOn}
              />
              <Field
                name="practicalExamScore"
                id="prior-practicalExamScore"
                inputMode="numeric"
                label={t("training:prior.practicalScore")}
                hint={t("training:prior.scoreHint")}
                defaultValue={v("practicalExamScore", prior?.practicalExam?.score?.toString() ?? "")}
                error={errors.practicalExamScore}
              />
              <Field
                name="practicalExamMax"
                id="prior-practicalExamMax"
                inputMode="numeric"
                label={t("training:prior.practicalMax")}
                defaultValue={v("practicalExamMax", prior?.practicalExam?.maxScore?.toString() ?? "")}
                error={errors.practicalExamMax}
              />
            </fieldset>
            {prior ? (
              <Field
                name="reason"
                id="prior-reason"
                label={t("training:prior.reason")}
                hint={t("training:prior.reasonHint")}
                maxLength={500}
                defaultValue={v("reason", "")}
                error={errors.reason}
              />
            ) : null}
            <button type="submit" className="primary">
              {t("training:prior.submit")}
            </button>
          </Form>
        </details>
      ) : null}
    </section>
  );
}
