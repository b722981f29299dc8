// Bank statements: upload a 1C statement (read into memory, sent as base64 to admin.billing.uploadStatement)
// and the list of past ones. A statement's preview (/admin/statements/:id) renders in place of this page.
import { Table } from "~/components/Table.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { readUploadForm } from "~/lib/upload.server.ts";
import { Field, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, runWs } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";
import type { loader as adminLoader } from "./admin.tsx";
import type { DescribedError } from "../../domain/errors.ts";

const MAX_BYTES = 10 * 1024 * 1024;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return { statements: await loadWs(context, () => context.trpc.admin.billing.statements()) };
}

type ActionResult = { error: DescribedError };

function refused(error: Omit<DescribedError, "fieldErrors" | "field">) {
  return data({ error: { ...error, fieldErrors: { file: error.message }, field: "file" } } satisfies ActionResult, {
    status: error.status,
  });
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const t = translator(context.ctx.locale);
  const upload = await readUploadForm(request, MAX_BYTES);
  if (!upload.ok)
    return refused({
      message: t(upload.reason === "tooBig" ? "errors:billing.statement.tooBig" : "errors:input.notMultipart"),
      status: upload.status,
    });
  const file = upload.form.get("file");
  if (!(file instanceof Blob) || file.size === 0)
    return refused({ message: t("errors:billing.statement.empty"), status: 400 });
  const fileName = (file as File).name || "statement.txt";
  const base64 = Buffer.from(await file.arrayBuffer()).toString("base64");
  const result = await runWs(context, () => context.trpc.admin.billing.uploadStatement({ fileName, base64 }));
  if (!result.ok) {
    const error = result.response.data.error;
    const fe = error.fieldErrors ?? {};
    return refused({ message: fe.file ?? fe.base64 ?? fe.fileName ?? error.message, status: error.status });
  }
  throw redirect(`/admin/statements/${result.value.id}`);
}

export default function AdminStatements() {
  return <StatementList />;
}

function StatementList() {
  const { statements } = useLoaderData<typeof loader>();
  const admin = useRouteLoaderData<typeof adminLoader>("routes/admin");
  const actionData = useActionData() as ActionResult | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const canUpload = admin?.operatorRole === "super_admin" || admin?.operatorRole === "billing";
  const busy = navigation.state === "submitting" && navigation.formEncType === "multipart/form-data";
  const fileError = actionData?.error.fieldErrors?.file;
  return (
    <main className="ws-main">
      <h1>{t("billingAdmin:statements.title")}</h1>
      {canUpload ? (
        <section className="card ab-upload">
          <p>{t("billingAdmin:statements.intro")}</p>
          <Form method="post" encType="multipart/form-data">
            {actionData && !fileError ? <FormAlert message={actionData.error.message} /> : null}
            <Field
              label={t("billingAdmin:statements.file")}
              name="file"
              type="file"
              accept=".txt,text/plain"
              required
              error={fileError}
              hint={t("billingAdmin:statements.fileHint")}
            />
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t("billingAdmin:statements.busy") : t("billingAdmin:statements.upload")}
            </button>
          </Form>
          <p className="muted small">{t("billingAdmin:statements.safe")}</p>
        </section>
      ) : null}

      <h2>{t("billingAdmin:statements.past")}</h2>
      <Table
        rows={statements}
        empty={t("billingAdmin:statements.empty")}
        emptyClassName="card muted"
        labels="billingAdmin:statements.cols"
        columns={["file", "uploaded", "applied", ["paid", "num"]]}
        row={(s) => (
          <tr key={s.id}>
            <td className="break">
              <Link to={`/admin/statements/${s.id}`}>{s.fileName}</Link>
            </td>
            <td className="nowrap">{fmt.dateTime(s.uploadedAt)}</td>
            <td className="nowrap">
              {s.appliedAt ? (
                fmt.dateTime(s.appliedAt)
              ) : (
                <span className="badge inv-open">{t("billingAdmin:statements.notApplied")}</span>
              )}
            </td>
            <td className="num">{s.paidCount ?? "—"}</td>
          </tr>
        )}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
