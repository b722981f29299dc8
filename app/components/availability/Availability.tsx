// Working hours, absences and a car's days out of work on the staff and vehicle pages (ADR 032). The office
// edits; anyone else who may see them reads them. A period with booked lessons inside says how many and links
// to the grid's week of the first, for the office to move them: nothing is cancelled by itself.
import { Form, Link } from "@remix-run/react";
import { Field, FieldError, FormAlert } from "~/components/Field.tsx";
import { Notice } from "~/components/Notice.tsx";
import type { Refused } from "~/components/workspace/ErrorPanel.tsx";
import { useT } from "~/lib/i18n.tsx";
import { formatDate } from "../../../domain/i18n/index.ts";
import { mondayOf } from "../../../domain/kz/time.ts";
import type { Affected, AvailabilityDone } from "./actions.server.ts";

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const field = (weekday: number, k: number, end: "s" | "e") => `h${weekday}${end}${k}`;

type Values = Record<string, string>;
export type AvailabilityResult = Refused<Values> | AvailabilityDone | undefined;

/** A link to the grid's week of `firstOn` for the instructor or car. */
function useGridLink(school: string, by: "instructor" | "vehicle", id: string) {
  return (firstOn: string) => `/s/${school}/lessons/grid?by=${by}&id=${id}&week=${mondayOf(firstOn)}`;
}

/** "3 lessons booked in these days… — open the grid", or nothing. */
function AffectedNotice({ text, affected, link }: { text: string; affected: Affected; link: (d: string) => string }) {
  const t = useT();
  if (affected.count === 0 || !affected.firstOn) return null;
  return (
    <p className="banner-inline" role="status" data-testid="affected">
      {text} <Link to={link(affected.firstOn)}>{t("availability:toGrid")}</Link>
    </p>
  );
}

export function HoursSection(props: {
  school: string;
  userId: string;
  hours: { weekday: number; starts: string; ends: string }[];
  outside: Affected;
  readOnly: boolean;
  result: AvailabilityResult;
}) {
  const { hours, readOnly, result } = props;
  const t = useT();
  const link = useGridLink(props.school, "instructor", props.userId);
  const refused = result && "error" in result && result.values.intent === "hours" ? result : null;
  const stored: Values = {};
  for (const d of WEEKDAYS)
    hours
      .filter((h) => h.weekday === d)
      .slice(0, 2)
      .forEach((h, k) => {
        stored[field(d, k, "s")] = h.starts;
        stored[field(d, k, "e")] = h.ends;
      });
  const values = refused?.values ?? stored;
  const errors = refused?.error.fieldErrors ?? {};
  return (
    <section className="card avail" aria-labelledby="hours-title" id="hours">
      <h2 id="hours-title">{t("availability:hours.title")}</h2>
      <p className="muted small">{t("availability:hours.lead")}</p>
      {hours.length === 0 ? <p className="muted">{t("availability:hours.none")}</p> : null}
      {result && "done" in result && result.done === "hours" ? <Notice>{t("availability:hours.saved")}</Notice> : null}
      <AffectedNotice
        text={t("availability:hours.outside", { count: props.outside.count })}
        affected={props.outside}
        link={link}
      />
      <Form method="post" noValidate key={JSON.stringify(stored)} preventScrollReset>
        <input type="hidden" name="intent" value="hours" />
        <FormAlert message={refused?.error.message} />
        <fieldset className="plain" disabled={readOnly}>
          <div className="hours-grid">
            {WEEKDAYS.map((d) => {
              const dayOff = hours.length > 0 && !values[field(d, 0, "s")] && !values[field(d, 1, "s")];
              return (
                <div key={d} className="hours-row" data-testid={`hours-${d}`}>
                  <span className="hours-day">
                    {t(`availability:weekday.${d}`)}
                    {dayOff ? <span className="muted small"> · {t("availability:hours.dayOff")}</span> : null}
                  </span>
                  {[0, 1].map((k) => (
                    <span key={k} className="hours-interval">
                      {(["s", "e"] as const).map((end) => {
                        const name = field(d, k, end);
                        const label = `${t(`availability:weekday.${d}`)}, ${t(k === 0 ? "availability:hours.first" : "availability:hours.second")}, ${t(end === "s" ? "availability:hours.from" : "availability:hours.to")}`;
                        return (
                          <span key={end} className={errors[name] ? "has-error" : undefined}>
                            {end === "e" ? <span aria-hidden="true">–</span> : null}
                            <input
                              type="time"
                              step={900}
                              name={name}
                              defaultValue={values[name] ?? ""}
                              aria-label={label}
                              aria-invalid={!!errors[name]}
                            />
                            <FieldError message={errors[name]} />
                          </span>
                        );
                      })}
                    </span>
                  ))}
                </div>
              );
            })}
          </div>
        </fieldset>
        {readOnly ? (
          <p className="muted small">{t("availability:readOnly")}</p>
        ) : (
          <>
            <p className="muted small">{t("availability:hours.clearHint")}</p>
            <button type="submit" className="primary">
              {t("availability:hours.save")}
            </button>
          </>
        )}
      </Form>
    </section>
  );
}

