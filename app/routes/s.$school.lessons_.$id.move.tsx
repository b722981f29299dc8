import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormAlert, RequiredSelect } from "~/components/Field.tsx";
import { LessonWhenFields } from "~/components/training/Week.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { load, readSchoolForm, requireUser, runForm, uuidParam } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { backAfter, lessonBack } from "~/components/training/lesson-pages.server.ts";
import { almatyDate, almatyTime } from "../../domain/kz/time.ts";
import type { DescribedError } from "../../domain/errors.ts";

// Moving a booked driving lesson (from the week grid or the list), for the office: a new date and time, and
// another instructor or car if need be. The server's moveLesson applies the booking's checks; a clash comes
// back here under its field. A page, not a drag and drop, so it works without JavaScript.

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const lessonId = uuidParam(context, params.id);
  const school = params.school!;
  const [lesson, options] = await load(context, () =>
    Promise.all([
      context.trpc.training.lesson({ school, lessonId }),
      context.trpc.training.scheduleChoices({ school }),
    ]),
  );
  return {
    lesson,
    back: lessonBack(new URL(request.url), school, lesson.startsAt),
    today: almatyDate(new Date()),
    instructors: options.instructors.map((i): [string, string] => [i.id, i.fullName]),
    vehicles: options.vehicles.map((v): [string, string] => [v.id, `${v.plate} · ${v.makeModel} · ${v.category}`]),
  };
}

type Values = { date: string; time: string; minutes: string; instructorId: string; vehicleId: string };
type Refusal = { error: DescribedError; values: Values };

export async function action({ context, request, params }: ActionFunctionArgs) {
  const lessonId = uuidParam(context, params.id);
  const { v, school } = await readSchoolForm(context, request, params);
  const values: Values = {
    date: v("date"),
    time: v("time"),
    minutes: v("minutes"),
    instructorId: v("instructorId"),
    vehicleId: v("vehicleId"),
  };
  const r = await runForm(context, () =>
    context.trpc.training.moveLesson({
      school,
      lessonId,
      date: values.date,
      time: values.time,
      minutes: Number(values.minutes),
      instructorId: values.instructorId,
      vehicleId: values.vehicleId,
    }),
  );
  if (!r.ok) return { error: r.error, values } satisfies Refusal;
  return backAfter(v("back"), school, "moved");
}

export default function MoveLesson() {
  const { lesson: l, back, today, instructors, vehicles } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>() as Refusal | undefined;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const starts = new Date(l.startsAt);
  const when = `${fmt.date(l.startsAt)} ${almatyTime(starts)}–${almatyTime(new Date(l.endsAt))}`;
  const minutes = Math.round((new Date(l.endsAt).getTime() - starts.getTime()) / 60_000);
  const values = refusal?.values ?? {
    date: almatyDate(starts),
    time: almatyTime(starts),
    minutes: String(minutes),
    instructorId: l.instructorId,
    vehicleId: l.vehicleId,
  };
  const errors = refusal?.error.fieldErrors;
  return (
    <main className="ws-main narrow">
      <p>
        <Link to={back}>{t("training:lessons.moveBack")}</Link>
      </p>
      <h1>{t("training:lessons.moveTitle")}</h1>
      {l.status === "booked" ? (
        <Form method="post" className="card">
          <p>
            {t("training:lessons.moveLead", {
              when,
              trainee: `${l.trainee.lastName} ${l.trainee.firstName}`,
              instructor: l.instructorName,
              vehicle: l.vehicle.plate,
            })}
          </p>
          <FormAlert message={refusal?.error.message} />
          <input type="hidden" name="back" value={back} />
          <LessonWhenFields
            labels={{
              date: t("training:lessons.date"),
              time: t("training:lessons.time"),
              minutes: t("training:lessons.minutes"),
            }}
            values={values}
            errors={errors}
            today={values.date}
            minDate={today}
            time={{ start: values.time, step: 900 }}
            minutes={{ max: 240, step: 15 }}
          />
          <RequiredSelect
            choose={t("training:lessons.choose")}
            name="instructorId"
            label={t("training:lessons.instructor")}
            value={values.instructorId}
            error={errors?.instructorId}
            options={instructors}
          />
          <RequiredSelect
            choose={t("training:lessons.choose")}
            name="vehicleId"
            label={t("training:lessons.vehicle")}
            value={values.vehicleId}
            error={errors?.vehicleId}
            options={vehicles}
          />
          <button type="submit" className="primary" disabled={navigation.state !== "idle"}>
            {t("training:lessons.moveConfirm")}
          </button>
        </Form>
      ) : (
        <p className="card banner-inline">
          {t("errors:training.onlyBookedMove")} ({t(`training:lessons.status.${l.status}`)}) ·{" "}
          <Link to={`/s/${school.slug}/lessons`}>{t("training:lessons.title")}</Link>
        </p>
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
