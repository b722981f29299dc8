import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormAlert } from "~/components/Field.tsx";

/**
 * A card that adds something (a lesson, an exam result): `title` heads it, the fields are the children in a
 * three-column grid, then the submit button (`submitLabel`, else the title). Without `ready` (nothing to choose
 * from yet) only the `noOptions` line stands in its place. A page that is only this form (`titled={false}`) says
 * the title in its own h1 instead.
 */
export function FormCard({
  title,
  submitLabel = title,
  intent,
  message,
  ready,
  noOptions,
  id,
  titled = true,
  children,
}: {
  /** An anchor for links to the form. */
  id?: string;
  title: string;
  /** false where the page's own heading already names the form */
  titled?: boolean;
  submitLabel?: string;
  /** The form's hidden `intent`, where the page's action has more than one. */
  intent?: string;
  message?: string | null;
  ready: boolean;
  noOptions: string;
  children: ReactNode;
}) {
  if (!ready) return <p className="card muted">{noOptions}</p>;
  return (
    <Form method="post" className="card" id={id} preventScrollReset>
      {titled ? <h2 className="first">{title}</h2> : null}
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <FormAlert message={message} />
      <div className="grid3">{children}</div>
      <button type="submit" className="primary">
        {submitLabel}
      </button>
    </Form>
  );
}
