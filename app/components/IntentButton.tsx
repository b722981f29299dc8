import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * A form that is one button: it posts `intent` to the page's action, after any other hidden `fields`
 * (name → value); `children` label the button.
 */
export function IntentButton({
  intent,
  fields = {},
  className,
  buttonClassName,
  children,
}: {
  intent: string;
  fields?: Record<string, string>;
  className?: string;
  buttonClassName: string;
  children: ReactNode;
}) {
  return (
    <Form method="post" className={className} preventScrollReset>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className={buttonClassName}>
        {children}
      </button>
    </Form>
  );
}
