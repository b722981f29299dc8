import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { Field } from "~/components/Field.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { readSchoolForm, runForm, uuidParam } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { backAfter, loadLessonPage } from "~/components/training/lesson-pages.server.ts";
import { almatyTime } from "../../domain/kz/time.ts";
import type { DescribedError } from "../../domain/errors.ts";

// Correcting a lesson's mark (done ↔ missed, or its note) with the reason the journal keeps, for whoever may
// mark it: the office and the lesson's instructor. A page of its own, like cancelling and moving: the week,
// opened many times a day, carries one link a marked lesson instead of a hidden form each (ADR 051).

export const loader = (args: LoaderFunctionArgs) => loadLessonPage(args);

type Refusal = { error: DescribedError; values: { note: string; reason: string } };

export async function action({ context, request, params }: ActionFunctionArgs) {
  const lessonId = uuidParam(context, params.id);
  const { v, school } = await readSchoolForm(context, request, params);
  const values = { note: v("note"), reason: v("reason") };
  const r = await runForm(context, () =>
    context.trpc.training.markLesson({
      school,
      lessonId,
      status: v("status") as "done" | "missed",
      note: values.note || null,
      reason: values.reason || null,
    }),
  );
  if (!r.ok) return { error: r.error, values } satisfies Refusal;
  return backAfter(v("back"), school, "marked");
}

export default function CorrectLesson() {
  const { lesson: l, back } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>() as Refusal | undefined;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const when = `${fmt.date(l.startsAt)} ${almatyTime(new Date(l.startsAt))}–${almatyTime(new Date(l.endsAt))}`;
  const marked = l.status === "done" || l.status === "missed";
  const errors = refusal?.error.fieldErrors;
  return (
    <main className="ws-main narrow">
      <p>
        <Link to={back}>{t("training:lessons.correctBack")}</Link>
      </p>
      <h1>{t("training:lessons.correct")}</h1>
      {marked ? (
        <Form method="post" className="card correct-lesson" data-testid="correct-form">
          <p>
            {t("training:lessons.correctLead", {
              when,
              trainee: `${l.trainee.lastName} ${l.trainee.firstName}`,
              instructor: l.instructorName,
              status: t(`training:lessons.status.${l.status}`),
            })}
          </p>
          <p className="muted small">{t("training:lessons.correctHint")}</p>
          {refusal && !errors ? (
            <p className="error" role="alert">
              {refusal.error.message}
            </p>
          ) : null}
          <input type="hidden" name="back" value={back} />
          <Field
            name="note"
            label={t("training:lessons.note")}
            defaultValue={refusal?.values.note ?? l.note ?? ""}
            maxLength={500}
            error={errors?.note}
          />
          <Field
            name="reason"
            label={t("training:lessons.reason")}
            defaultValue={refusal?.values.reason ?? ""}
            required
            maxLength={500}
            error={errors?.reason}
          />
          <div className="actions-row">
            <button type="submit" name="status" value="done" className="primary" disabled={navigation.state !== "idle"}>
              ✓ {t("training:lessons.done")}
            </button>
            <button
              type="submit"
              name="status"
              value="missed"
              className="danger"
              disabled={navigation.state !== "idle"}
            >
              ✗ {t("training:lessons.missed")}
            </button>
          </div>
        </Form>
      ) : (
        <p className="card banner-inline">
          {t("training:lessons.correctOnlyMarked")} ({t(`training:lessons.status.${l.status}`)}) ·{" "}
          <Link to={`/s/${school.slug}/lessons`}>{t("training:lessons.title")}</Link>
        </p>
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
