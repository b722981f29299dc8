import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import { LessonStatusBadge } from "~/components/StatusBadge.tsx";
import { WeekNav } from "~/components/training/Week.tsx";
import { loadWeekPage } from "~/components/training/week.server.ts";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { load } from "~/lib/forms.server.ts";
import { dayColumn, GRID_ROWS, gridHours, type OpenHours } from "~/lib/grid.ts";
import { useT } from "~/lib/i18n.tsx";
import { addDays, almatyTime, almatyToInstant, isCalendarDay, mondayOf } from "../../domain/kz/time.ts";

// The driving lessons as a week grid (issue 14): days across, 07:00–21:00 down, for one instructor or one car.
// Booked lessons are blocks; free time is empty cells that link to the booking form pre-filled (the office
// only). Time outside the instructor's working hours, their days off and a car's days out of work are shaded
// and offer no booking (ADR 032). Server-rendered links and a GET form, so it works without JavaScript; `?day=`
// is one column, the phone's view. An instructor who is nothing else sees their own grid only (listLessons enforces it too).

const UUID = /^[0-9a-f-]{36}$/;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { url, today, monday: week, school, writer } = await loadWeekPage(context, request, params);
  const me = context.ctx.user!.id;
  const dayParam = url.searchParams.get("day") ?? "";
  const day = isCalendarDay(dayParam) ? dayParam : null;
  const monday = day ? mondayOf(day) : week;
  const options = writer ? await load(context, () => context.trpc.training.scheduleChoices({ school })) : null;
  // The office chooses whose grid; anyone else sees their own.
  const by = writer && url.searchParams.get("by") === "vehicle" ? "vehicle" : "instructor";
  const asked = url.searchParams.get("id") ?? "";
  const choices = options ? (by === "vehicle" ? options.vehicles : options.instructors) : [];
  const id = !options ? me : choices.some((c) => c.id === asked) && UUID.test(asked) ? asked : (choices[0]?.id ?? null);
  const lessons = id
    ? await load(context, () =>
        context.trpc.training.lessons({
          school,
          from: day ?? monday,
          to: day ?? addDays(monday, 6),
          ...(by === "vehicle" ? { vehicleId: id } : { instructorId: id }),
        }),
      )
    : [];
  const from = day ?? monday;
  const to = day ?? addDays(monday, 6);
  type Unavailable = {
    hours: { weekday: number; starts: number; ends: number }[];
    days: { date: string; reason: string }[];
  };
  const unavailable: Unavailable = !id
    ? { hours: [], days: [] }
    : by === "vehicle"
      ? await load(context, () => context.trpc.availability.vehicleWeek({ school, vehicleId: id, from, to }))
      : await load(context, () => context.trpc.availability.instructorWeek({ school, instructorId: id, from, to }));
  const moved = url.searchParams.get("moved") === "1";
  return {
    today,
    monday,
    day,
    by,
    id,
    writer,
    moved,
    instructors: options?.instructors.map((i) => ({ id: i.id, name: i.fullName })) ?? [],
    vehicles: options?.vehicles.map((v) => ({ id: v.id, name: `${v.plate} · ${v.makeModel}` })) ?? [],
    // A cancelled lesson frees its time.
    lessons: lessons.filter((l) => l.status !== "cancelled"),
    unavailable,
    now: Date.now(),
  };
}

type Data = Awaited<ReturnType<typeof loader>>;

/**
 * A day as a column's heading: the weekday and the date ("Пн 07.12"), so a week reads at a glance. From the
 * translations rather than Intl, whose Kazakh differs between Node and the browser (a hydration mismatch).
 */
function useDayLabel(year = false) {
  const t = useT();
  return (day: string) => {
    const weekday = t(`booking:weekday.${new Date(`${day}T00:00:00Z`).getUTCDay()}`);
    const [y, m, d] = day.split("-");
    return `${weekday} ${d}.${m}${year ? `.${y}` : ""}`;
  };
}
type Lesson = Data["lessons"][number];

