import type { ReactNode, SelectHTMLAttributes } from "react";
import { FieldBox } from "~/components/Field.tsx";

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
