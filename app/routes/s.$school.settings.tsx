import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { Notice } from "~/components/Notice.tsx";
import { SchoolStatusBadge } from "~/components/StatusBadge.tsx";
import { SchoolFacts } from "~/components/SchoolFacts.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { InputHTMLAttributes } from "react";
import { Field, FormAlert } from "~/components/Field.tsx";
import { Consents, OfferAcceptances } from "~/components/ContractRecords.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { refusedWith, text, runWs, loadWs } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadWs(context, () => context.trpc.school.settings({ school: params.school! }));
}

const FIELDS = ["name", "directorName", "phone", "email", "address"] as const;

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const values = Object.fromEntries(FIELDS.map((k) => [k, text(form, k)])) as Record<(typeof FIELDS)[number], string>;
  const result = await runWs(context, () => context.trpc.school.updateSettings({ school: params.school!, ...values }));
  if (!result.ok) return refusedWith(result.response, values);
  return { saved: true as const };
}

export default function Settings() {
  const { school, acceptances, consents } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Record<(typeof FIELDS)[number], string>> | { saved: true } | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const ws = useWorkspace().school;
  const refused = actionData && "error" in actionData ? actionData : null;
  const v = (k: (typeof FIELDS)[number]) => refused?.values[k] ?? school[k] ?? "";
  const field = (name: (typeof FIELDS)[number], input: InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Field
      name={name}
      label={t(`workspace:settings.fields.${name}`)}
      defaultValue={v(name)}
      error={refused?.error.fieldErrors?.[name]}
      {...input}
    />
  );
  return (
    <main className="ws-main">
      <h1>{t("workspace:settings.title")}</h1>
      {actionData && "saved" in actionData && navigation.state === "idle" ? (
        <Notice>{t("workspace:settings.saved")}</Notice>
      ) : null}

      <section className="card">
        <h2 className="first">{t("workspace:settings.org")}</h2>
        <dl className="facts">
          <SchoolFacts school={school} />
          <dt>{t("workspace:settings.fields.status")}</dt>
          <dd>
            <SchoolStatusBadge status={school.status} />
          </dd>
          {school.status === "trial" && school.trialEndsAt ? (
            <>
              <dt>{t("workspace:settings.fields.trialEndsAt")}</dt>
              <dd>{fmt.date(school.trialEndsAt)}</dd>
            </>
          ) : null}
          <dt>{t("workspace:settings.fields.createdAt")}</dt>
          <dd>{fmt.dateTime(school.createdAt)}</dd>
        </dl>
      </section>

      <Form method="post" className="card" noValidate>
        <h2 className="first">{t("workspace:settings.edit")}</h2>
        <FormAlert message={refused?.error.message} />
        {field("name", { required: true })}
        {field("directorName", { required: true })}
        <div className="grid2">
          {field("phone", { type: "tel", required: true })}
          {field("email", { type: "email", required: true })}
        </div>
        {field("address")}
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {t("common:save")}
        </button>
      </Form>

      {ws.roles.includes("director") ? (
        <p>
          <Link to={`/s/${ws.slug}/settings/kaspi`}>{t("kaspi:schoolPayee.link")}</Link>
        </p>
      ) : null}

      <h2>{t("workspace:settings.offer.title")}</h2>
      <OfferAcceptances rows={acceptances} />

      <h2>{t("workspace:settings.consents.title")}</h2>
      <Consents rows={consents} />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
