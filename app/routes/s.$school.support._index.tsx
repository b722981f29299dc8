// The school's support page (offer 4.1.2, 4.4.3): a new ticket (remark, proposal or feedback, with up to three
// files read into memory and sent as base64 to support.create, which checks them by content) and the list of
// tickets — the caller's own, or all of the school's for a director.
import { Table } from "~/components/Table.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { readUploadForm } from "~/lib/upload.server.ts";
import { Field, FieldError, FormAlert, TextAreaField } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { TicketStatusBadge } from "~/components/support/Ticket.tsx";
import { translator } from "../../domain/i18n/index.ts";
import { ACTIVE_STAFF, hasRole } from "../../domain/roles.ts";

const KINDS = ["remark", "proposal", "feedback"] as const;
const MAX_BYTES = 5 * 1024 * 1024;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  return { tickets: await loadWs(context, () => context.trpc.support.list({ school: params.school! })) };
}

type Values = { kind: string; subject: string; text: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const t = translator(context.ctx.locale);
  const empty: Values = { kind: "", subject: "", text: "" };
  const upload = await readUploadForm(request, MAX_BYTES);
  if (!upload.ok) {
    const message = t(upload.reason === "tooBig" ? "support:fileTooBig" : "errors:input.notMultipart");
    return data(
      {
        error: { message, fieldErrors: { files: message }, field: "files", status: upload.status },
        values: empty,
      } satisfies Refused<Values>,
      { status: upload.status },
    );
  }
  const form = upload.form;
  const values: Values = { kind: text(form, "kind"), subject: text(form, "subject"), text: text(form, "text") };
  const files = await Promise.all(
    form
      .getAll("files")
      .filter((f): f is File => f instanceof Blob && f.size > 0)
      .map(async (f) => ({ name: f.name || "file", base64: Buffer.from(await f.arrayBuffer()).toString("base64") })),
  );
  const school = params.school!;
  const result = await runWs(context, () =>
    context.trpc.support.create({
      school,
      kind: values.kind as (typeof KINDS)[number],
      subject: values.subject,
      text: values.text,
      files,
    }),
  );
  if (!result.ok) return refusedWith(result.response, values);
  throw redirect(`/s/${school}/support/${result.value.id}?created=1`);
}

export default function Support() {
  const { tickets } = useLoaderData<typeof loader>();
  const refused = useActionData() as Refused<Values> | undefined;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const fe = refused?.error.fieldErrors ?? {};
  const busy = navigation.state === "submitting" && navigation.formEncType === "multipart/form-data";
  const director = school.roles.includes("director");
  const canWrite = hasRole(school.roles, ACTIVE_STAFF);
  return (
    <main className="ws-main">
      <h1>{t("support:title")}</h1>
      <p className="muted">{t("support:lead")}</p>

      {canWrite ? (
        <Form method="post" encType="multipart/form-data" className="card">
          <h2 className="first">{t("support:newTicket")}</h2>
          {refused && Object.keys(fe).length === 0 ? <FormAlert message={refused.error.message} /> : null}
          <fieldset className="plain-fieldset">
            <legend>{t("support:kindLabel")}</legend>
            {KINDS.map((k) => (
              <label key={k} className="check">
                <input
                  type="radio"
                  name="kind"
                  value={k}
                  defaultChecked={(refused?.values.kind || "remark") === k}
                  required
                />{" "}
                <strong>{t(`support:kind.${k}`)}</strong> <span className="muted">— {t(`support:kindHint.${k}`)}</span>
              </label>
            ))}
            <FieldError message={fe.kind} />
          </fieldset>
          <Field
            label={t("support:subject")}
            name="subject"
            defaultValue={refused?.values.subject}
            maxLength={200}
            required
            error={fe.subject}
          />
          <TextAreaField
            label={t("support:text")}
            name="text"
            error={fe.text}
            rows={6}
            maxLength={10000}
            required
            defaultValue={refused?.values.text}
            aria-invalid={!!fe.text}
          />
          <Field
            label={t("support:files")}
            name="files"
            type="file"
            multiple
            accept=".png,.jpg,.jpeg,.pdf,.txt,image/png,image/jpeg,application/pdf,text/plain"
            hint={t("support:filesHint")}
            error={fe.files ?? Object.entries(fe).find(([k]) => k.startsWith("files."))?.[1]}
          />
          <button type="submit" className="primary" disabled={busy}>
            {t("support:submit")}
          </button>
        </Form>
      ) : null}

      <h2>{t(director ? "support:listDirector" : "support:list")}</h2>
      <Table
        rows={tickets}
        empty={t("support:none")}
        emptyClassName="card muted"
        labels="support:cols"
        columns={["number", "subject", "kind", director && "author", "status", "opened", "due"]}
        row={(x) => (
          <tr key={x.id}>
            <td className="nowrap">{x.number}</td>
            <td className="break">
              <Link to={`/s/${school.slug}/support/${x.id}`}>{x.subject}</Link>
            </td>
            <td>{t(`support:kind.${x.kind}`)}</td>
            {director ? <td>{x.author}</td> : null}
            <td>
              <TicketStatusBadge status={x.status} />
            </td>
            <td className="nowrap">{fmt.dateTime(x.openedAt)}</td>
            <td className="nowrap">
              {fmt.dateTime(x.dueAt)}
              {x.overdue && !x.firstResponseAt ? (
                <>
                  {" "}
                  <span className="badge inv-overdue">{t("support:overdue")}</span>
                </>
              ) : null}
            </td>
          </tr>
        )}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
