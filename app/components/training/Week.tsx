// The week pages (driving lessons, theory): the previous / this / next week links and the seven day sections.
import { Link } from "@remix-run/react";
import type { InputHTMLAttributes, ReactNode } from "react";
import { Field } from "~/components/Field.tsx";
import { useFormat } from "~/lib/i18n.tsx";
import { addDays, almatyTime, mondayOf } from "../../../domain/kz/time.ts";

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

/** A lesson card's time column: its start, and its end in small grey under it. */
export function LessonTimes({ startsAt, endsAt }: { startsAt: string | Date; endsAt: string | Date }) {
  return (
    <div className="time">
      {almatyTime(new Date(startsAt))}
      <br />
      <small className="muted">{almatyTime(new Date(endsAt))}</small>
    </div>
  );
}

/**
 * When a lesson is: its `date`, start `time` and length in `minutes` (the fields' names), refilled from `values`
 * after a refusal and each with its error from `errors`.
 */
export function LessonWhenFields({
  labels,
  values,
  errors,
  today,
  minDate,
  time,
  minutes,
}: {
  labels: { date: string; time: string; minutes: string };
  values: { date?: string; time?: string; minutes?: string };
  errors?: { date?: string; time?: string; minutes?: string } | null;
  /** The date the form starts on. */
  today: string;
  minDate?: string;
  time: { start: string; step: number };
  minutes: { max: number; step: number };
}) {
  const field = (name: "date" | "time" | "minutes", start: string, input: InputHTMLAttributes<HTMLInputElement>) => (
    <Field
      name={name}
      label={labels[name]}
      defaultValue={values[name] ?? start}
      required
      error={errors?.[name]}
      {...input}
    />
  );
  return (
    <>
      {field("date", today, { type: "date", min: minDate })}
      {field("time", time.start, { type: "time", step: time.step })}
      {field("minutes", "90", { type: "number", min: 30, max: minutes.max, step: minutes.step })}
    </>
  );
}
