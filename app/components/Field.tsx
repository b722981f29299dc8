import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";
import { Form, Link } from "@remix-run/react";
import { useT } from "~/lib/i18n.tsx";

type Props = InputHTMLAttributes<HTMLInputElement> & {
  label: ReactNode;
  name: string;
  error?: ReactNode;
  hint?: ReactNode;
};

/** A labelled input with its error underneath, linked for screen readers. */
export function Field({ label, name, error, hint, ...input }: Props) {
  const id = input.id ?? `f-${name}`;
  return (
    <FieldBox htmlFor={id} label={label} error={error} hint={hint} errorId={`${id}-err`}>
      <input id={id} name={name} aria-invalid={!!error} aria-describedby={error ? `${id}-err` : undefined} {...input} />
    </FieldBox>
  );
}

/** A labelled textarea (id `f-<name>` unless given) with its error underneath; the textarea's other props pass through. */
export function TextAreaField({
  label,
  name,
  error,
  hint,
  ...textarea
}: TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: ReactNode;
  name: string;
  error?: string | null;
  hint?: ReactNode;
}) {
  const id = textarea.id ?? `f-${name}`;
  return (
    <FieldBox htmlFor={id} label={label} error={error} hint={hint} errorId={`${id}-err`}>
      <textarea
        id={id}
        name={name}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-err` : undefined}
        {...textarea}
      />
    </FieldBox>
  );
}

export function FormAlert({ message }: { message?: string | null }) {
  return message ? (
    <div className="alert" role="alert">
      {message}
    </div>
  ) : null;
}

/** A field's error message under its control (nothing when there is none). */
export function FieldError({ message, id }: { message?: ReactNode; id?: string }) {
  return message ? (
    <small className="error" id={id} role="alert">
      {message}
    </small>
  ) : null;
}

/** A `.field` box: label, the control given as children, and its error (marking the box `has-error`). */
export function FieldBox({
  htmlFor,
  label,
  error,
  hint,
  errorId,
  children,
}: {
  htmlFor: string;
  label: ReactNode;
  error?: ReactNode;
  /** Shown instead of the error while there is none. */
  hint?: ReactNode;
  /** The error's id, for a control's aria-describedby. */
  errorId?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error ? <small className="hint">{hint}</small> : null}
      <FieldError message={error} id={errorId} />
    </div>
  );
}

/**
 * A required select that starts on a disabled "choose…" option (`choose` is its text), then the `options`
 * (value and text pairs) and any other children (e.g. optgroups).
 */
export function RequiredSelect({
  name,
  label,
  value,
  error,
  hint,
  choose,
  options = [],
  children,
}: {
  name: string;
  label: string;
  value?: string;
  error?: string;
  hint?: string;
  choose: string;
  options?: [value: string, text: string][];
  children?: ReactNode;
}) {
  return (
    <FieldBox htmlFor={`f-${name}`} label={label} error={error} hint={hint}>
      <select id={`f-${name}`} name={name} defaultValue={value ?? ""} required aria-invalid={!!error}>
        <option value="" disabled>
          {choose}
        </option>
        {options.map(([id, text]) => (
          <option key={id} value={id}>
            {text}
          </option>
        ))}
        {children}
      </select>
    </FieldBox>
  );
}

/** A list's search box (`name="q"`) with its visually hidden label; the rest of the input's props pass through. */
export function SearchBox({
  id = "q",
  label,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { id?: string; label: ReactNode }) {
  return (
    <>
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      <input type="search" id={id} name="q" {...input} />
    </>
  );
}

/** A list filter's select (`id` = `name`) with its visually hidden label and an "all" option first. */
export function FilterSelect<V extends string>({
  name,
  label,
  value,
  allLabel,
  options,
  optionLabel,
}: {
  name: string;
  label: ReactNode;
  value?: string;
  allLabel: string;
  options: readonly V[];
  optionLabel: (v: V) => string;
}) {
  return (
    <>
      <label className="visually-hidden" htmlFor={name}>
        {label}
      </label>
      <select id={name} name={name} defaultValue={value}>
        <option value="">{allLabel}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {optionLabel(o)}
          </option>
        ))}
      </select>
    </>
  );
}

/** The "filtered to one school" line of the console's lists, with a link that drops the school; nothing when no school is set. */
export function SchoolFilterNote({
  schoolId,
  schoolName,
  clearTo,
}: {
  schoolId: string;
  schoolName?: string;
  clearTo: string;
}) {
  const t = useT();
  if (!schoolId) return null;
  return (
    <p className="toolbar">
      <span>
        {t("billingAdmin:common.schoolFilter")}:{" "}
        <Link to={`/admin/schools/${schoolId}`}>{schoolName ?? schoolId.slice(0, 8)}</Link>
      </span>
      <Link to={clearTo} className="button secondary small">
        {t("admin:audit.clearSchool")}
      </Link>
    </p>
  );
}

/**
 * A list's GET filter form: the filter fields as children, then the submit button and, when `filtered`,
 * a link back to the unfiltered list.
 */
export function FilterForm({
  className = "toolbar",
  search = false,
  action,
  submitLabel,
  submitClassName = "primary",
  filtered,
  resetTo,
  resetLabel,
  children,
}: {
  className?: string;
  search?: boolean;
  action?: string;
  submitLabel: string;
  submitClassName?: string;
  filtered: unknown;
  resetTo: string;
  resetLabel: string;
  children: ReactNode;
}) {
  return (
    <Form method="get" className={className} role={search ? "search" : undefined} action={action}>
      {children}
      <button type="submit" className={submitClassName}>
        {submitLabel}
      </button>
      {filtered ? (
        <Link to={resetTo} className="button secondary">
          {resetLabel}
        </Link>
      ) : null}
    </Form>
  );
}
