import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { WeekNav } from "~/components/training/Week.tsx";
import { loadWeekPage } from "~/components/training/week.server.ts";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { load } from "~/lib/forms.server.ts";
import { dayColumn, GRID_ROWS, gridHours } from "~/lib/grid.ts";
import { useLocale, useT } from "~/lib/i18n.tsx";
import { addDays, almatyTime, almatyToInstant, isCalendarDay, mondayOf } from "../../domain/kz/time.ts";

// Theory lessons as a week grid (ADR 034), laid out as the driving grid (app/lib/grid.ts, ADR 031): days across,
// 07:00–21:00 down. One group's grid has no overlaps (the group's exclusion constraint), and its free cells link
// to the create form of the theory page pre-filled with the group, date and time (the office only). "All groups"
// (the office's default; a teacher sees their own lessons) may overlap, so a day's overlapping lessons share its
// column side by side and no cell is offered as free. `?day=` is one column, the phone's view. Server-rendered
// links and a GET form: it works without JavaScript.

const UUID = /^[0-9a-f-]{36}$/;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { url, today, monday: week, school, writer } = await loadWeekPage(context, request, params);
  const dayParam = url.searchParams.get("day") ?? "";
  const day = isCalendarDay(dayParam) ? dayParam : null;
  const monday = day ? mondayOf(day) : week;
  const options = writer ? await load(context, () => context.trpc.theory.options({ school })) : null;
  const groups = options?.groups.map((g) => ({ id: g.id, number: g.number, category: g.category })) ?? [];
  const asked = url.searchParams.get("group") ?? "";
  const group = UUID.test(asked) && groups.some((g) => g.id === asked) ? asked : null;
  const lessons = await load(context, () =>
    context.trpc.theory.week({
      school,
      from: day ?? monday,
      to: day ?? addDays(monday, 6),
      ...(group ? { groupId: group } : {}),
    }),
  );
  return { today, monday, day, group, groups, writer, lessons, now: Date.now() };
}

type Data = Awaited<ReturnType<typeof loader>>;
type Lesson = Data["lessons"][number];

/** A day as a column's heading ("Пн 07.12"), from the translations rather than Intl (ADR 031). */
function useDayLabel() {
  const t = useT();
  return (day: string, year = false) => {
    const weekday = t(`booking:weekday.${new Date(`${day}T00:00:00Z`).getUTCDay()}`);
    const [y, m, d] = day.split("-");
    return `${weekday} ${d}.${m}${year ? `.${y}` : ""}`;
  };
}

/**
 * Side-by-side lanes for a day's blocks that overlap (all groups at once): each block's lane and how many lanes
 * its cluster of overlapping blocks needs. One group's blocks never overlap: one lane each.
 */
function lanes(blocks: { row: number; span: number }[]) {
  const order = blocks.map((b, i) => ({ ...b, i })).sort((a, b) => a.row - b.row);
  const out = blocks.map(() => ({ lane: 0, of: 1 }));
  let cluster: typeof order = [];
  let clusterEnd = 0;
  const close = () => {
    const of = Math.max(1, ...cluster.map((c) => out[c.i]!.lane + 1));
    for (const c of cluster) out[c.i]!.of = of;
    cluster = [];
  };
  for (const b of order) {
    if (cluster.length && b.row >= clusterEnd) close();
    const taken = new Set(cluster.filter((c) => c.row + c.span > b.row).map((c) => out[c.i]!.lane));
    let lane = 0;
    while (taken.has(lane)) lane++;
    out[b.i]!.lane = lane;
    cluster.push(b);
    clusterEnd = Math.max(clusterEnd, b.row + b.span);
  }
  close();
  return out;
}

