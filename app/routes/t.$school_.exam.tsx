import { useEffect, useState } from "react";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Header } from "~/components/Header.tsx";
import { FormAlert } from "~/components/Field.tsx";
import { formObject, load, requireUser, runForm } from "~/lib/forms.server.ts";
import { pageLocale, useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";
import type { DescribedError } from "../../domain/errors.ts";

// The online internal theory exam, phone first: one question per screen with big option buttons,
// the countdown from the server's remaining time (the browser only ticks it; the server decides),
// then the result and the review. Works without JavaScript: every answer is a submit button.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const url = new URL(request.url);
  const view = await load(context, () => context.trpc.quizCabinet.current({ school }));
  const reviewId = url.searchParams.get("review") ?? "";
  const review =
    !view.running && UUID.test(reviewId)
      ? await load(context, () => context.trpc.quizCabinet.review({ school, attemptId: reviewId }))
      : null;
  const total = view.running?.questions.length ?? 0;
  const q = Math.min(Math.max(0, Number(url.searchParams.get("q")) || 0), Math.max(0, total - 1));
  return { ...view, review, q, school, locale: context.ctx.locale };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("quiz:exam.title") },
];

type Refused = { error: DescribedError };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const form = formObject(await request.formData());
  const base = `/t/${school}/exam`;
  if (form.intent === "start") {
    const r = await runForm(context, () => context.trpc.quizCabinet.start({ school }));
    return r.ok ? redirect(base) : r.response;
  }
  const attemptId = String(form.attemptId ?? "");
  if (form.intent === "finish") {
    const r = await runForm(context, () => context.trpc.quizCabinet.finish({ school, attemptId }));
    return r.ok ? redirect(`${base}?review=${attemptId}`) : r.response;
  }
  const q = Number(form.q) || 0;
  const r = await runForm(context, () =>
    context.trpc.quizCabinet.answer({
      school,
      attemptId,
      questionId: String(form.questionId ?? ""),
      choice: Number(form.choice),
    }),
  );
  if (!r.ok) {
    // Time is up: the attempt is already finished with what was answered — show its result.
    if (
      r.error.status === 400 &&
      (await runForm(context, () => context.trpc.quizCabinet.current({ school }))).value?.running === null
    ) {
      return redirect(`${base}?review=${attemptId}`);
    }
    return r.response;
  }
  return redirect(`${base}?q=${Math.min(q + 1, 39)}`);
}