type Period = {
  id: string;
  startsOn: string;
  endsOn: string;
  reason: string;
  note: string | null;
  removable: boolean;
  lessons: Affected;
};

/** Absences of an instructor (`absences`) or a car's days out of work (`downtime`): list, add, remove. */
export function PeriodsSection(props: {
  kind: "absences" | "downtime";
  school: string;
  /** the instructor's user id or the car's id */
  ownerId: string;
  periods: Period[];
  readOnly: boolean;
  result: AvailabilityResult;
}) {
  const { kind, periods, readOnly, result } = props;
  const t = useT();
  const link = useGridLink(props.school, kind === "absences" ? "instructor" : "vehicle", props.ownerId);
  const reasons =
    kind === "absences" ? (["leave", "sick", "other"] as const) : (["service", "inspection", "other"] as const);
  const refused = result && "error" in result && result.values.intent !== "hours" ? result : null;
  const done = result && "done" in result && result.done !== "hours" ? result : null;
  const values = refused?.values.intent === "addPeriod" ? refused.values : {};
  const errors = refused?.values.intent === "addPeriod" ? (refused.error.fieldErrors ?? {}) : {};
  const ns = `availability:${kind}`;
  return (
    <section className="card avail" aria-labelledby={`${kind}-title`} id={kind}>
      <h2 id={`${kind}-title`}>{t(`${ns}.title`)}</h2>
      <p className="muted small">{t(`${ns}.lead`)}</p>
      {done ? <Notice>{t(`${ns}.${done.done}`)}</Notice> : null}
      {done?.affected ? (
        <AffectedNotice
          text={t("availability:affected", { count: done.affected.count })}
          affected={done.affected}
          link={link}
        />
      ) : null}
      {refused && refused.values.intent === "removePeriod" ? <FormAlert message={refused.error.message} /> : null}
      {periods.length === 0 ? (
        <p className="muted">{t(`${ns}.empty`)}</p>
      ) : (
        <ul className="periods" data-testid={`${kind}-list`}>
          {periods.map((p) => (
            <li key={p.id} className={p.removable ? undefined : "past"}>
              <strong className="nowrap">{`${formatDate(p.startsOn)}–${formatDate(p.endsOn)}`}</strong>{" "}
              <span>{t(`${ns}.reasons.${p.reason}`)}</span>
              {p.note ? <span className="muted"> · {p.note}</span> : null}
              {p.removable ? null : <span className="muted small"> · {t("availability:past")}</span>}
              {p.lessons.count > 0 && p.lessons.firstOn ? (
                <span className="period-warn">
                  {t("availability:affected", { count: p.lessons.count })}{" "}
                  <Link to={link(p.lessons.firstOn)}>{t("availability:toGrid")}</Link>
                </span>
              ) : null}
              {p.removable && !readOnly ? (
                <Form method="post" className="inline" preventScrollReset>
                  <input type="hidden" name="intent" value="removePeriod" />
                  <input type="hidden" name="id" value={p.id} />
                  <button type="submit" className="link danger small">
                    {t("availability:remove")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {readOnly ? null : (
        <Form
          method="post"
          className="period-form"
          noValidate
          preventScrollReset
          key={done ? `${done.done}${periods.length}` : "add"}
        >
          <input type="hidden" name="intent" value="addPeriod" />
          <FormAlert message={refused?.values.intent === "addPeriod" ? refused.error.message : null} />
          <div className="period-fields">
            <Field
              name="startsOn"
              type="date"
              label={t("availability:fields.startsOn")}
              defaultValue={values.startsOn ?? ""}
              error={errors.startsOn}
              required
            />
            <Field
              name="endsOn"
              type="date"
              label={t("availability:fields.endsOn")}
              defaultValue={values.endsOn ?? ""}
              error={errors.endsOn}
              required
            />
            <div className={`field${errors.reason ? " has-error" : ""}`}>
              <label htmlFor={`f-reason-${kind}`}>{t("availability:fields.reason")}</label>
              <select id={`f-reason-${kind}`} name="reason" defaultValue={values.reason ?? reasons[0]}>
                {reasons.map((r) => (
                  <option key={r} value={r}>
                    {t(`${ns}.reasons.${r}`)}
                  </option>
                ))}
              </select>
              <FieldError message={errors.reason} />
            </div>
            <Field
              name="note"
              label={t("availability:fields.note")}
              defaultValue={values.note ?? ""}
              error={errors.note}
              maxLength={300}
              autoComplete="off"
            />
          </div>
          <button type="submit" className="secondary">
            {t(`${ns}.add`)}
          </button>
        </Form>
      )}
    </section>
  );
}
