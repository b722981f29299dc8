import { Form, Link } from "@remix-run/react";
import { Field, FormAlert } from "~/components/Field.tsx";
import { useT } from "~/lib/i18n.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { CATEGORIES } from "../../../domain/trainees.ts";

export const TRAINEE_FIELDS = [
  "iin",
  "lastName",
  "firstName",
  "middleName",
  "latinName",
  "birthDate",
  "phone",
  "email",
  "address",
  "category",
  "gearbox",
  "contractNumber",
  "contractPrice",
  "medicalCertNumber",
  "medicalCertIssuedOn",
  "medicalCertValidUntil",
] as const;
export type TraineeValues = Partial<Record<(typeof TRAINEE_FIELDS)[number], string>>;

type Props = {
  values: TraineeValues;
  fieldErrors?: Record<string, string> | null;
  message?: string | null;
  /** the trainee who already has the IIN typed (a refused duplicate): linked under the IIN field */
  existingId?: string;
  readOnly?: boolean;
  /** the fields the caller's role sees of this trainee (ADR 026); the others, and a section left empty, are not drawn. All when absent. */
  shown?: ReadonlySet<string>;
  submitLabel: string;
  busy?: boolean;
  children?: React.ReactNode;
};

/** The trainee's register fields; plain POST, works without JavaScript. */
export function TraineeForm({
  values,
  fieldErrors,
  message,
  existingId,
  readOnly,
  shown,
  submitLabel,
  busy,
  children,
}: Props) {
  const t = useT();
  const { school } = useWorkspace();
  const has = (...names: (typeof TRAINEE_FIELDS)[number][]) => !shown || names.some((n) => shown.has(n));
  const show = (name: (typeof TRAINEE_FIELDS)[number], field: React.ReactNode) => (has(name) ? field : null);
  const f = (name: (typeof TRAINEE_FIELDS)[number], label = t(`workspace:trainee.fields.${name}`)) => ({
    name,
    label,
    defaultValue: values[name] ?? "",
    error: fieldErrors?.[name],
    disabled: readOnly,
  });
  const categoryError = fieldErrors?.category;
  // Read-only cards (inspector, teacher, instructor) need no input hints.
  const hint = (key: string) => (readOnly ? undefined : t(key));
  // A refusal that belongs to a field is said once, under that field; the alert is for the rest.
  const underField = !!message && Object.values(fieldErrors ?? {}).includes(message);
  const iinError =
    fieldErrors?.iin && existingId ? (
      <>
        {fieldErrors.iin}.{" "}
        <Link to={`/s/${school.slug}/trainees/${existingId}`}>{t("workspace:trainee.openExisting")}</Link>
      </>
    ) : (
      fieldErrors?.iin
    );
  return (
    <Form method="post" className="card trainee-form" noValidate>
      <FormAlert message={underField ? null : message} />
      <fieldset disabled={readOnly} className="plain">
        <h2>{t("workspace:trainee.personal")}</h2>
        <div className="grid2">
          {show(
            "iin",
            <Field
              {...f("iin")}
              error={iinError}
              inputMode="numeric"
              maxLength={12}
              autoComplete="off"
              required
              hint={hint("workspace:trainee.hints.iin")}
            />,
          )}
          {show(
            "birthDate",
            <Field {...f("birthDate")} type="date" hint={hint("workspace:trainee.hints.birthDate")} />,
          )}
          <Field {...f("lastName")} required autoComplete="family-name" />
          <Field {...f("firstName")} required autoComplete="given-name" />
          <Field
            {...f("middleName")}
            autoComplete="additional-name"
            hint={hint("workspace:trainee.hints.middleName")}
          />
          {show(
            "latinName",
            <Field {...f("latinName")} lang="en" autoComplete="off" hint={hint("workspace:trainee.hints.latinName")} />,
          )}
        </div>
        {has("phone", "email", "address") ? (
          <>
            <h2>{t("workspace:trainee.contacts")}</h2>
            <div className="grid2">
              {show(
                "phone",
                <Field {...f("phone")} type="tel" autoComplete="tel" hint={hint("workspace:trainee.hints.phone")} />,
              )}
              {show("email", <Field {...f("email")} type="email" autoComplete="email" />)}
            </div>
            {show("address", <Field {...f("address")} autoComplete="street-address" />)}
          </>
        ) : null}
        <h2>{t("workspace:trainee.training")}</h2>
        <div className={`field${categoryError ? " has-error" : ""}`}>
          <label htmlFor="f-category">{t("workspace:trainee.fields.category")}</label>
          <select
            id="f-category"
            name="category"
            defaultValue={values.category ?? ""}
            required
            aria-invalid={!!categoryError}
            aria-describedby={categoryError ? "f-category-err" : undefined}
          >
            <option value="" disabled>
              {t("workspace:trainee.categoryChoose")}
            </option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          {categoryError ? (
            <small className="error" id="f-category-err" role="alert">
              {categoryError}
            </small>
          ) : null}
        </div>
        <fieldset className="plain radios">
          <legend>{t("training:fields.gearbox")}</legend>
          {(["manual", "automatic"] as const).map((g) => (
            <label key={g} className="check">
              <input type="radio" name="gearbox" value={g} defaultChecked={(values.gearbox || "manual") === g} />
              <span>{t(`training:gearbox.${g}`)}</span>
            </label>
          ))}
        </fieldset>
        {has("contractNumber", "contractPrice") ? (
          <>
            <h2>{t("training:contract.title")}</h2>
            <div className="grid2">
              <Field {...f("contractNumber", t("training:fields.contractNumber"))} />
              <Field
                {...f("contractPrice", t("training:fields.contractPrice"))}
                inputMode="decimal"
                hint={hint("training:hints.tenge")}
              />
            </div>
          </>
        ) : null}
        {has("medicalCertNumber", "medicalCertIssuedOn", "medicalCertValidUntil") ? (
          <>
            <h2>{t("training:medical.title")}</h2>
            <div className="grid3">
              <Field {...f("medicalCertNumber", t("training:fields.medicalCertNumber"))} />
              <Field {...f("medicalCertIssuedOn", t("training:fields.medicalCertIssuedOn"))} type="date" />
              <Field {...f("medicalCertValidUntil", t("training:fields.medicalCertValidUntil"))} type="date" />
            </div>
          </>
        ) : null}
      </fieldset>
      {children}
      {readOnly ? null : (
        <p>
          <button type="submit" className="primary" disabled={busy}>
            {submitLabel}
          </button>
        </p>
      )}
    </Form>
  );
}
