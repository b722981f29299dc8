import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { runAuthForm, loadAuth } from "~/components/auth/values.server.ts";
import { NewPasswordField } from "~/components/auth/NewPasswordField.tsx";
import { AuthLayout } from "~/components/auth/AuthLayout.tsx";
import { Field, FormAlert } from "~/components/Field.tsx";
import { useFormResult } from "~/components/auth/formResult.ts";
import { LanguageSwitch } from "~/components/LanguageSwitch.tsx";
import { IntentButton } from "~/components/IntentButton.tsx";
import { formObject, requireUser } from "~/lib/forms.server.ts";
import { pageLocale, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const me = await loadAuth(context, () => context.trpc.auth.me());
  if (!me) throw redirect("/login");
  return {
    locale: context.ctx.locale,
    me: {
      fullName: me.fullName,
      email: me.email,
      emailVerified: me.emailVerified,
      operatorRole: me.operatorRole,
      schools: me.schools,
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("auth:account.title") },
];

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = formObject(await request.formData());
  if (form.intent === "compromised") {
    const result = await runAuthForm(context, () => context.trpc.auth.reportCompromised());
    if (!result.ok) return result.response;
    throw redirect(`/compromised/done?at=${encodeURIComponent(new Date(result.value.reportedAt).toISOString())}`);
  }
  if (form.intent === "logoutEverywhere") {
    const result = await runAuthForm(context, () => context.trpc.auth.logoutEverywhere());
    if (!result.ok) return result.response;
    throw redirect("/login");
  }
  const current = typeof form.current === "string" ? form.current : "";
  const password = typeof form.password === "string" ? form.password : "";
  const result = await runAuthForm(context, () => context.trpc.auth.changePassword({ current, password }));
  if (!result.ok) return result.response;
  return { passwordChanged: true as const };
}

export default function Account() {
  const { me } = useLoaderData<typeof loader>();
  const { error, fieldErrors: fe, ok } = useFormResult<{ passwordChanged: true }>();
  const navigation = useNavigation();
  const t = useT();
  const changed = !!ok?.passwordChanged;
  const busy = navigation.state === "submitting";
  const intent = navigation.formData?.get("intent");

  return (
    <AuthLayout>
      <h1>{t("auth:account.title")}</h1>
      <section className="card">
        <dl className="facts">
          <dt>{t("auth:account.fullName")}</dt>
          <dd>{me.fullName}</dd>
          <dt>{t("auth:account.email")}</dt>
          <dd>{me.email}</dd>
          <dt>{t("auth:account.emailStatus")}</dt>
          <dd>
            {me.emailVerified ? (
              <span className="badge active">{t("auth:account.verified")}</span>
            ) : (
              <>
                <span className="badge suspended">{t("auth:account.notVerified")}</span>{" "}
                <small className="muted">{t("auth:account.notVerifiedHint")}</small>
              </>
            )}
          </dd>
          {me.operatorRole ? (
            <>
              <dt>{t("auth:account.operatorRole")}</dt>
              <dd>{t(`common:operatorRoles.${me.operatorRole}`)}</dd>
            </>
          ) : null}
        </dl>
        {me.schools.length > 0 ? (
          <>
            <h2>{t("auth:account.mySchools")}</h2>
            <ul className="plain-list">
              {me.schools.map((s) => (
                <li key={s.slug}>
                  <Link to={`/s/${s.slug}`}>{s.name}</Link>{" "}
                  <span className="muted">— {s.roles.map((r) => t(`common:roles.${r}`)).join(", ")}</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section className="card">
        <h2>{t("auth:account.language")}</h2>
        <LanguageSwitch />
        <p className="muted">{t("auth:account.languageHint")}</p>
      </section>

      <section className="card">
        <h2>{t("auth:account.changePassword")}</h2>
        {changed ? (
          <div className="notice" role="status">
            {t("auth:account.passwordChanged")}
          </div>
        ) : null}
        {/* A message that belongs to a field is shown under that field only. */}
        <FormAlert message={error && !error.field ? error.message : null} />
        <Form
          method="post"
          className="auth-form"
          noValidate
          key={changed ? "done" : error ? `err-${error.message}` : "new"}
        >
          <input type="hidden" name="intent" value="changePassword" />
          <input type="text" name="username" value={me.email} autoComplete="username" readOnly hidden />
          <Field
            label={t("auth:account.current")}
            name="current"
            type="password"
            error={fe.current}
            required
            autoComplete="current-password"
          />
          <NewPasswordField
            label={t("auth:account.newPassword")}
            hint={t("auth:account.passwordHint")}
            error={fe.password}
          />
          <button type="submit" className="primary" disabled={busy && intent === "changePassword"}>
            {t("auth:account.submitPassword")}
          </button>
        </Form>
      </section>

      <section className="card">
        <h2>{t("auth:account.sessions")}</h2>
        <p className="muted">{t("auth:account.sessionsLead")}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="logoutEverywhere" />
          <button type="submit" className="danger" disabled={busy && intent === "logoutEverywhere"}>
            {t("auth:account.logoutEverywhere")}
          </button>
        </Form>
      </section>

      <section className="card" data-testid="compromised">
        <h2>{t("privacy:compromised.title")}</h2>
        <p className="muted">{t("privacy:compromised.lead")}</p>
        <IntentButton intent="compromised" confirm={t("privacy:compromised.confirm")} buttonClassName="danger">
          {t("privacy:compromised.submit")}
        </IntentButton>
      </section>
    </AuthLayout>
  );
}
