import { Form, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Field, FormAlert } from "~/components/Field.tsx";
import { load, runForm, type FormError } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";
import type { RootData } from "~/root.tsx";

export async function loader({ context }: LoaderFunctionArgs) {
  return load(context, () => context.trpc.admin.settings());
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const result = await runForm(context, () => context.trpc.admin.setTrialDays({ days: Number(form.get("trialDays")) }));
  return result.ok ? { saved: true as const } : result.response;
}

export default function AdminSettings() {
  const settings = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as
    | (FormError & { saved?: undefined })
    | { saved: true; error?: undefined }
    | undefined;
  const root = useRouteLoaderData("root") as RootData | undefined;
  const canEdit = root?.user?.operatorRole === "super_admin";
  const t = useT();
  return (
    <main className="ws-main">
      <h1>{t("admin:settings.title")}</h1>
      <Form method="post" className="card" style={{ maxWidth: "32rem" }}>
        {actionData?.saved ? <Notice>{t("admin:settings.saved")}</Notice> : null}
        <FormAlert message={actionData?.error?.message} />
        <Field
          label={t("admin:settings.trialDays")}
          name="trialDays"
          type="number"
          min={0}
          max={90}
          required
          defaultValue={settings.trialDays}
          disabled={!canEdit}
          hint={t("admin:settings.trialHint")}
          error={actionData?.error?.fieldErrors?.days}
        />
        {canEdit ? (
          <button type="submit" className="primary">
            {t("admin:settings.save")}
          </button>
        ) : (
          <p className="muted">{t("admin:settings.readOnly")}</p>
        )}
      </Form>
    </main>
  );
}
