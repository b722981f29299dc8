import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { isOneOf } from "../../domain/trainees.ts";
import { refusedWith, runWs, loadWs, text } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { LOCALES, type Locale } from "../../domain/i18n/index.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadWs(context, () => context.trpc.exports.contractTemplates({ school: params.school! }));
}

type Values = { locale: string; body: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const values: Values = { locale: text(form, "locale"), body: text(form, "body") };
  const locale = isOneOf(LOCALES, values.locale) ? values.locale : "kk";
  const school = params.school!;
  const reset = form.get("intent") === "reset";
  const result = await runWs(context, () =>
    reset
      ? context.trpc.exports.resetContractTemplate({ school, locale })
      : context.trpc.exports.saveContractTemplate({ school, locale, body: values.body }),
  );
  if (!result.ok) return refusedWith(result.response, values);
  return { done: reset ? ("reset" as const) : ("saved" as const), locale };
}

export default function ContractTemplate() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Values> | { done: "saved" | "reset"; locale: Locale } | undefined;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData && navigation.state === "idle" ? actionData : null;
  return (
    <main className="ws-main contract-template">
      <p>
        <Link to={`/s/${school.slug}/exports`}>{t("exports:template.back")}</Link>
      </p>
      <h1>{t("exports:template.title")}</h1>
      <p className="muted">{t("exports:template.lead")}</p>

      <details className="card placeholders" open>
        <summary>
          <strong>{t("exports:template.placeholders")}</strong>
        </summary>
        <p className="muted">
          {t("exports:template.placeholdersLead", { example: "{{trainee.fullName}}" })} {t("exports:template.markup")}
        </p>
        <dl className="facts">
          {data.placeholders.map((p) => (
            <div key={p} className="ph-row">
              <dt>
                <code>{`{{${p}}}`}</code>
              </dt>
              <dd>{t(`exports:placeholders.${p}`)}</dd>
            </div>
          ))}
        </dl>
      </details>

      {LOCALES.map((locale) => {
        const tpl = data[locale];
        const mine = refused?.values.locale === locale ? refused : null;
        return (
          <section key={locale} className="card" id={`tpl-${locale}`}>
            <h2 className="first">{t(`exports:template.lang.${locale}`)}</h2>
            {done?.locale === locale ? (
              <Notice>{t(done.done === "saved" ? "exports:template.saved" : "exports:template.resetDone")}</Notice>
            ) : null}
            <p className={tpl.custom ? "muted" : "banner-inline"}>
              {tpl.custom && tpl.updatedAt
                ? t("exports:template.custom", { date: fmt.dateTime(tpl.updatedAt) })
                : t("exports:template.isDefault")}
            </p>
            <Form method="post" noValidate>
              <input type="hidden" name="locale" value={locale} />
              <FormAlert message={mine?.error.message && !mine.error.fieldErrors?.body ? mine.error.message : null} />
              <div className={`field${mine?.error.fieldErrors?.body ? " has-error" : ""}`}>
                <label htmlFor={`body-${locale}`}>{t("exports:template.body")}</label>
                <textarea
                  id={`body-${locale}`}
                  name="body"
                  rows={18}
                  key={`${locale}-${tpl.updatedAt ? String(tpl.updatedAt) : "default"}`}
                  defaultValue={mine?.values.body ?? tpl.body}
                  lang={locale}
                  spellCheck={false}
                  aria-invalid={!!mine?.error.fieldErrors?.body}
                  aria-describedby={mine?.error.fieldErrors?.body ? `body-${locale}-err` : undefined}
                />
                {mine?.error.fieldErrors?.body ? (
                  <small className="error" id={`body-${locale}-err`} role="alert">
                    {mine.error.fieldErrors.body}
                  </small>
                ) : null}
              </div>
              <div className="ws-head-actions">
                <button
                  type="submit"
                  name="intent"
                  value="save"
                  className="primary"
                  disabled={navigation.state === "submitting"}
                >
                  {t("exports:template.save")}
                </button>
                {tpl.custom ? (
                  <button
                    type="submit"
                    name="intent"
                    value="reset"
                    className="secondary"
                    formNoValidate
                    disabled={navigation.state === "submitting"}
                  >
                    {t("exports:template.reset")}
                  </button>
                ) : null}
              </div>
            </Form>
          </section>
        );
      })}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
