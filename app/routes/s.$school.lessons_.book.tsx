import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RequiredSelect } from "~/components/Field.tsx";
import { FormCard } from "~/components/FormCard.tsx";
import { RepeatWeeksField } from "~/components/training/RepeatWeeks.tsx";
import { LessonWhenFields } from "~/components/training/Week.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { load, readSchoolForm, requireUser, runForm } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";
import { weekFromUrl } from "~/lib/week.ts";
import { mondayOf } from "../../domain/kz/time.ts";
import { safeRedirect } from "~/lib/safe-redirect.ts";
import { backAfter } from "~/components/training/lesson-pages.server.ts";
import type { DescribedError } from "../../domain/errors.ts";

// Booking a driving lesson, for the office. Its own page, as adding a trainee is, so that the week's lessons
// (s.$school.lessons.tsx), opened many times a day by the office and the instructors, neither load nor send
// every trainee in training as an option. The week's "book" button, the week grid's free cells (the link fills
// the fields) and the weekly series' "change" link come here; a refusal comes back here under its fields with
// what was typed, a booked lesson goes to its week. Plain GET and POST, so it works without JavaScript.

/** The booking form's fields, which a link may fill in. */
const BOOKING_FIELDS = ["traineeId", "instructorId", "vehicleId", "date", "time", "minutes", "weeks"] as const;
type Values = Record<(typeof BOOKING_FIELDS)[number], string>;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const url = new URL(request.url);
  const school = params.school!;
  const { today, monday } = weekFromUrl(url);
  const options = await load(context, () => context.trpc.training.bookingOptions({ school }));
  const prefill: Partial<Values> = {};
  for (const k of BOOKING_FIELDS) {
    const v = url.searchParams.get(k);
    if (v && v.length <= 40) prefill[k] = v;
  }
  // Opened from a trainee's card, the page goes back there (and, the lesson booked, says so there).
  const back = safeRedirect(url.searchParams.get("back"), "");
  return { options, today, monday, prefill, back };
}

type Refusal = { error: DescribedError; values: Values };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { v, school } = await readSchoolForm(context, request, params);
  const values = Object.fromEntries(BOOKING_FIELDS.map((k) => [k, v(k)])) as Values;
  values.weeks ||= "1";
  const { weeks, ...lesson } = values;
  if (weeks !== "1") {
    // A weekly series first shows each week's fate (s.$school.lessons_.repeat.tsx); the input is checked here.
    const input = { ...lesson, minutes: Number(lesson.minutes), weeks: Number(weeks) };
    const r = await runForm(context, () => context.trpc.training.previewRepeat({ school, ...input }));
    if (!r.ok) return { error: r.error, values } satisfies Refusal;
    return redirect(`/s/${school}/lessons/repeat?${new URLSearchParams(values)}`);
  }
  const r = await runForm(context, () =>
    context.trpc.training.bookLesson({ school, ...lesson, minutes: Number(lesson.minutes) }),
  );
  if (!r.ok) return { error: r.error, values } satisfies Refusal;
  // Back where the page was opened from, else the lesson's week, where it now shows; with the note that it was booked.
  return backAfter(v("back"), school, "booked", `/s/${school}/lessons?week=${mondayOf(lesson.date)}`);
}

export default function BookLesson() {
  const { options, today, monday, prefill, back } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>() as Refusal | undefined;
  const { school } = useWorkspace();
  const t = useT();
  const error = refusal?.error ?? null;
  const values: Partial<Values> = refusal?.values ?? prefill;
  // Two gearboxes, hundreds of trainees: each label is translated once, not per option.
  const gearbox = { manual: t("training:gearbox.manual"), automatic: t("training:gearbox.automatic") };
  const pick = (name: "traineeId" | "instructorId" | "vehicleId", label: string, choices: [string, string][]) => (
    <RequiredSelect
      choose={t("training:lessons.choose")}
      name={name}
      label={label}
      value={values[name]}
      error={error?.fieldErrors?.[name]}
      options={choices}
    />
  );
  return (
    <main className="ws-main">
      <p>
        {back ? (
          <Link to={back}>{`← ${t("common:back")}`}</Link>
        ) : (
          <Link to={`/s/${school.slug}/lessons?week=${monday}`}>{t("training:lessons.bookBack")}</Link>
        )}
      </p>
      <h1>{t("training:lessons.book")}</h1>
      <FormCard
        id="book"
        title={t("training:lessons.book")}
        titled={false}
        intent="book"
        message={error?.message}
        ready={options.trainees.length > 0 && options.instructors.length > 0 && options.vehicles.length > 0}
        noOptions={t("training:lessons.noOptions")}
      >
        {pick(
          "traineeId",
          t("training:lessons.trainee"),
          options.trainees.map((o) => [o.id, `${o.lastName} ${o.firstName} · ${o.category} · ${gearbox[o.gearbox]}`]),
        )}
        <p className="muted small">{t("training:lessons.bookWho")}</p>
        {back ? <input type="hidden" name="back" value={back} /> : null}
        {pick(
          "instructorId",
          t("training:lessons.instructor"),
          options.instructors.map((o) => [
            o.id,
            `${o.fullName}${o.categories.length ? ` · ${o.categories.join(", ")}` : ""}`,
          ]),
        )}
        {pick(
          "vehicleId",
          t("training:lessons.vehicle"),
          options.vehicles.map((o) => [o.id, `${o.plate} · ${o.makeModel} · ${o.category} · ${gearbox[o.gearbox]}`]),
        )}
        <LessonWhenFields
          labels={{
            date: t("training:lessons.date"),
            time: t("training:lessons.time"),
            minutes: t("training:lessons.minutes"),
          }}
          values={values}
          errors={error?.fieldErrors}
          today={today}
          minDate={today}
          time={{ start: "10:00", step: 900 }}
          minutes={{ max: 240, step: 15 }}
        />
        <RepeatWeeksField value={values.weeks} error={error?.fieldErrors?.weeks} />
      </FormCard>
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
