// Plain HTML/CSS bar charts: every bar carries its number as text, so the chart reads the same to a
// screen reader, in print and without styles. No chart library.
import type { ReactNode } from "react";
import { useT } from "~/lib/i18n.tsx";

export type Bar = { key: string; label: ReactNode; value: number; tone?: string };

/** Horizontal bars scaled to the largest value; a list of "label — number". */
export function BarChart({ title, bars, empty }: { title: string; bars: Bar[]; empty?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const total = bars.reduce((n, b) => n + b.value, 0);
  return (
    <section className="card dash-chart" aria-label={title}>
      <h2 className="first">{title}</h2>
      {bars.length === 0 || total === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="dash-bars">
          {bars.map((b) => (
            <li key={b.key} className={b.value === 0 ? "zero" : undefined}>
              <span className="dash-bar-label">{b.label}</span>
              <span className="dash-bar-track" aria-hidden="true">
                <span className={`dash-bar-fill ${b.tone ?? ""}`} style={{ width: `${(b.value / max) * 100}%` }} />
              </span>
              <span className="dash-bar-value">{b.value}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export type StackedRow = { key: string; label: ReactNode; done: number; missed: number; booked: number };

/** One bar per instructor, split into done / missed / booked, with the three numbers written out. */
export function LessonsChart({ title, rows, empty }: { title: string; rows: StackedRow[]; empty: string }) {
  const t = useT();
  const max = Math.max(1, ...rows.map((r) => r.done + r.missed + r.booked));
  const parts = ["done", "missed", "booked"] as const;
  return (
    <section className="card dash-chart" aria-label={title}>
      <h2 className="first">{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <>
          <ul className="dash-legend" aria-hidden="true">
            {parts.map((p) => (
              <li key={p}>
                <span className={`dash-swatch ls-${p}`} />
                {t(`dashboard:charts.${p}`)}
              </li>
            ))}
          </ul>
          <ul className="dash-bars stacked">
            {rows.map((r) => (
              <li key={r.key}>
                <span className="dash-bar-label">{r.label}</span>
                <span className="dash-bar-track" aria-hidden="true">
                  {parts.map((p) =>
                    r[p] > 0 ? (
                      <span key={p} className={`dash-bar-fill ls-${p}`} style={{ width: `${(r[p] / max) * 100}%` }} />
                    ) : null,
                  )}
                </span>
                <span className="dash-bar-value small">
                  <span className="visually-hidden">
                    {t("dashboard:charts.instructorTotals", { done: r.done, missed: r.missed, booked: r.booked })}
                  </span>
                  <span aria-hidden="true">
                    <span className="n-done">{r.done}</span> / <span className="n-missed">{r.missed}</span> /{" "}
                    <span className="n-booked">{r.booked}</span>
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** A progress bar with its numbers beside it. */
export function Progress({ value, max, label }: { value: number; max: number | null; label: string }) {
  const pct = max ? Math.min(100, Math.round((value / max) * 100)) : null;
  return (
    <div className="dash-progress">
      {pct !== null ? <progress value={Math.min(value, max!)} max={max!} aria-label={label} /> : null}
      <span className="nowrap">
        {label}
        {pct !== null ? ` · ${pct}%` : ""}
      </span>
    </div>
  );
}
