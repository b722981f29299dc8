import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FieldBox, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { load, requireUser, runForm } from "~/lib/forms.server.ts";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import { almatyDate, almatyTime } from "../../domain/kz/time.ts";
import type { DescribedError } from "../../domain/errors.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const lesson = await load(context, () => context.trpc.theory.get({ school: params.school!, id: params.id! }));
  return { lesson, now: Date.now() };
}

type Refusal = { error: DescribedError; present: string[]; reason: string };

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const present = form.getAll("present").map(String);
  const reason = String(form.get("reason") ?? "");
  const r = await runForm(context, () =>
    context.trpc.theory.mark({ school: params.school!, lessonId: params.id!, present, reason: reason || null }),
  );
  return r.ok ? { done: r.value } : ({ error: r.error, present, reason } satisfies Refusal);
}

export default function TheoryLesson() {
  const { lesson, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as
    | Refusal
    | { done: { marked: number; corrected: number } }
    | undefined;
  const refusal = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData ? actionData.done : null;
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const locale = useLocale();
  const navigation = useNavigation();
  const startsAt = new Date(lesson.startsAt);
  const endsAt = new Date(lesson.endsAt);
  const started = startsAt.getTime() <= now;
  const anyMarked = lesson.trainees.some((x) => x.present !== null);
  const checked = (id: string, present: boolean | null) => (refusal ? refusal.present.includes(id) : present === true);
  const subject = locale === "kk" ? lesson.subject.nameKk : lesson.subject.nameRu;
  const presentCount = lesson.trainees.filter((x) => x.present === true).length;
  const editable = lesson.canMark && started;
  return (
    <main className="ws-main theory-lesson">
      <p>
        <Link to={`/s/${school.slug}/theory?week=${almatyDate(startsAt)}`}>{t("theory:lesson.back")}</Link>
      </p>
      <h1>{t("theory:lesson.title", { subject, group: lesson.group.number })}</h1>
      <dl className="facts card">
        <div>
          <dt>{t("theory:fields.date")}</dt>
          <dd>
            {t("theory:lesson.when", { date: fmt.date(startsAt), from: almatyTime(startsAt), to: almatyTime(endsAt) })}{" "}
            ·{" "}
            {t("theory:lesson.hours", {
              hours: String(Math.round((endsAt.getTime() - startsAt.getTime()) / 360_000) / 10).replace(".", ","),
            })}
          </dd>
        </div>
        <div>
          <dt>{t("theory:fields.teacher")}</dt>
          <dd>{lesson.teacherName}</dd>
        </div>
        {lesson.room ? (
          <div>
            <dt>{t("theory:fields.room")}</dt>
            <dd>{lesson.room}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("theory:fields.group")}</dt>
          <dd>
            {lesson.group.number} · {lesson.group.category}
          </dd>
        </div>
      </dl>

      {done && navigation.state === "idle" ? (
        <Notice>{done.marked + done.corrected ? t("theory:lesson.saved") : t("theory:lesson.unchanged")}</Notice>
      ) : null}
      {!lesson.canMark ? <p className="muted">{t("theory:lesson.readOnly")}</p> : null}
      {lesson.canMark && !started ? (
        <p className="muted">{t("theory:lesson.notStarted", { at: fmt.dateTime(startsAt) })}</p>
      ) : null}

      <h2>{t("theory:lesson.trainees")}</h2>
      {anyMarked ? (
        <p className="muted">{t("theory:lesson.summary", { present: presentCount, total: lesson.trainees.length })}</p>
      ) : null}
      {lesson.trainees.length === 0 ? (
        <p className="muted">{t("theory:lesson.noTrainees")}</p>
      ) : (
        <Form method="post" className="card attendance-form" preventScrollReset>
          <FormAlert message={refusal?.error.fieldErrors?.reason ? null : refusal?.error.message} />
          <ul className="attendance-list">
            {lesson.trainees.map((x) => (
              <li key={x.id} className={x.present === true ? "att-present" : x.present === false ? "att-absent" : ""}>
                <label>
                  <input
                    type="checkbox"
                    name="present"
                    value={x.id}
                    defaultChecked={checked(x.id, x.present)}
                    disabled={!editable}
                  />
                  <span className="att-name">
                    {x.lastName} {x.firstName}
                    {x.middleName ? ` ${x.middleName}` : ""}
                  </span>
                </label>
                <small className="muted">
                  {x.present === null
                    ? t("theory:lesson.notMarked")
                    : `${x.present ? t("theory:lesson.presentWord") : t("theory:lesson.absentWord")} · ${t("theory:lesson.markedBy", { name: x.markedBy ?? "", at: fmt.dateTime(x.markedAt!) })}`}
                </small>
              </li>
            ))}
          </ul>
          {editable ? (
            <>
              {anyMarked ? (
                <FieldBox
                  htmlFor="f-reason"
                  label={t("theory:lesson.reason")}
                  error={refusal?.error.fieldErrors?.reason}
                  hint={t("theory:lesson.reasonHint")}
                >
                  <input
                    id="f-reason"
                    name="reason"
                    maxLength={500}
                    defaultValue={refusal?.reason ?? ""}
                    aria-invalid={!!refusal?.error.fieldErrors?.reason}
                  />
                </FieldBox>
              ) : null}
              <button type="submit" className="primary">
                {t("theory:lesson.save")}
              </button>
            </>
          ) : null}
        </Form>
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
