import { Form, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { InputHTMLAttributes } from "react";
import { Field, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { refusedWith, text, runWs, loadWs } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";

// The director's rules for trainee self-booking, and the instructor each trainee books with.

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const [rules, assignments] = await Promise.all([
    loadWs(context, () => context.trpc.booking.rules({ school })),
    loadWs(context, () => context.trpc.booking.assignments({ school })),
  ]);
  return { rules, assignments };
}

const FIELDS = ["opens", "closes", "slotMinutes", "windowDays", "cancelHours", "weeklyLimit"] as const;
type RuleValues = Record<(typeof FIELDS)[number], string> & { enabled: boolean };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const school = params.school!;
  if (text(form, "intent") === "assign") {
    const traineeId = text(form, "traineeId");
    const instructorId = text(form, "instructorId") || null;
    const r = await runWs(context, () => context.trpc.booking.assignInstructor({ school, traineeId, instructorId }));
    if (!r.ok) return refusedWith(r.response, { traineeId, instructorId: instructorId ?? "" });
    return { assigned: traineeId };
  }
  const values: RuleValues = {
    ...(Object.fromEntries(FIELDS.map((k) => [k, text(form, k)])) as Record<(typeof FIELDS)[number], string>),
    enabled: form.get("enabled") !== null,
  };
  const r = await runWs(context, () => context.trpc.booking.saveRules({ school, ...values } as never));
  if (!r.ok) return refusedWith(r.response, values);
  return { saved: true as const };
}

type ActionData =
  | Refused<Partial<RuleValues> & { traineeId?: string; instructorId?: string }>
  | { saved: true }
  | { assigned: string }
  | undefined;

export default function BookingRules() {
  const { rules, assignments } = useLoaderData<typeof loader>();
  const ws = useRouteLoaderData("routes/s.$school") as { school?: { roles?: string[] } } | undefined;
  const director = ws?.school?.roles?.includes("director") ?? false;
  const actionData = useActionData() as ActionData;
  const navigation = useNavigation();
  const t = useT();
  const idle = navigation.state === "idle";
  const refused = actionData && "error" in actionData ? actionData : null;
  const refusedAssign = refused?.values.traineeId ? refused : null;
  const refusedRules = refused && !refused.values.traineeId ? refused : null;
  const v = (k: (typeof FIELDS)[number]) => refusedRules?.values[k] ?? String(rules[k]);
  const fe = refusedRules?.error.fieldErrors;
  /** One rule's field, labelled and filled by its name; `input` says what it takes. */
  const field = (name: (typeof FIELDS)[number], input: InputHTMLAttributes<HTMLInputElement>) => (
    <Field
      name={name}
      label={t(`booking:rules.${name}`)}
      defaultValue={v(name)}
      error={fe?.[name]}
      required
      {...input}
    />
  );
  const whole = (min: number, max: number) => ({ type: "number", inputMode: "numeric", min, max }) as const;
  const instructorName = (id: string | null) => assignments.instructors.find((i) => i.id === id)?.fullName;

  return (
    <main className="ws-main booking-rules">
      <h1>{t("booking:rules.title")}</h1>
      <p className="muted">{t("booking:rules.lead")}</p>
      {actionData && "saved" in actionData && idle ? <Notice>{t("booking:rules.saved")}</Notice> : null}

      <Form method="post" className="card" noValidate>
        <input type="hidden" name="intent" value="rules" />
        <FormAlert message={refusedRules?.error.message} />
        {!director ? <p className="muted">{t("booking:rules.directorOnly")}</p> : null}
        <fieldset disabled={!director} className="plain-fieldset">
          <label className="check">
            <input
              type="checkbox"
              name="enabled"
              defaultChecked={refusedRules ? !!refusedRules.values.enabled : rules.enabled}
            />
            <span>{t("booking:rules.enabled")}</span>
          </label>
          <div className="grid2">
            {field("opens", { inputMode: "numeric", placeholder: "08:00", maxLength: 5 })}
            {field("closes", { inputMode: "numeric", placeholder: "20:00", maxLength: 5 })}
          </div>
          <div className="grid2">
            {field("slotMinutes", whole(30, 240))}
            {field("windowDays", whole(1, 60))}
          </div>
          <div className="grid2">
            {field("cancelHours", whole(0, 168))}
            {field("weeklyLimit", whole(1, 14))}
          </div>
          {director ? (
            <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
              {t("common:save")}
            </button>
          ) : null}
        </fieldset>
      </Form>

      <h2 id="assign">{t("booking:assign.title")}</h2>
      <p className="muted">{t("booking:assign.lead")}</p>
      {actionData && "assigned" in actionData && idle ? <Notice>{t("booking:assign.saved")}</Notice> : null}
      {assignments.instructors.length === 0 ? (
        <p className="banner-inline">{t("booking:assign.noInstructors")}</p>
      ) : null}
      {assignments.trainees.length === 0 ? (
        <p className="muted">{t("booking:assign.noTrainees")}</p>
      ) : (
        <ul className="plain-list card assign-list">
          {assignments.trainees.map((tr) => {
            const err = refusedAssign?.values.traineeId === tr.id ? refusedAssign.error : null;
            return (
              <li key={tr.id} className="assign-row">
                <div className="assign-name">
                  <strong>
                    {tr.lastName} {tr.firstName}
                  </strong>
                  <span className="muted small"> · {tr.category}</span>
                </div>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="assign" />
                  <input type="hidden" name="traineeId" value={tr.id} />
                  <select
                    name="instructorId"
                    defaultValue={err ? refusedAssign?.values.instructorId : (tr.instructorId ?? "")}
                    aria-label={`${t("booking:assign.instructor")}: ${tr.lastName} ${tr.firstName}`}
                    aria-invalid={!!err}
                  >
                    <option value="">{t("booking:assign.none")}</option>
                    {assignments.instructors.map((i) => (
                      <option key={i.id} value={i.id}>
                        {i.fullName}
                      </option>
                    ))}
                    {tr.instructorId && !instructorName(tr.instructorId) ? (
                      <option value={tr.instructorId}>{tr.instructorId.slice(0, 8)}</option>
                    ) : null}
                  </select>
                  <button type="submit" className="secondary" disabled={navigation.state === "submitting"}>
                    {t("booking:assign.save")}
                  </button>
                </Form>
                {err ? (
                  <small className="error" role="alert">
                    {err.message}
                  </small>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
