import { Form } from "@remix-run/react";
import { Field, FormAlert } from "~/components/Field.tsx";
import { CATEGORIES } from "../../../domain/trainees.ts";
import { useT } from "~/lib/i18n.tsx";
import { CheckField, SelectField } from "./SelectField.tsx";

export const VEHICLE_TEXT_FIELDS = [
  "plate",
  "makeModel",
  "category",
  "gearbox",
  "insuranceValidUntil",
  "inspectionValidUntil",
] as const;
export type VehicleValues = Partial<Record<(typeof VEHICLE_TEXT_FIELDS)[number], string>> & {
  dualControls?: boolean;
  active?: boolean;
};

type Props = {
  values: VehicleValues;
  fieldErrors?: Record<string, string> | null;
  message?: string | null;
  readOnly?: boolean;
  submitLabel: string;
  busy?: boolean;
  title?: string;
};

/** A training vehicle's fields; plain POST. */
export function VehicleForm({ values, fieldErrors, message, readOnly, submitLabel, busy, title }: Props) {
  const t = useT();
  const f = (name: (typeof VEHICLE_TEXT_FIELDS)[number]) => ({
    name,
    label: t(`resources:vehicles.fields.${name}`),
    defaultValue: values[name] ?? "",
    error: fieldErrors?.[name],
    disabled: readOnly,
  });
  return (
    <Form method="post" className="card res-form" noValidate>
      {title ? <h2 className="first">{title}</h2> : null}
      <FormAlert message={message} />
      <div className="grid2">
        <Field
          {...f("plate")}
          required
          maxLength={20}
          autoComplete="off"
          className="mono"
          hint={readOnly ? undefined : t("resources:vehicles.hints.plate")}
        />
        <Field {...f("makeModel")} required maxLength={100} />
        <SelectField
          {...f("category")}
          required
          options={CATEGORIES.map((c) => ({ value: c, label: c }))}
          placeholder={t("resources:choose")}
        />
        <SelectField
          {...f("gearbox")}
          required
          options={(["manual", "automatic"] as const).map((g) => ({ value: g, label: t(`resources:gearbox.${g}`) }))}
          placeholder={t("resources:choose")}
        />
        <Field {...f("insuranceValidUntil")} type="date" />
        <Field {...f("inspectionValidUntil")} type="date" />
      </div>
      <CheckField
        name="dualControls"
        label={t("resources:vehicles.fields.dualControls")}
        defaultChecked={values.dualControls ?? true}
        disabled={readOnly}
      />
      <CheckField
        name="active"
        label={t("resources:vehicles.fields.active")}
        defaultChecked={values.active ?? true}
        disabled={readOnly}
        hint={readOnly ? undefined : t("resources:vehicles.hints.active")}
      />
      {readOnly ? null : (
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
      )}
    </Form>
  );
}
