import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormAlert } from "~/components/Field.tsx";
import { Notice } from "~/components/Notice.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { load, readSchoolForm, requireUser, runForm } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { mondayOf } from "../../domain/kz/time.ts";
import type { DescribedError } from "../../domain/errors.ts";

// A driving lesson repeated weekly (ADR 034): the booking form (s.$school.lessons_.book.tsx) sends the office here with
// its fields and the number of weeks. The page lists each week as booking it now would go — free, or the reason
// it would be refused — and one button books the free ones; the answer lists what was booked and what was not.
// Plain GET and POST, so it works without JavaScript; posting twice books nothing twice ("already booked").

const FIELDS = ["traineeId", "instructorId", "vehicleId", "date", "time", "minutes", "weeks"] as const;
type Series = Record<(typeof FIELDS)[number], string>;

function series(read: (k: string) => string | null): Series {
  return Object.fromEntries(FIELDS.map((k) => [k, (read(k) ?? "").slice(0, 40)])) as Series;
}

const input = (s: Series) => ({ ...s, minutes: Number(s.minutes), weeks: Number(s.weeks) });

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const asked = series((k) => new URL(request.url).searchParams.get(k));
  const [preview, options] = await load(context, () =>
    Promise.all([
      context.trpc.training.previewRepeat({ school, ...input(asked) }),
      context.trpc.training.bookingOptions({ school }),
    ]),
  );
  const trainee = options.trainees.find((o) => o.id === asked.traineeId);
  return {
    series: asked,
    weeks: preview.weeks,
    trainee: trainee ? `${trainee.lastName} ${trainee.firstName}` : "",
    instructor: options.instructors.find((o) => o.id === asked.instructorId)?.fullName ?? "",
    vehicle: options.vehicles.find((o) => o.id === asked.vehicleId)?.plate ?? "",
  };
}

type Outcome = { weeks: Awaited<ReturnType<typeof loader>>["weeks"] } | { error: DescribedError };

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { v, school } = await readSchoolForm(context, request, params);
  const r = await runForm(context, () => context.trpc.training.bookRepeat({ school, ...input(series(v)) }));
  return (r.ok ? { weeks: r.value.weeks } : { error: r.error }) satisfies Outcome;
}

const BADGE = { free: "ok", booked: "ok", already: "", refused: "bad" } as const;

/** "10:00–11:30" from a start and a length. */
function span(time: string, minutes: string) {
  const [h, m] = time.split(":").map(Number);
  const end = (h ?? 0) * 60 + (m ?? 0) + Number(minutes);
  const hhmm = (x: number) => `${String(Math.floor(x / 60)).padStart(2, "0")}:${String(x % 60).padStart(2, "0")}`;
  return `${time}–${hhmm(end)}`;
}

export default function RepeatLesson() {
  const data = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>() as Outcome | undefined;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const s = data.series;
  const base = `/s/${school.slug}/lessons`;
  const week = mondayOf(s.date);
  // Back to the booking form with what was chosen (its fields read these, as from the grid's free cells).
  const change = `${base}/book?${new URLSearchParams({ week, ...s })}`;
  const result = done && "weeks" in done ? done.weeks : null;
  const weeks = result ?? data.weeks;
  const free = data.weeks.filter((w) => w.outcome === "free").length;
  const count = (o: string) => weeks.filter((w) => w.outcome === o).length;
  return (
    <main className="ws-main narrow">
      <p>
        <Link to={change}>{t("schedule:repeat.change")}</Link>
      </p>
      <h1>{t(result ? "schedule:repeat.resultTitle" : "schedule:repeat.title")}</h1>
      <p>
        {t("schedule:repeat.lead", {
          trainee: data.trainee,
          instructor: data.instructor,
          vehicle: data.vehicle,
          time: span(s.time, s.minutes),
          minutes: s.minutes,
          weeks: s.weeks,
        })}
      </p>
      {result ? (
        <Notice>
          {t("schedule:repeat.result", {
            booked: count("booked"),
            refused: count("refused"),
            already: count("already"),
          })}
          {count("booked") > 1
            ? ` ${t("schedule:repeat.notified")}`
            : count("booked") === 1
              ? ` ${t("schedule:repeat.notifiedOne")}`
              : ""}
        </Notice>
      ) : (
        <p className="muted">{t("schedule:repeat.check")}</p>
      )}
      {done && "error" in done ? <FormAlert message={done.error.message} /> : null}

      <div className="table-wrap">
        <table data-testid="repeat-weeks">
          <thead>
            <tr>
              <th>{t("schedule:repeat.date")}</th>
              <th>{t(result ? "schedule:repeat.outcome" : "schedule:repeat.state")}</th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w.date} data-outcome={w.outcome} data-date={w.date}>
                {/* The time is the series' own (the lead says it); the weekday shows it is the same each week. */}
                <td className="nowrap">
                  {fmt.date(w.date)}
                  <div className="muted small">
                    {t(`schedule:weekday.${new Date(`${w.date}T00:00:00Z`).getUTCDay()}`)}, {span(s.time, s.minutes)}
                  </div>
                </td>
                <td>
                  <span className={`badge ${BADGE[w.outcome]}`}>{t(`schedule:repeat.${w.outcome}`)}</span>
                  {w.outcome === "refused" ? <div className="small">{w.reason}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {result ? (
        <p className="repeat-actions">
          <Link to={`${base}?week=${week}`} className="button secondary">
            {t("schedule:repeat.toWeek")}
          </Link>
          <Link to={`${base}/grid?by=instructor&id=${s.instructorId}&week=${week}`} className="button secondary">
            {t("schedule:repeat.toGrid")}
          </Link>
        </p>
      ) : free > 0 ? (
        <Form method="post" className="repeat-actions">
          {FIELDS.map((k) => (
            <input key={k} type="hidden" name={k} value={s[k]} />
          ))}
          <button type="submit" className="primary" disabled={navigation.state !== "idle"}>
            {t("schedule:repeat.confirm", { n: free })}
          </button>
        </Form>
      ) : (
        <p className="card muted">
          {t(weeks.some((w) => w.outcome === "already") ? "schedule:repeat.allBooked" : "schedule:repeat.nothingFree")}
        </p>
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
