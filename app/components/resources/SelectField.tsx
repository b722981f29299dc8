import { Form } from "@remix-run/react";
import type { ReactNode, SelectHTMLAttributes } from "react";
import { FieldBox, FormAlert } from "~/components/Field.tsx";
import { useT } from "~/lib/i18n.tsx";
import { CATEGORIES } from "../../../domain/trainees.ts";

type Props = SelectHTMLAttributes<HTMLSelectElement> & {
  label: ReactNode;
  name: string;
  error?: string | null;
  hint?: ReactNode;
  options: { value: string; label: string }[];
  placeholder?: string;
};

/** A labelled select with its error underneath, like Field. */
export function SelectField({ label, name, error, hint, options, placeholder, ...select }: Props) {
  const id = select.id ?? `f-${name}`;
  return (
    <FieldBox htmlFor={id} label={label} error={error} hint={hint} errorId={`${id}-err`}>
      <select id={id} name={name} aria-invalid={!!error} aria-describedby={error ? `${id}-err` : undefined} {...select}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldBox>
  );
}

/** A labelled checkbox (checked → "on" → true through formObject). */
export function CheckField({
  label,
  name,
  defaultChecked,
  disabled,
  hint,
}: {
  label: ReactNode;
  name: string;
  defaultChecked?: boolean;
  disabled?: boolean;
  hint?: ReactNode;
}) {
  return (
    <div className="field">
      <label className="check">
        <input type="checkbox" name={name} defaultChecked={defaultChecked} disabled={disabled} />
        <span>{label}</span>
      </label>
      {hint ? <small className="hint">{hint}</small> : null}
    </div>
  );
}

/** A required select of the licence categories, starting on "choose…". */
export function CategorySelect(props: Omit<Props, "options" | "placeholder" | "required">) {
  const t = useT();
  return (
    <SelectField
      {...props}
      required
      options={CATEGORIES.map((c) => ({ value: c, label: c }))}
      placeholder={t("resources:choose")}
    />
  );
}

/** A resource's form card (plain POST): the optional title and the form's alert, the fields, then the submit button unless read-only. */
export function ResourceForm({
  title,
  message,
  readOnly,
  submitLabel,
  busy,
  children,
}: {
  title?: string;
  message?: string | null;
  readOnly?: boolean;
  submitLabel: string;
  busy?: boolean;
  children: ReactNode;
}) {
  return (
    <Form method="post" className="card res-form" noValidate>
      {title ? <h2 className="first">{title}</h2> : null}
      <FormAlert message={message} />
      {children}
      {readOnly ? null : (
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
      )}
    </Form>
  );
}
