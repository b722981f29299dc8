// The week pages (driving lessons, theory): the previous / this / next week links and the seven day sections.
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useFormat } from "~/lib/i18n.tsx";
import { addDays, mondayOf } from "../../../domain/kz/time.ts";

/** The three week links; `link(monday)` makes each one's URL; `children` follow them (e.g. a filter). */
export function WeekNav({
  monday,
  today,
  link,
  labels,
  children,
}: {
  monday: string;
  today: string;
  link: (monday: string) => string;
  labels: { prev: string; current: string; next: string };
  children?: ReactNode;
}) {
  return (
    <nav className="toolbar">
      <Link to={link(addDays(monday, -7))}>{labels.prev}</Link>
      <Link to={link(mondayOf(today))}>{labels.current}</Link>
      <Link to={link(addDays(monday, 7))}>{labels.next}</Link>
      {children}
    </nav>
  );
}

/** A section a day with its heading (today marked), a "none" line or the day's items in a card. */
export function WeekDays<T extends { id: string }>({
  days,
  byDay,
  today,
  todayLabel,
  noneLabel,
  render,
}: {
  days: string[];
  byDay: Map<string, T[]>;
  today: string;
  todayLabel: string;
  noneLabel: string;
  render: (item: T) => ReactNode;
}) {
  const fmt = useFormat();
  return (
    <>
      {days.map((day) => (
        <section key={day}>
          <h2 className="day-head">
            {day === today ? `${todayLabel} · ` : ""}
            {fmt.date(day)}
          </h2>
          {(byDay.get(day) ?? []).length === 0 ? (
            <p className="muted">{noneLabel}</p>
          ) : (
            <div className="card" style={{ padding: 0 }}>
              {byDay.get(day)!.map(render)}
            </div>
          )}
        </section>
      ))}
    </>
  );
}