export default function TheoryGrid() {
  const data = useLoaderData<typeof loader>();
  const { today, monday, day, group, groups, writer } = data;
  const { school } = useWorkspace();
  const t = useT();
  const base = `/s/${school.slug}/theory/grid`;
  const query = (over: Record<string, string | null>) => {
    const q = new URLSearchParams();
    const all = { group, week: day ? null : monday, day, ...over };
    for (const [k, v] of Object.entries(all)) if (v) q.set(k, v);
    return `${base}?${q}`;
  };
  const days = day ? [day] : Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const dayLabel = useDayLabel();
  return (
    <main className="ws-main wide">
      <div className="ws-head">
        <h1>{t("schedule:theoryGrid.title")}</h1>
        <div className="ws-head-actions">
          <Link to={`/s/${school.slug}/theory?week=${monday}`}>{t("schedule:theoryGrid.list")}</Link>
        </div>
      </div>

      {writer ? (
        groups.length ? (
          <Form method="get" className="toolbar inline-form">
            {day ? <input type="hidden" name="day" value={day} /> : <input type="hidden" name="week" value={monday} />}
            <select name="group" defaultValue={group ?? ""} aria-label={t("schedule:theoryGrid.group")}>
              <option value="">{t("schedule:theoryGrid.allGroups")}</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {`${g.number} · ${g.category}`}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary small">
              {t("schedule:theoryGrid.show")}
            </button>
          </Form>
        ) : (
          <p className="card muted">{t("schedule:theoryGrid.noGroups")}</p>
        )
      ) : null}

      {day ? (
        <nav className="toolbar">
          <Link to={query({ day: addDays(day, -1) })}>{t("schedule:theoryGrid.prevDay")}</Link>
          <Link to={query({ day: today })}>{t("schedule:theoryGrid.today")}</Link>
          <Link to={query({ day: addDays(day, 1) })}>{t("schedule:theoryGrid.nextDay")}</Link>
          <Link to={query({ day: null, week: monday })}>{t("schedule:theoryGrid.week")}</Link>
        </nav>
      ) : (
        <>
          <WeekNav
            monday={monday}
            today={today}
            link={(m) => query({ week: m })}
            labels={{ prev: t("theory:prevWeek"), current: t("theory:thisWeek"), next: t("theory:nextWeek") }}
          />
          {/* The phone's way in: one day at a time. */}
          <nav className="toolbar grid-days" aria-label={t("schedule:theoryGrid.day")}>
            {days.map((d) => (
              <Link key={d} to={query({ day: d, week: null })} aria-current={d === today ? "date" : undefined}>
                {dayLabel(d)}
              </Link>
            ))}
          </nav>
        </>
      )}

      {writer ? (
        <p className="muted small">{t(group ? "schedule:theoryGrid.hint" : "schedule:theoryGrid.hintAll")}</p>
      ) : null}
      <div className="sched-scroll">
        <div
          className={`sched-grid${day ? " one-day" : ""}`}
          style={{ gridTemplateRows: `auto repeat(${GRID_ROWS}, var(--quarter))` }}
          data-testid="theory-grid"
        >
          {gridHours().map((h) => (
            <div key={h.time} className="sched-hour" style={{ gridRow: `${h.row} / span 4`, gridColumn: 1 }}>
              {h.time}
            </div>
          ))}
          {days.map((d, i) => (
            <DayColumn key={d} date={d} column={i + 2} data={data} />
          ))}
        </div>
      </div>
    </main>
  );
}

function DayColumn({ date, column, data }: { date: string; column: number; data: Data }) {
  const t = useT();
  const locale = useLocale();
  const { school } = useWorkspace();
  const dayLabel = useDayLabel();
  const { blocks, free } = dayColumn<Lesson>(date, data.lessons);
  const lane = lanes(blocks);
  const at = (row: number, span: number) => ({ gridRow: `${row} / span ${span}`, gridColumn: column });
  const grid = `/s/${school.slug}/theory/grid?${data.group ? `group=${data.group}&` : ""}`;
  // A free cell of one group's grid opens the theory page's create form with the group, the date and the time.
  const createLink = (time: string) =>
    `/s/${school.slug}/theory?${new URLSearchParams({ week: data.monday, groupId: data.group ?? "", date, time })}#create`;
  return (
    <>
      <div className={`sched-day${date === data.today ? " today" : ""}`} style={{ gridRow: 1, gridColumn: column }}>
        {data.day ? dayLabel(date, true) : <Link to={`${grid}day=${date}`}>{dayLabel(date)}</Link>}
      </div>
      {free.map((f) => {
        const past = almatyToInstant(date, f.time).getTime() <= data.now;
        const label = t("schedule:theoryGrid.free", { time: f.time });
        return data.writer && data.group && !past ? (
          <Link key={f.time} to={createLink(f.time)} className="sched-free" style={at(f.row, f.span)} title={label}>
            <span className="sr-only">{label}</span>
          </Link>
        ) : (
          <div key={f.time} className={`sched-free${past ? " past" : ""}`} style={at(f.row, f.span)} />
        );
      })}
      {blocks.map(({ item: l, row, span }, i) => {
        const { lane: n, of } = lane[i]!;
        const side = of > 1 ? { width: `${100 / of}%`, marginLeft: `${(100 * n) / of}%` } : {};
        return (
          <Link
            key={l.id}
            to={`/s/${school.slug}/theory/${l.id}`}
            className="sched-lesson sched-theory"
            style={{ ...at(row, span), ...side }}
            data-testid="grid-theory"
            data-start={almatyTime(new Date(l.startsAt))}
            data-day={date}
            data-group={l.groupId}
          >
            <strong>{`${almatyTime(new Date(l.startsAt))}–${almatyTime(new Date(l.endsAt))}`}</strong>
            <span>{locale === "kk" ? l.subject.nameKk : l.subject.nameRu}</span>
            <span className="muted">
              {[
                t("schedule:theoryGrid.groupLabel", { number: l.group.number }),
                l.teacherName,
                l.room ? t("schedule:theoryGrid.room", { room: l.room }) : "",
              ]
                .filter(Boolean)
                .join(" · ")}
            </span>
          </Link>
        );
      })}
    </>
  );
}

export const ErrorBoundary = ErrorPanel;
