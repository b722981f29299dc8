// The operator changes a school's plan (ADR 043), by the rules the director's billing page follows: each plan shows
// what the change would do (at once and free, at once with a charge for the days invoiced, or from a later day),
// the change waiting is named, and a reason is required — the school is e-mailed it.
import { Form } from "@remix-run/react";
import { FormAlert, TextAreaField } from "~/components/Field.tsx";
import type { Refused } from "~/components/workspace/ErrorPanel.tsx";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../../domain/i18n/index.ts";

type Quote = {
  kind: "now" | "upgrade" | "downgrade";
  effectiveOn: string;
  chargeTiyn: number;
  chargeFrom: string | null;
  chargeTo: string | null;
};
export type PlanChoices = {
  planId: string;
  plans: { id: string; nameKk: string; nameRu: string }[];
  waiting: { toPlanId: string; effectiveOn: string } | null;
  quotes: Record<string, Quote>;
};

export function SchoolPlanForm(props: {
  choices: PlanChoices;
  refused: Refused<{ intent: string; reason: string; planId?: string }> | null;
  busy: boolean;
}) {
  const { choices, refused } = props;
  const t = useT();
  const fmt = useFormat();
  const locale = useLocale();
  const name = (id: string) => {
    const p = choices.plans.find((x) => x.id === id);
    return p ? (locale === "kk" ? p.nameKk : p.nameRu) : "—";
  };
  const reasonError = refused?.error.fieldErrors?.reason;
  return (
    <Form method="post" noValidate className="ab-plan" data-testid="school-plan">
      <input type="hidden" name="intent" value="plan" />
      <h3>{t("billingAdmin:school.plan.title")}</h3>
      <p className="muted">{t("billingAdmin:school.plan.lead")}</p>
      {choices.waiting ? (
        <p className="banner-inline" role="status">
          {t("billingAdmin:school.plan.waiting", {
            name: name(choices.waiting.toPlanId),
            date: fmt.date(choices.waiting.effectiveOn),
          })}
        </p>
      ) : null}
      <FormAlert message={refused && !reasonError ? refused.error.message : null} />
      <fieldset className="ab-plan-choices">
        <legend className="visually-hidden">{t("billingAdmin:school.plan.title")}</legend>
        {choices.plans.map((p) => {
          const q = choices.quotes[p.id];
          const current = p.id === choices.planId;
          return (
            <label key={p.id} className="ab-plan-choice">
              <input
                type="radio"
                name="planId"
                value={p.id}
                defaultChecked={refused?.values.planId === p.id}
                disabled={current && !choices.waiting}
              />
              <span>
                <strong>{name(p.id)}</strong>
                {current ? ` — ${t("billingAdmin:school.plan.current")}` : null}
                <br />
                <small className="muted">
                  {current
                    ? choices.waiting
                      ? t("billingAdmin:school.plan.stay")
                      : ""
                    : q
                      ? t(`billing:plans.quote.${q.kind}`, {
                          amount: formatTiyn(q.chargeTiyn),
                          from: q.chargeFrom ? fmt.date(q.chargeFrom) : "",
                          to: q.chargeTo ? fmt.date(q.chargeTo) : "",
                          date: fmt.date(q.effectiveOn),
                        })
                      : ""}
                </small>
              </span>
            </label>
          );
        })}
      </fieldset>
      <TextAreaField
        id="f-plan-reason"
        name="reason"
        label={t("billingAdmin:school.plan.reason")}
        error={reasonError}
        rows={2}
        required
        minLength={3}
        maxLength={500}
        defaultValue={refused?.values.reason ?? ""}
      />
      <button type="submit" className="primary" disabled={props.busy}>
        {t("billingAdmin:school.plan.submit")}
      </button>
    </Form>
  );
}
