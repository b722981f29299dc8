import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { readUploadForm } from "~/lib/upload.server.ts";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { isWriter } from "../../domain/roles.ts";
import { loadWorkspace, loadWs, runWs } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { Field, FormAlert } from "~/components/Field.tsx";
import { BadRowsTable, Counts, GoodRowsTable, ImportProgress } from "~/components/import/ImportViews.tsx";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";
import type { DescribedError } from "../../domain/errors.ts";

const MAX_BYTES = 10 * 1024 * 1024;
const XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const idParam = new URL(request.url).searchParams.get("id");
  if (idParam) {
    const id = uuidParam(context, idParam);
    return { upload: await loadWs(context, () => context.trpc.traineeImport.get({ school, id })) };
  }
  const ws = await loadWorkspace(context, school);
  if (!isWriter(ws.school.roles))
    throw data({ message: translator(context.ctx.locale)("errors:forbidden") }, { status: 403 });
  return { upload: null };
}

type ActionResult = { error: DescribedError };

function refused(message: string, status: number) {
  return data({ error: { message, fieldErrors: { file: message }, field: "file", status } } satisfies ActionResult, {
    status,
  });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const t = translator(context.ctx.locale);

  // "Import N good rows": a plain form with the upload's id.
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const id = String((await request.formData()).get("id") ?? "");
    const result = await runWs(context, () => context.trpc.traineeImport.start({ school, id }));
    if (!result.ok) return data(result.response.data, result.response.init ?? undefined);
    throw redirect(`/s/${school}/trainees/import?id=${id}`);
  }

  // The upload: the file is read into memory (10 MB at most) and handed to the server as base64.
  const upload = await readUploadForm(request, MAX_BYTES);
  if (!upload.ok)
    return refused(
      t(upload.reason === "tooBig" ? "errors:traineeImport.tooBig" : "errors:input.notMultipart"),
      upload.status,
    );
  const file = upload.form.get("file");
  if (!(file instanceof Blob) || file.size === 0) return refused(t("errors:traineeImport.empty"), 400);
  const fileName = (file as File).name || "import.xlsx";
  const fileBase64 = Buffer.from(await file.arrayBuffer()).toString("base64");
  const result = await runWs(context, () => context.trpc.traineeImport.upload({ school, fileName, fileBase64 }));
  if (!result.ok) {
    const error = result.response.data.error;
    return data(
      {
        error: {
          ...error,
          fieldErrors: { file: error.fieldErrors?.file ?? error.fieldErrors?.fileName ?? error.message },
        },
      },
      result.response.init ?? undefined,
    );
  }
  throw redirect(`/s/${school}/trainees/import?id=${result.value.id}`);
}

function UploadForm({ base }: { base: string }) {
  const t = useT();
  const actionData = useActionData() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formEncType === "multipart/form-data";
  const fileError = actionData?.error.fieldErrors?.file;
  return (
    <section className="card imp-upload">
      <p>{t("traineeImport:upload.intro")}</p>
      <p className="muted">{t("traineeImport:upload.adoption")}</p>
      <h2>{t("traineeImport:upload.step1")}</h2>
      <p>
        <a href={`${base}/import-template`} className="button secondary" download>
          {t("traineeImport:template.download")}
        </a>
      </p>
      <h2>{t("traineeImport:upload.step2")}</h2>
      <Form method="post" encType="multipart/form-data">
        {actionData && !fileError ? <FormAlert message={actionData.error.message} /> : null}
        <Field
          label={t("traineeImport:upload.file")}
          name="file"
          type="file"
          accept={XLSX_TYPES}
          required
          error={fileError}
          hint={t("traineeImport:upload.fileHint")}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("traineeImport:upload.busy") : t("traineeImport:upload.submit")}
        </button>
      </Form>
      <p className="muted imp-note">{t("traineeImport:upload.note")}</p>
    </section>
  );
}

export default function TraineeImport() {
  const { upload } = useLoaderData<typeof loader>();
  const actionData = useActionData() as ActionResult | undefined;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const t = useT();
  const base = `/s/${school.slug}/trainees`;
  const another = <Link to={`${base}/import`}>{t("traineeImport:preview.another")}</Link>;
  const heading = (
    <>
      <p>
        <Link to={base}>{t("traineeImport:backToList")}</Link>
      </p>
      <h1>{t("traineeImport:title")}</h1>
    </>
  );

  if (!upload) {
    return (
      <main className="ws-main imp">
        {heading}
        <UploadForm base={base} />
      </main>
    );
  }

  const { report, status } = upload;
  const badCount = report.bad.length;
  return (
    <main className="ws-main imp">
      {heading}
      <p className="muted imp-file">{t("traineeImport:preview.file", { name: upload.fileName })}</p>
      <Counts total={upload.totalRows} good={upload.goodRows} bad={badCount} />

      {status === "uploaded" ? (
        <>
          {report.exampleSkipped ? <p className="muted">{t("traineeImport:preview.exampleSkipped")}</p> : null}
          {actionData ? <FormAlert message={actionData.error.message} /> : null}
          {upload.goodRows > 0 && isWriter(school.roles) ? (
            <Form method="post" className="card imp-apply">
              <input type="hidden" name="id" value={upload.id} />
              <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
                {t("traineeImport:preview.apply", { n: upload.goodRows })}
              </button>
              <p className="muted">{t("traineeImport:preview.applyNote")}</p>
            </Form>
          ) : upload.goodRows === 0 ? (
            <p className="alert" role="status">
              {t("traineeImport:preview.nothing")}
            </p>
          ) : null}
          {badCount > 0 ? (
            <section>
              <h2>{t("traineeImport:preview.badTitle")}</h2>
              <p className="muted">{t("traineeImport:preview.badHint")}</p>
              <BadRowsTable rows={report.bad} />
            </section>
          ) : null}
          {report.preview.length > 0 ? (
            <section>
              <h2>{t("traineeImport:preview.goodTitle", { n: report.preview.length })}</h2>
              <GoodRowsTable rows={report.preview} />
            </section>
          ) : null}
          <p>{another}</p>
        </>
      ) : status === "queued" || status === "running" ? (
        <ImportProgress
          school={school.slug}
          id={upload.id}
          initial={{ status, doneRows: upload.doneRows, goodRows: upload.goodRows }}
        />
      ) : status === "done" ? (
        <>
          <section className="notice imp-result" role="status">
            <h2>{t("traineeImport:result.doneTitle")}</h2>
            <p>{t("traineeImport:result.imported", { n: report.imported ?? upload.doneRows })}</p>
            <p>
              <Link to={base} className="button">
                {t("traineeImport:result.toList")}
              </Link>
            </p>
          </section>
          {report.skipped && report.skipped.length > 0 ? (
            <section>
              <h2>{t("traineeImport:result.skippedTitle")}</h2>
              <p className="muted">{t("traineeImport:result.skippedHint")}</p>
              <BadRowsTable rows={report.skipped} />
            </section>
          ) : null}
          <p>{another}</p>
        </>
      ) : (
        <>
          <section className="alert imp-result" role="alert">
            <h2>{t("traineeImport:result.failedTitle")}</h2>
            <p>{t("traineeImport:result.failed")}</p>
          </section>
          <p>{another}</p>
        </>
      )}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
