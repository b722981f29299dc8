import { Form, Link, useLocation } from "@remix-run/react";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { TraineeStatusBadge } from "~/components/StatusBadge.tsx";
import { DrivingProgress } from "./DrivingProgress.tsx";
import { useScoreText } from "~/components/exams/Reasons.tsx";
import { MoneyFacts } from "./MoneyFacts.tsx";
import { Instalments, type TuitionView } from "./Instalments.tsx";
import { Field, FormAlert, TextAreaField } from "~/components/Field.tsx";
import { Notice } from "~/components/Notice.tsx";
import { IntentButton } from "~/components/IntentButton.tsx";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../../domain/i18n/index.ts";
import { almatyTime, isoDay } from "../../../domain/kz/time.ts";
import { DRIVING_STATUSES } from "../../../domain/lessons.ts";
import { PriorTraining, type PriorCard, priorHours, usePriorExamText } from "./PriorTraining.tsx";

type Card = {
  status: string;
  /** the contract and its payments: absent for a role that doesn't see them (ADR 026) */
  contractPriceTiyn?: number;
  paidTiyn?: number;
  balanceTiyn?: number;
  payments?: { id: string; amountTiyn: number; paidOn: Date | string; note: string | null }[];
  /** the schedule of instalments against the payments (ADR 042), beside the contract */
  tuition?: TuitionView;
  progress: { doneMinutes: number; priorMinutes: number; requiredMinutes: number | null; theoryHours: number | null };
  prior: PriorCard;
  /** booked lessons still ahead */
  upcoming?: { id: string; startsAt: Date | string; endsAt: Date | string; instructor: string; plate: string }[];
  history: { seq: number; at: Date | string; kind: string; data: unknown; actor: string | null }[];
};

export type TrainingRefusal = {
  intent: string;
  error: { message: string; fieldErrors: Record<string, string> | null };
  /** what was typed into the form the server refused */
  values?: Record<string, string>;
} | null;

const NEXT: Record<string, string[]> = {
  applicant: ["enrolled", "expelled"],
  enrolled: ["training", "expelled", "transferred"],
  training: ["exams", "expelled", "transferred"],
  exams: ["graduated", "training", "expelled", "transferred"],
};

const hours = (minutes: number) => (Math.round((minutes / 60) * 10) / 10).toString().replace(".", ",");

