// The director's page for the school's own Kaspi payee for tuition (docs/decisions/042-tuition-instalments.md):
// the address to give Kaspi, the secret (kept hashed: a fingerprint and a fresh random one to take), the addresses
// Kaspi calls from.
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Notice } from "~/components/Notice.tsx";
import { Field, FormAlert, TextAreaField } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { refusedWith, runWs, loadWs, text } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const settings = await loadWs(context, () => context.trpc.tuition.kaspiSettings({ school: params.school! }));
  return { settings, endpoint: `${new URL(request.url).origin}/pay/kaspi/${settings.payee}` };
}

type Values = { allowedIps: string; newSecret: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const values: Values = { allowedIps: text(form, "allowedIps"), newSecret: text(form, "newSecret") };
  const allowedIps = values.allowedIps
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const result = await runWs(context, () =>
    context.trpc.tuition.saveKaspiSettings({ school: params.school!, allowedIps, newSecret: values.newSecret }),
  );
  if (!result.ok) return refusedWith(result.response, values);
  return { saved: true as const };
}

export default function SchoolKaspi() {
  const { settings, endpoint } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Values> | { saved: true } | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const refused = actionData && "error" in actionData ? actionData : null;
  return (
    <main className="ws-main">
      <h1>{t("kaspi:schoolPayee.title")}</h1>
      <p className="lead">{t("kaspi:schoolPayee.lead")}</p>
      {actionData && "saved" in actionData && navigation.state === "idle" ? (
        <Notice>{t("kaspi:schoolPayee.saved")}</Notice>
      ) : null}
      <section className="card" data-testid="kaspi-endpoint">
        <dl className="facts">
          <dt>{t("kaspi:admin.endpoint")}</dt>
          <dd className="mono break">{endpoint}</dd>
          <dt>{t("kaspi:schoolPayee.secret")}</dt>
          <dd>
            {settings.fingerprint
              ? t("kaspi:schoolPayee.fingerprint", {
                  fingerprint: settings.fingerprint,
                  date: settings.secretSetAt ? fmt.date(settings.secretSetAt) : "—",
                })
              : t("kaspi:schoolPayee.notSet")}
          </dd>
        </dl>
        <p className="muted small">{t("kaspi:admin.endpointWithSecret", { url: endpoint })}</p>
      </section>
      <Form method="post" className="card" noValidate>
        <FormAlert message={refused?.error.message} />
        <TextAreaField
          name="allowedIps"
          rows={3}
          label={t("kaspi:schoolPayee.allowedIps")}
          hint={t("kaspi:schoolPayee.allowedIpsHint")}
          defaultValue={refused?.values.allowedIps ?? settings.allowedIps.join("\n")}
          error={refused?.error.fieldErrors?.allowedIps}
        />
        <Field
          name="newSecret"
          label={t("kaspi:schoolPayee.newSecret")}
          hint={t("kaspi:schoolPayee.newSecretHint", { suggestion: settings.suggestion })}
          autoComplete="off"
          error={refused?.error.fieldErrors?.newSecret}
        />
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {t("common:save")}
        </button>
      </Form>
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
