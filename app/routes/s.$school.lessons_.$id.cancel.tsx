import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CancelLessonForm } from "~/components/training/CancelLessonForm.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { readSchoolForm, runForm, uuidParam } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { backAfter, loadLessonPage } from "~/components/training/lesson-pages.server.ts";
import { CANCEL_REASONS, type CancelReason } from "../../domain/lessons.ts";
import { almatyTime } from "../../domain/kz/time.ts";
import type { DescribedError } from "../../domain/errors.ts";

// The confirm step of cancelling a driving lesson, for the registrar, the director and the lesson's
// instructor (from the schedule or the trainee's card): why, then "yes, cancel". A page, not a pop-up,
// so it works without JavaScript.

export const loader = (args: LoaderFunctionArgs) => loadLessonPage(args);

type Refusal = { error: DescribedError; values: { reason: string; note: string } };

export async function action({ context, request, params }: ActionFunctionArgs) {
  const lessonId = uuidParam(context, params.id);
  const { v, school } = await readSchoolForm(context, request, params);
  const values = { reason: v("reason"), note: v("note") };
  const r = await runForm(context, () =>
    context.trpc.training.cancelLesson({
      school,
      lessonId,
      reason: values.reason as CancelReason,
      note: values.note || null,
    }),
  );
  if (!r.ok) return { error: r.error, values } satisfies Refusal;
  return backAfter(v("back"), school, "cancelled");
}

export default function CancelLesson() {
  const { lesson: l, back } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>() as Refusal | undefined;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const when = `${fmt.date(l.startsAt)} ${almatyTime(new Date(l.startsAt))}–${almatyTime(new Date(l.endsAt))}`;
  return (
    <main className="ws-main narrow">
      <p>
        <Link to={back}>{t("training:lessons.cancelBack")}</Link>
      </p>
      <h1>{t("training:lessons.cancelTitle")}</h1>
      {l.status === "booked" ? (
        <CancelLessonForm
          lead={t("training:lessons.cancelLead", {
            when,
            trainee: `${l.trainee.lastName} ${l.trainee.firstName}`,
            instructor: l.instructorName,
            vehicle: l.vehicle.plate,
          })}
          reasons={CANCEL_REASONS}
          back={back}
          hidden={{ back }}
          values={refusal?.values}
          error={refusal?.error}
          busy={navigation.state !== "idle"}
        />
      ) : (
        <p className="card banner-inline">
          {t("errors:training.onlyBookedCancel")} ({t(`training:lessons.status.${l.status}`)}) ·{" "}
          <Link to={`/s/${school.slug}/lessons`}>{t("training:lessons.title")}</Link>
        </p>
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
