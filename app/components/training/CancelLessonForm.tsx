import { Form, Link } from "@remix-run/react";
import { Field, FieldError, FormAlert } from "~/components/Field.tsx";
import { useT } from "~/lib/i18n.tsx";
import type { CancelReason } from "../../../domain/lessons.ts";

/**
 * The confirm step of cancelling a driving lesson: which lesson, why (one of the list, required), an
 * optional note the trainee's notice repeats, then "yes, cancel" or back. A page of its own, so it works
 * without JavaScript and one tap never cancels a lesson.
 */
export function CancelLessonForm({
  lead,
  reasons,
  back,
  hidden,
  values,
  error,
  busy,
  noteHint,
}: {
  /** "Cancel the lesson on 08.12.2026 10:00–11:30? …" */
  lead: string;
  reasons: readonly CancelReason[];
  /** where "back, don't cancel" leads */
  back: string;
  /** the form's hidden fields (intent, lessonId, where to go after) */
  hidden: Record<string, string>;
  /** what was sent, after a refusal */
  values?: { reason?: string; note?: string };
  error?: { message: string; fieldErrors: Record<string, string> | null } | null;
  busy?: boolean;
  /** who will read the note (staff: the trainee, by SMS and e-mail) */
  noteHint?: string;
}) {
  const t = useT();
  const fe = error?.fieldErrors ?? {};
  return (
    <Form method="post" className="card cancel-lesson" data-testid="cancel-lesson">
      <h2 className="first">{t("training:lessons.cancelTitle")}</h2>
      <p>{lead}</p>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormAlert message={error && !fe.reason && !fe.note ? error.message : null} />
      <fieldset className={`field radio-group${fe.reason ? " has-error" : ""}`}>
        <legend>{t("training:lessons.cancelReason")}</legend>
        {reasons.map((r) => (
          <label className="check" key={r}>
            <input type="radio" name="reason" value={r} required defaultChecked={values?.reason === r} />
            <span>{capitalise(t(`training:lessons.cancelReasons.${r}`))}</span>
          </label>
        ))}
        <FieldError message={fe.reason} />
      </fieldset>
      <Field
        name="note"
        label={t("training:lessons.cancelNote")}
        hint={noteHint ?? t("training:lessons.cancelNoteHint")}
        defaultValue={values?.note ?? ""}
        maxLength={300}
        error={fe.note}
      />
      <div className="actions-row">
        <button type="submit" className="danger" disabled={busy}>
          {t("training:lessons.cancelConfirm")}
        </button>{" "}
        <Link to={back} className="button secondary">
          {t("training:lessons.cancelBack")}
        </Link>
      </div>
    </Form>
  );
}

/** The reasons are written to follow "причина:" in a notice; as a choice of their own they start with a capital. */
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