function useCountdown(seconds: number) {
  const [left, setLeft] = useState(seconds);
  const revalidator = useRevalidator();
  // biome-ignore lint/correctness/useExhaustiveDependencies: one timer per countdown; the revalidator changes identity on every render
  useEffect(() => {
    setLeft(seconds);
    const started = Date.now();
    const timer = setInterval(() => {
      const next = Math.max(0, seconds - Math.floor((Date.now() - started) / 1000));
      setLeft(next);
      if (next === 0) {
        clearInterval(timer);
        revalidator.revalidate(); // the server finishes the attempt and says so
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [seconds]);
  return left;
}

const mmss = (s: number) => `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;

export default function Exam() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <Header>
        <span className="ws-school-name">{t("quiz:exam.title")}</span>
      </Header>
      <main className="page narrow quiz-exam">{data.running ? <Running /> : data.review ? <Review /> : <Start />}</main>
    </>
  );
}

function Start() {
  const { rules, finished, school, nextAttemptAt, waitReason, retakeRules, bankSize } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>() as Refused | undefined;
  const t = useT();
  const fmt = useFormat();
  const busy = useNavigation().state !== "idle";
  // The school's bank cannot make an exam yet: say so before the press, not after.
  const noBank = bankSize !== null && bankSize < rules.questions;
  return (
    <>
      <p>
        <Link to={`/t/${school}`}>{t("quiz:exam.back")}</Link>
      </p>
      <h1>{t("quiz:exam.title")}</h1>
      <section className="card">
        <p className="first">{t("quiz:exam.rules", rules)}</p>
        {retakeRules ? (
          <p className="muted" data-testid="retake-rules">
            {retakeRules.cooldownMinutes > 0
              ? `${t("quiz:exam.cooldownRule", { minutes: retakeRules.cooldownMinutes })} `
              : ""}
            {t("quiz:exam.dailyRule", { count: retakeRules.dailyLimit })}
          </p>
        ) : null}
        {nextAttemptAt ? (
          <p className="banner-inline" role="status" data-testid="next-attempt">
            {t(waitReason === "dailyLimit" ? "quiz:exam.nextTomorrow" : "quiz:exam.nextAt", {
              at: fmt.dateTime(nextAttemptAt),
              date: fmt.date(nextAttemptAt),
            })}
          </p>
        ) : null}
        {noBank ? (
          <p className="banner-inline" role="status" data-testid="bank-short">
            {bankSize === 0
              ? t("quiz:exam.bankEmpty")
              : t("quiz:exam.bankSmall", { count: bankSize, needed: rules.questions })}
          </p>
        ) : null}
        <FormAlert message={refused?.error.message} />
        <Form method="post">
          <input type="hidden" name="intent" value="start" />
          <button type="submit" className="primary quiz-big" disabled={busy || !!nextAttemptAt || noBank}>
            {t("quiz:exam.start")}
          </button>
        </Form>
      </section>
      <section className="card">
        <h2 className="first">{t("quiz:exam.attempts")}</h2>
        {finished.length === 0 ? (
          <p className="muted">{t("quiz:exam.noAttempts")}</p>
        ) : (
          <ul className="history" data-testid="attempts">
            {finished.map((a) => (
              <li key={a.id}>
                {t("quiz:exam.attemptLine", { date: fmt.dateTime(a.startedAt), correct: a.correct, total: a.total })}{" "}
                <span className={`badge ${a.passed ? "ok" : "bad"}`}>
                  {t(a.passed ? "quiz:exam.passed" : "quiz:exam.failed")}
                </span>{" "}
                <Link to={`?review=${a.id}`}>{t("quiz:exam.review")}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function Running() {
  const { running, q, school } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>() as Refused | undefined;
  const t = useT();
  const locale = useLocale();
  const busy = useNavigation().state !== "idle";
  const attempt = running!;
  const left = useCountdown(attempt.remainingSeconds);
  const question = attempt.questions[q]!;
  const total = attempt.questions.length;
  const answers = attempt.answers as Record<string, number>;
  const chosen = answers[question.id];
  const unanswered = attempt.questions.filter((x) => answers[x.id] === undefined).length;
  return (
    <>
      <div className={`quiz-bar${left < 300 ? " low" : ""}`}>
        <span>{t("quiz:exam.question", { n: q + 1, total })}</span>
        <span className="quiz-timer" aria-live="off">
          <span className="muted">{t("quiz:exam.remaining")}</span> <strong data-testid="timer">{mmss(left)}</strong>
        </span>
      </div>
      {left === 0 ? (
        <div className="alert" role="alert">
          {t("quiz:exam.timeUp")}
        </div>
      ) : null}
      <FormAlert message={refused?.error.message} />
      <section className="card quiz-question">
        {question.hasImage ? (
          <img className="quiz-image" src={`/t/${school}/exam/image/${question.id}`} alt={t("quiz:exam.picture")} />
        ) : null}
        <p className="quiz-text">{locale === "ru" ? question.textRu : question.textKk}</p>
        <Form method="post" className="quiz-options">
          <input type="hidden" name="attemptId" value={attempt.id} />
          <input type="hidden" name="questionId" value={question.id} />
          <input type="hidden" name="q" value={q} />
          {question.options.map((o, i) => (
            <button
              key={i}
              type="submit"
              name="choice"
              value={i}
              disabled={busy || left === 0}
              className={`quiz-option${chosen === i ? " chosen" : ""}`}
              aria-pressed={chosen === i}
            >
              <span className="quiz-letter">{i + 1}</span> {locale === "ru" ? o.ru : o.kk}
            </button>
          ))}
        </Form>
      </section>
      <div className="pager">
        {q > 0 ? (
          <Link className="button secondary" to={`?q=${q - 1}`}>
            {t("quiz:exam.prev")}
          </Link>
        ) : (
          <span />
        )}
        {q < total - 1 ? (
          <Link className="button secondary" to={`?q=${q + 1}`}>
            {t("quiz:exam.next")}
          </Link>
        ) : (
          <span />
        )}
      </div>
      <nav className="quiz-grid" aria-label={t("quiz:exam.answered", { count: total - unanswered, total })}>
        {attempt.questions.map((x, i) => (
          <Link
            key={x.id}
            to={`?q=${i}`}
            className={`${answers[x.id] !== undefined ? "done" : ""}${i === q ? " here" : ""}`}
            aria-label={t("quiz:exam.goTo", { n: i + 1 })}
          >
            {i + 1}
          </Link>
        ))}
      </nav>
      <p className="muted">{t("quiz:exam.answered", { count: total - unanswered, total })}</p>
      <Form
        method="post"
        onSubmit={(e) => {
          if (unanswered > 0 && !confirm(t("quiz:exam.finishConfirm", { count: unanswered }))) e.preventDefault();
        }}
      >
        <input type="hidden" name="intent" value="finish" />
        <input type="hidden" name="attemptId" value={attempt.id} />
        <button type="submit" className="secondary quiz-big" disabled={busy}>
          {t("quiz:exam.finish")}
        </button>
      </Form>
    </>
  );
}

function Review() {
  const { review, school, rules } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const r = review!;
  // Only the trainee's own answers come back with the correct option (ADR 026); blanks stay secret.
  const wrong = r.questions.filter((q) => q.right === false);
  const blank = r.questions.length - r.answered;
  const text = (o: { kk: string; ru: string } | undefined) =>
    o ? (locale === "ru" ? o.ru : o.kk) : t("quiz:exam.noAnswer");
  return (
    <>
      <p>
        <Link to={`/t/${school}`}>{t("quiz:exam.back")}</Link>
      </p>
      <h1>{t("quiz:exam.review")}</h1>
      <section className={`card quiz-result ${r.passed ? "ok" : "bad"}`} data-testid="result">
        <p className="quiz-score first">{t("quiz:exam.result", { correct: r.correct, total: r.total })}</p>
        <p>
          <span className={`badge ${r.passed ? "ok" : "bad"}`}>
            {t(r.passed ? "quiz:exam.passed" : "quiz:exam.failed")}
          </span>{" "}
          <span className="muted">{t("quiz:exam.passMark", { pass: rules.pass })}</span>
        </p>
        <p className="muted">{t("quiz:exam.answered", { count: r.answered, total: r.total })}</p>
        <Link className="button secondary" to={`/t/${school}/exam`}>
          {t("quiz:exam.newAttempt")}
        </Link>
      </section>
      {blank > 0 ? (
        <p className="card muted" data-testid="blank-note">
          {t("quiz:exam.blankNote", { count: blank })}
        </p>
      ) : null}
      <h2>
        {wrong.length
          ? t("quiz:exam.wrong", { count: wrong.length })
          : r.answered
            ? t("quiz:exam.noWrong")
            : t("quiz:exam.nothingAnswered")}
      </h2>
      {wrong.map((q) => (
        <section className="card quiz-review" key={q.id}>
          {q.hasImage ? (
            <img className="quiz-image" src={`/t/${school}/exam/image/${q.id}`} alt={t("quiz:exam.picture")} />
          ) : null}
          <p className="quiz-text first">{locale === "ru" ? q.textRu : q.textKk}</p>
          <p className="quiz-wrong">
            <span className="muted">{t("quiz:exam.yourAnswer")}:</span>{" "}
            {text(q.chosen === null ? undefined : q.options[q.chosen])}
          </p>
          <p className="quiz-right">
            <span className="muted">{t("quiz:exam.correctAnswer")}:</span>{" "}
            {text(q.correct === null ? undefined : q.options[q.correct])}
          </p>
        </section>
      ))}
    </>
  );
}

export { MaintenanceAwareErrorBoundary as ErrorBoundary } from "~/components/MaintenancePage.tsx";
