import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormCard } from "~/components/FormCard.tsx";
import { Notice } from "~/components/Notice.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Field, RequiredSelect } from "~/components/Field.tsx";
import { LessonTimes, LessonWhenFields, WeekDays, WeekNav } from "~/components/training/Week.tsx";
import { loadWeekPage } from "~/components/training/week.server.ts";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { load, readSchoolForm, runForm } from "~/lib/forms.server.ts";
import { weekByDay } from "~/lib/week.ts";
import { useLocale, useT } from "~/lib/i18n.tsx";
import { addDays } from "../../domain/kz/time.ts";
import { onlyRole } from "../../domain/roles.ts";
import type { DescribedError } from "../../domain/errors.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { url, today, monday, school, roles, writer } = await loadWeekPage(context, request, params);
  const [lessons, options] = await load(context, () =>
    Promise.all([
      context.trpc.theory.week({ school, from: monday, to: addDays(monday, 6) }),
      writer ? context.trpc.theory.options({ school }) : Promise.resolve(null),
    ]),
  );
  // A free cell of the theory grid (s.$school.theory_.grid.tsx) links here with the group, date and time.
  const prefill: Partial<Values> = {};
  for (const k of ["groupId", "date", "time"] as const) {
    const v = url.searchParams.get(k);
    if (v && v.length <= 40) prefill[k] = v;
  }
  return { lessons, options, monday, today, writer, onlyTeacher: onlyRole(roles, "teacher"), prefill };
}

type Values = {
  groupId: string;
  subjectCode: string;
  teacherId: string;
  date: string;
  time: string;
  minutes: string;
  room: string;
};
type Refusal = { error: DescribedError; values: Values };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { v, school } = await readSchoolForm(context, request, params);
  const values: Values = {
    groupId: v("groupId"),
    subjectCode: v("subjectCode"),
    teacherId: v("teacherId"),
    date: v("date"),
    time: v("time"),
    minutes: v("minutes"),
    room: v("room"),
  };
  const r = await runForm(context, () =>
    context.trpc.theory.create({
      school,
      ...values,
      minutes: Number(values.minutes),
      room: values.room || null,
    }),
  );
  return r.ok ? { done: true as const } : ({ error: r.error, values } satisfies Refusal);
}

export default function TheorySchedule() {
  const { lessons, options, monday, today, writer, onlyTeacher, prefill } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as Refusal | { done: true } | undefined;
  const refusal = actionData && "error" in actionData ? actionData : null;
  const { school } = useWorkspace();
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const base = `/s/${school.slug}/theory`;
  const { days, byDay } = weekByDay(monday, lessons);
  const fe = refusal?.error.fieldErrors ?? {};
  const bv: Partial<Values> = refusal?.values ?? prefill;
  // Subjects by category: a form without JavaScript can't narrow them to the chosen group, so they
  // come grouped by category and the server checks the subject against the group's programme.
  const categories = new Map<string, { code: string; nameKk: string; nameRu: string }[]>();
  for (const g of options?.groups ?? []) if (!categories.has(g.category)) categories.set(g.category, g.subjects);
  return (
    <main className="ws-main">
      <div className="ws-head">
        <h1>{onlyTeacher ? t("theory:mine") : t("theory:title")}</h1>
        <div className="ws-head-actions">
          <Link to={`${base}/grid?week=${monday}`}>{t("schedule:theoryGrid.open")}</Link>
        </div>
      </div>
      {actionData && "done" in actionData && navigation.state === "idle" ? (
        <Notice>{t("theory:created")}</Notice>
      ) : null}

      {writer && options ? (
        <FormCard
          id="create"
          title={t("theory:create")}
          message={refusal?.error.message}
          ready={options.groups.length > 0 && options.teachers.length > 0}
          noOptions={t("theory:noOptions")}
        >
          <RequiredSelect
            choose={t("theory:choose")}
            name="groupId"
            label={t("theory:fields.group")}
            value={bv.groupId}
            error={fe.groupId}
            options={options.groups.map((g) => [g.id, `${g.number} · ${g.category}`])}
          />
          <RequiredSelect
            choose={t("theory:choose")}
            name="subjectCode"
            label={t("theory:fields.subject")}
            value={bv.subjectCode}
            error={fe.subjectCode}
            hint={t("theory:subjectHint")}
          >
            {[...categories].map(([category, subjects]) => (
              <optgroup key={category} label={category}>
                {subjects.map((s) => (
                  <option
                    key={`${category}-${s.code}`}
                    value={s.code}
                  >{`${category} · ${locale === "kk" ? s.nameKk : s.nameRu}`}</option>
                ))}
              </optgroup>
            ))}
          </RequiredSelect>
          <RequiredSelect
            choose={t("theory:choose")}
            name="teacherId"
            label={t("theory:fields.teacher")}
            value={bv.teacherId}
            error={fe.teacherId}
            options={options.teachers.map((o) => [o.id, o.fullName])}
          />
          <LessonWhenFields
            labels={{
              date: t("theory:fields.date"),
              time: t("theory:fields.time"),
              minutes: t("theory:fields.minutes"),
            }}
            values={bv}
            errors={fe}
            today={today}
            time={{ start: "18:00", step: 300 }}
            minutes={{ max: 480, step: 5 }}
          />
          <Field
            name="room"
            label={t("theory:fields.room")}
            defaultValue={bv.room ?? ""}
            maxLength={60}
            error={fe.room}
          />
        </FormCard>
      ) : null}

      <WeekNav
        monday={monday}
        today={today}
        link={(m) => `${base}?week=${m}`}
        labels={{ prev: t("theory:prevWeek"), current: t("theory:thisWeek"), next: t("theory:nextWeek") }}
      />

      <WeekDays
        days={days}
        byDay={byDay}
        today={today}
        todayLabel={t("theory:today")}
        noneLabel={t("theory:none")}
        render={(l) => (
          <div key={l.id} className="lesson-card theory-card" data-testid="theory-lesson">
            <LessonTimes startsAt={l.startsAt} endsAt={l.endsAt} />
            <div>
              <div>
                <strong>{locale === "kk" ? l.subject.nameKk : l.subject.nameRu}</strong>
              </div>
              <div className="muted small">
                {t("theory:groupLabel", { number: l.group.number, category: l.group.category })} · {l.teacherName}
                {l.room ? ` · ${t("theory:roomLabel", { room: l.room })}` : ""}
              </div>
              <div className="small">
                {l.marked ? (
                  t("theory:attendanceCount", { present: l.present, marked: l.marked })
                ) : (
                  <span className="muted">{t("theory:notMarked")}</span>
                )}
              </div>
            </div>
            <div className="actions">
              <Link to={`${base}/${l.id}`} className="button secondary small">
                {t("theory:open")}
              </Link>
            </div>
          </div>
        )}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