/** When on `date` the chosen instructor or car can be booked: null any time, [] not at all (a day off, out of work). */
function openHours(data: Data, date: string): OpenHours {
  if (data.unavailable.days.some((d) => d.date === date)) return [];
  if (data.unavailable.hours.length === 0) return null;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
  return data.unavailable.hours.filter((h) => h.weekday === weekday);
}

/** The shaded time's legend: what it means for an instructor or a car. */
function Legend({ by }: { by: string }) {
  const t = useT();
  const parts =
    by === "vehicle" ? [t("availability:grid.down")] : [t("availability:grid.offHours"), t("availability:grid.absent")];
  return (
    <p className="muted small sched-legend" data-testid="grid-legend">
      <span className="sched-swatch" aria-hidden="true" /> {t("availability:grid.legend")} {parts.join(", ")}
    </p>
  );
}

export default function LessonGrid() {
  const data = useLoaderData<typeof loader>();
  const { today, monday, day, by, id, writer, lessons, moved } = data;
  const { school } = useWorkspace();
  const t = useT();
  const base = `/s/${school.slug}/lessons/grid`;
  const query = (over: Record<string, string | null>) => {
    const q = new URLSearchParams();
    const all = { by, id, week: day ? null : monday, day, ...over };
    for (const [k, v] of Object.entries(all)) if (v) q.set(k, v);
    return `${base}?${q}`;
  };
  const days = day ? [day] : Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const choices = by === "vehicle" ? data.vehicles : data.instructors;
  const dayLabel = useDayLabel();
  return (
    <main className="ws-main wide">
      <div className="ws-head">
        <h1>{t("training:lessons.grid.title")}</h1>
        <div className="ws-head-actions">
          <Link to={`/s/${school.slug}/lessons?week=${monday}`}>{t("training:lessons.grid.list")}</Link>
        </div>
      </div>
      {moved ? <Notice>{t("training:lessons.moved")}</Notice> : null}

      {writer ? (
        <nav className="toolbar" aria-label={t("training:lessons.grid.which")}>
          {(["instructor", "vehicle"] as const).map((b) => (
            <Link key={b} to={query({ by: b, id: null })} aria-current={b === by ? "page" : undefined}>
              {t(b === "instructor" ? "training:lessons.grid.byInstructor" : "training:lessons.grid.byVehicle")}
            </Link>
          ))}
          <Form method="get" className="inline-form">
            <input type="hidden" name="by" value={by} />
            {day ? <input type="hidden" name="day" value={day} /> : <input type="hidden" name="week" value={monday} />}
            <select name="id" defaultValue={id ?? ""} aria-label={t("training:lessons.grid.which")} key={by}>
              {choices.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary small">
              {t("training:lessons.show")}
            </button>
          </Form>
        </nav>
      ) : null}

      {day ? (
        <nav className="toolbar">
          <Link to={query({ day: addDays(day, -1) })}>{t("training:lessons.grid.prevDay")}</Link>
          <Link to={query({ day: today })}>{t("training:lessons.today")}</Link>
          <Link to={query({ day: addDays(day, 1) })}>{t("training:lessons.grid.nextDay")}</Link>
          <Link to={query({ day: null, week: monday })}>{t("training:lessons.grid.week")}</Link>
        </nav>
      ) : (
        <WeekNav
          monday={monday}
          today={today}
          link={(m) => query({ week: m })}
          labels={{
            prev: t("training:lessons.prevWeek"),
            current: t("training:lessons.thisWeek"),
            next: t("training:lessons.nextWeek"),
          }}
        />
      )}
      {!day ? (
        // The phone's way in: one day at a time.
        <nav className="toolbar grid-days" aria-label={t("training:lessons.grid.day")}>
          {days.map((d) => (
            <Link key={d} to={query({ day: d, week: null })} aria-current={d === today ? "date" : undefined}>
              {dayLabel(d)}
            </Link>
          ))}
        </nav>
      ) : null}

      {id ? (
        <>
          <p className="muted small">{t(writer ? "training:lessons.grid.hint" : "training:lessons.grid.hintOwn")}</p>
          <Legend by={by} />
          <div className="sched-scroll">
            <div
              className={`sched-grid${day ? " one-day" : ""}`}
              style={{ gridTemplateRows: `auto repeat(${GRID_ROWS}, var(--quarter))` }}
              data-testid="grid"
            >
              {gridHours().map((h) => (
                <div key={h.time} className="sched-hour" style={{ gridRow: `${h.row} / span 4`, gridColumn: 1 }}>
                  {h.time}
                </div>
              ))}
              {days.map((d, i) => (
                <DayColumn key={d} date={d} column={i + 2} lessons={lessons} data={data} />
              ))}
            </div>
          </div>
        </>
      ) : (
        <p className="card muted">{t("training:lessons.grid.nobody")}</p>
      )}
    </main>
  );
}

function DayColumn({ date, column, lessons, data }: { date: string; column: number; lessons: Lesson[]; data: Data }) {
  const t = useT();
  const { school } = useWorkspace();
  const dayLabel = useDayLabel(!!data.day);
  const { blocks, free, off } = dayColumn(date, lessons, openHours(data, date));
  const closedDay = data.unavailable.days.find((d) => d.date === date);
  const closedLabel = closedDay
    ? data.by === "vehicle"
      ? t("availability:grid.dayDown", { reason: t(`availability:downtime.reasons.${closedDay.reason}`) })
      : t("availability:grid.dayAbsent", { reason: t(`availability:absences.reasons.${closedDay.reason}`) })
    : null;
  const at = (row: number, span: number) => ({ gridRow: `${row} / span ${span}`, gridColumn: column });
  const grid = `/s/${school.slug}/lessons/grid?by=${data.by}&id=${data.id}`;
  const back = `${grid}&${data.day ? `day=${data.day}` : `week=${data.monday}`}`;
  const bookLink = (time: string) => {
    const q = new URLSearchParams({ week: data.monday, date, time });
    q.set(data.by === "vehicle" ? "vehicleId" : "instructorId", data.id ?? "");
    return `/s/${school.slug}/lessons/book?${q}`;
  };
  return (
    <>
      <div className={`sched-day${date === data.today ? " today" : ""}`} style={{ gridRow: 1, gridColumn: column }}>
        {data.day ? dayLabel(date) : <Link to={`${grid}&day=${date}`}>{dayLabel(date)}</Link>}
        {closedLabel ? <span className="sched-closed-label">{closedLabel}</span> : null}
      </div>
      {off.map((o) => (
        <div
          key={`off-${o.time}`}
          className="sched-off"
          style={at(o.row, o.span)}
          data-testid="grid-off"
          data-day={date}
          data-start={o.time}
          title={closedLabel ?? t("availability:grid.offHours")}
        />
      ))}
      {free.map((f) => {
        const past = almatyToInstant(date, f.time).getTime() <= data.now;
        const label = t("training:lessons.grid.free", { time: f.time });
        return data.writer && !past ? (
          <Link key={f.time} to={bookLink(f.time)} className="sched-free" style={at(f.row, f.span)} title={label}>
            <span className="sr-only">{label}</span>
          </Link>
        ) : (
          <div key={f.time} className={`sched-free${past ? " past" : ""}`} style={at(f.row, f.span)} />
        );
      })}
      {blocks.map(({ item: l, row, span }) => (
        <div
          key={l.id}
          className={`sched-lesson st-${l.status}`}
          style={at(row, span)}
          data-testid="grid-lesson"
          data-start={almatyTime(new Date(l.startsAt))}
          data-day={date}
        >
          <strong>{`${almatyTime(new Date(l.startsAt))}–${almatyTime(new Date(l.endsAt))}`}</strong>
          <span>{`${l.trainee.lastName} ${l.trainee.firstName}`}</span>
          <span className="muted">{data.by === "vehicle" ? l.instructorName : l.vehicle.plate}</span>
          <span>
            <LessonStatusBadge status={l.status} />
            {data.writer && l.status === "booked" && new Date(l.startsAt).getTime() > data.now ? (
              <>
                {" "}
                <Link to={`/s/${school.slug}/lessons/${l.id}/move?back=${encodeURIComponent(back)}`}>
                  {t("training:lessons.move")}
                </Link>
              </>
            ) : null}
          </span>
        </div>
      ))}
    </>
  );
}

export const ErrorBoundary = ErrorPanel;
