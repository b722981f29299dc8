import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { ConfirmButton } from "~/components/ConfirmButton.tsx";

/**
 * A form that is one button: it posts `intent` to the page's action, after any other hidden `fields`
 * (name → value); `children` label the button. With `confirm`, the button asks that question first.
 */
export function IntentButton({
  intent,
  fields = {},
  className,
  buttonClassName,
  confirm,
  preventScrollReset,
  children,
}: {
  intent: string;
  fields?: Record<string, string>;
  className?: string;
  buttonClassName: string;
  confirm?: string;
  preventScrollReset?: boolean;
  children: ReactNode;
}) {
  return (
    <Form method="post" className={className} preventScrollReset={preventScrollReset}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="intent" value={intent} />
      {confirm ? (
        <ConfirmButton question={confirm} className={buttonClassName}>
          {children}
        </ConfirmButton>
      ) : (
        <button type="submit" className={buttonClassName}>
          {children}
        </button>
      )}
    </Form>
  );
}
