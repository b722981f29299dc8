import { Field } from "~/components/Field.tsx";

/** The field where someone sets a password (`password`, at least 10 characters, offered to password managers as new). */
export function NewPasswordField({
  label,
  hint,
  error,
  autoFocus,
}: {
  label: string;
  hint: string;
  error?: string | null;
  autoFocus?: boolean;
}) {
  return (
    <Field
      label={label}
      name="password"
      type="password"
      error={error}
      hint={hint}
      required
      minLength={10}
      autoComplete="new-password"
      autoFocus={autoFocus}
    />
  );
}