/** Status, contract and payments, driving progress and the journal history on the trainee's page. */
export function TraineeTraining({
  traineeId,
  card,
  canWrite,
  refused,
  done,
  sending,
  today,
  paymentKey,
  cabinet,
}: {
  traineeId: string;
  card: Card;
  canWrite: boolean;
  refused: TrainingRefusal;
  /** what a form here has just done ("status", "payment", "paymentRepeated", "schedule"): said beside it */
  done: string | null;
  /** the intent of the form being sent now: its button waits */
  sending: string | null;
  /** today in Almaty: a payment is dated today unless said otherwise */
  today: string;
  /** the payment form's key: the same form sent twice records one payment */
  paymentKey: string;
  cabinet: { linked: boolean };
}) {
  const t = useT();
  const fmt = useFormat();
  const next = NEXT[card.status] ?? [];
  const err = (intent: string) => (refused?.intent === intent ? refused.error : null);
  const progress = card.progress;
  const { school } = useWorkspace();
  const location = useLocation();
  const here = location.pathname;
  return (
    <>
      <section className="card" id="status">
        <h2 className="first">{t("training:status.title")}</h2>
        <p>
          <TraineeStatusBadge status={card.status} />
        </p>
        {done === "status" ? <Notice>{t("training:status.changed")}</Notice> : null}
        {canWrite && next.length > 0 ? (
          // A new form for each status: its choices are the new status's next steps, the first one chosen.
          <Form key={card.status} method="post" className="inline-form" preventScrollReset>
            <input type="hidden" name="intent" value="status" />
            <FormAlert message={err("status")?.message} />
            <div className="field">
              <label htmlFor="f-to">{t("training:status.change")}</label>
              <select id="f-to" name="to" defaultValue={next[0]}>
                {next.map((s) => (
                  <option key={s} value={s}>
                    {t(`common:traineeStatus.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <Field
              name="reason"
              label={t("training:status.reason")}
              error={err("status")?.fieldErrors?.reason}
              hint={t("training:status.reasonHint")}
              maxLength={500}
            />
            <button type="submit" className="primary" disabled={sending === "status"}>
              {t("training:status.submit")}
            </button>
          </Form>
        ) : next.length === 0 ? (
          <p className="muted">{t("training:status.final")}</p>
        ) : null}
      </section>

      {card.contractPriceTiyn !== undefined &&
      card.paidTiyn !== undefined &&
      card.balanceTiyn !== undefined &&
      card.payments ? (
        <section className="card" id="contract">
          <h2 className="first">{t("training:contract.title")}</h2>
          <MoneyFacts price={card.contractPriceTiyn} paid={card.paidTiyn} balance={card.balanceTiyn} />
          {card.tuition ? (
            <div id="tuition">
              <h3>{t("training:tuition.title")}</h3>
              {done === "schedule" ? <Notice>{t("training:tuition.saved")}</Notice> : null}
              <Instalments tuition={card.tuition} />
              {canWrite && card.contractPriceTiyn > 0 ? (
                <details open={err("schedule") !== null || card.tuition.instalments.length === 0}>
                  <summary>{t("training:tuition.setTitle")}</summary>
                  <p className="muted small">{t("training:tuition.replaces")}</p>
                  <FormAlert message={err("schedule")?.message} />
                  <Form method="post" className="inline-form" preventScrollReset>
                    <input type="hidden" name="intent" value="schedule" />
                    <input type="hidden" name="kind" value="even" />
                    <Field
                      name="count"
                      type="number"
                      min={1}
                      max={36}
                      label={t("training:tuition.count")}
                      required
                      error={err("schedule")?.fieldErrors?.count}
                    />
                    <Field
                      name="firstDue"
                      type="date"
                      label={t("training:tuition.firstDue")}
                      required
                      error={err("schedule")?.fieldErrors?.firstDue}
                    />
                    <button type="submit" className="primary">
                      {t("training:tuition.split")}
                    </button>
                  </Form>
                  <Form method="post" preventScrollReset>
                    <input type="hidden" name="intent" value="schedule" />
                    <input type="hidden" name="kind" value="text" />
                    <TextAreaField
                      name="lines"
                      rows={4}
                      label={t("training:tuition.linesLabel")}
                      hint={t("training:tuition.linesHint")}
                      defaultValue={refused?.intent === "schedule" ? (refused.values?.lines ?? "") : ""}
                      error={err("schedule")?.fieldErrors?.lines}
                    />
                    <button type="submit" className="primary">
                      {t("training:tuition.saveLines")}
                    </button>
                  </Form>
                </details>
              ) : null}
            </div>
          ) : null}
          <h3>{t("training:contract.payments")}</h3>
          {card.payments.length === 0 ? (
            <p className="muted">{t("training:contract.noPayments")}</p>
          ) : (
            <ul className="history">
              {card.payments.map((p) => (
                <li key={p.id}>
                  {fmt.date(typeof p.paidOn === "string" ? p.paidOn : isoDay(p.paidOn))} — {formatTiyn(p.amountTiyn)}
                  {p.note ? ` (${p.note})` : ""}
                </li>
              ))}
            </ul>
          )}
          {done === "payment" || done === "paymentRepeated" ? (
            <Notice>{t(done === "payment" ? "training:contract.added" : "training:contract.repeated")}</Notice>
          ) : null}
          {canWrite ? (
            // Emptied once a payment is in (a new form for each count), so that nothing invites a second tap; a
            // refused one keeps what was typed. The key makes a second sending of the same form record nothing.
            <Form key={card.payments.length} method="post" className="inline-form" preventScrollReset>
              <input type="hidden" name="intent" value="payment" />
              <input type="hidden" name="submissionKey" value={paymentKey} />
              <FormAlert message={err("payment")?.message} />
              <Field
                name="amount"
                label={t("training:contract.amount")}
                inputMode="decimal"
                required
                hint={t("training:contract.amountHint")}
                error={err("payment")?.fieldErrors?.amountTiyn}
              />
              <Field
                name="paidOn"
                type="date"
                label={t("training:contract.paidOn")}
                defaultValue={today}
                max={today}
                required
                error={err("payment")?.fieldErrors?.paidOn}
              />
              <Field name="note" label={t("training:contract.note")} maxLength={300} />
              <button type="submit" className="primary" disabled={sending === "payment"}>
                {t("training:contract.addPayment")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      <section className="card" id="progress">
        <h2 className="first">{t("training:progress.title")}</h2>
        <DrivingProgress progress={progress} hours={hours} />
        {new URLSearchParams(location.search).get("booked") ? <Notice>{t("training:lessons.booked")}</Notice> : null}
        {canWrite && (DRIVING_STATUSES as readonly string[]).includes(card.status) ? (
          <p>
            <Link
              to={`/s/${school.slug}/lessons/book?traineeId=${traineeId}&back=${encodeURIComponent(here)}`}
              className="button secondary"
            >
              {t("training:lessons.book")}
            </Link>
          </p>
        ) : canWrite && card.status === "applicant" ? (
          <p className="muted small">{t("training:lessons.bookAfterEnrol")}</p>
        ) : null}
        {progress.priorMinutes > 0 ? (
          <p className="muted small">{t("training:progress.prior", { hours: hours(progress.priorMinutes) })}</p>
        ) : null}
        {progress.theoryHours !== null ? (
          <p className="muted">{t("training:progress.theory", { hours: progress.theoryHours })}</p>
        ) : null}
        {card.upcoming?.length ? (
          <>
            <h3>{t("training:progress.upcoming")}</h3>
            <ul className="plain-list upcoming-lessons" data-testid="upcoming-lessons">
              {card.upcoming.map((l) => (
                <li key={l.id}>
                  <strong>{`${fmt.date(l.startsAt)} ${almatyTime(new Date(l.startsAt))}–${almatyTime(new Date(l.endsAt))}`}</strong>{" "}
                  <span className="muted">{`${l.instructor} · ${l.plate}`}</span>
                  {canWrite ? (
                    <span className="upcoming-actions">
                      <Link to={`/s/${school.slug}/lessons/${l.id}/move?back=${encodeURIComponent(here)}`}>
                        {t("training:lessons.move")}
                      </Link>
                      <Link to={`/s/${school.slug}/lessons/${l.id}/cancel?back=${encodeURIComponent(here)}`}>
                        {t("training:lessons.cancel")}
                      </Link>
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <PriorTraining
        prior={card.prior}
        canWrite={canWrite}
        refused={err("prior")}
        values={refused?.intent === "prior" ? (refused.values ?? null) : null}
      />

      <section className="card" id="cabinet">
        <h2 className="first">{t("cabinet:invite.section")}</h2>
        {cabinet.linked ? (
          <p>{t("cabinet:invite.linked")}</p>
        ) : (
          <>
            <p className="muted">{t("cabinet:invite.notLinked")}</p>
            <FormAlert message={err("invite")?.message} />
            {canWrite ? (
              <IntentButton preventScrollReset intent="invite" buttonClassName="secondary">
                {t("cabinet:invite.send")}
              </IntentButton>
            ) : null}
          </>
        )}
      </section>

      <section className="card" id="history">
        <h2 className="first">{t("training:history.title")}</h2>
        {card.history.length === 0 ? (
          <p className="muted">{t("training:history.empty")}</p>
        ) : (
          <ol className="history">
            {card.history.map((h) => (
              <HistoryItem key={h.seq} entry={h} />
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

/** One journal entry in words: "Статус: Зачислен → Обучается — причина: …". */
export function useDescribeEntry() {
  const t = useT();
  const scoreText = useScoreText();
  const fmt = useFormat();
  const examText = usePriorExamText();
  return (kind: string, data: unknown) => {
    const d = (data ?? {}) as Record<string, unknown>;
    const exam = (v: unknown) => (v ?? null) as Parameters<typeof examText>[1];
    const params = {
      from: d.from ? t(`common:traineeStatus.${String(d.from)}`) : "",
      to: d.to ? t(`common:traineeStatus.${String(d.to)}`) : "",
      status: d.status ? t(`training:lessons.status.${String(d.status)}`) : "",
      when: typeof d.startsAt === "string" ? fmt.dateTime(d.startsAt) : "",
      // lesson.moved: when it was before.
      was:
        typeof (d.previous as { startsAt?: unknown } | undefined)?.startsAt === "string"
          ? fmt.dateTime((d.previous as { startsAt: string }).startsAt)
          : "",
      exam: d.exam ? t(`exams:kinds.${String(d.exam)}`) : "",
      attempt: String(d.attempt ?? ""),
      // Theory: right answers out of the questions; practical: penalty points against the most allowed.
      score: d.exam ? scoreText(String(d.exam), Number(d.score), Number(d.maxScore)) : "",
      result: d.passed === true ? t("exams:passedWord") : d.passed === false ? t("exams:failedWord") : "",
      number: String(d.displayNumber ?? ""),
      prior: kind.startsWith("adoption.")
        ? t("training:prior.summary", {
            startedOn: typeof d.startedOn === "string" ? fmt.date(d.startedOn) : t("training:prior.dash"),
            theory: priorHours(Number(d.theoryMinutes ?? 0)),
            driving: priorHours(Number(d.drivingMinutes ?? 0)),
            theoryExam: examText("theory", exam(d.theoryExam)),
            practicalExam: examText("practical", exam(d.practicalExam)),
          })
        : "",
    };
    // A cancellation names its reason from the list (lesson.cancelled: cancelReason and a note); the rest say it in words.
    const reason = d.cancelReason
      ? `${t(`training:lessons.cancelReasons.${String(d.cancelReason)}`)}${d.note ? ` — ${String(d.note)}` : ""}`
      : d.reason
        ? String(d.reason)
        : null;
    return `${t(`training:history.kinds.${kind}`, params)}${reason ? ` — ${t("training:history.reason", { reason })}` : ""}`;
  };
}

function HistoryItem({ entry }: { entry: Card["history"][number] }) {
  const t = useT();
  const fmt = useFormat();
  const describe = useDescribeEntry();
  return (
    <li>
      <div>{describe(entry.kind, entry.data)}</div>
      <div className="when">
        № {entry.seq} · {fmt.dateTime(entry.at)}
        {entry.actor ? ` · ${t("training:history.by", { name: entry.actor })}` : ""}
      </div>
    </li>
  );
}
