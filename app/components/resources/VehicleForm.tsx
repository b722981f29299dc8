import { Field } from "~/components/Field.tsx";
import { useT } from "~/lib/i18n.tsx";
import { CategorySelect, CheckField, SelectField, ResourceForm } from "./SelectField.tsx";

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
    <ResourceForm title={title} message={message} readOnly={readOnly} submitLabel={submitLabel} busy={busy}>
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
        <CategorySelect {...f("category")} />
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
    </ResourceForm>
  );
}
