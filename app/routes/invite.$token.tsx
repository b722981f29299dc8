import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { AuthLayout, AuthErrorBoundary } from "~/components/auth/AuthLayout.tsx";

export { AuthErrorBoundary as ErrorBoundary };
import { Field, FormAlert } from "~/components/Field.tsx";
import { NewPasswordField } from "~/components/auth/NewPasswordField.tsx";
import { useFormResult } from "~/components/auth/formResult.ts";
import { failWithValues, runAuthForm, loadAuth } from "~/components/auth/values.server.ts";
import { formObject } from "~/lib/forms.server.ts";
import { pageLocale, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const t = translator(context.ctx.locale);
  // A malformed token is as dead as an expired one: say so in plain words.
  if (token.length < 20 || token.length > 200) throw data({ message: t("errors:auth.tokenInvalid") }, { status: 404 });
  const invite = await loadAuth(context, () => context.trpc.invitation.get({ token }));
  return { locale: context.ctx.locale, token, invite };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("auth:invite.title") },
];

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const form = formObject(await request.formData());
  if (form.intent === "logout") {
    if (context.ctx.user) await context.trpc.auth.logout();
    throw redirect(`/login?next=${encodeURIComponent(`/invite/${token}`)}`);
  }
  const fullName = typeof form.fullName === "string" ? form.fullName : undefined;
  const password = typeof form.password === "string" ? form.password : undefined;
  const input = context.ctx.user ? { token } : { token, fullName: fullName ?? "", password: password ?? "" };
  const result = await runAuthForm(context, () => context.trpc.invitation.accept(input));
  if (!result.ok) return failWithValues(result.response, { fullName: fullName ?? "" });
  throw redirect(`/s/${result.value.slug}`);
}

export default function Invite() {
  const { token, invite } = useLoaderData<typeof loader>();
  const { error, fieldErrors: fe, value } = useFormResult();
  const navigation = useNavigation();
  const t = useT();
  const fullName = value("fullName");
  const busy = navigation.state === "submitting";
  const role = t(`common:roles.${invite.role}`);
  const signedIn = invite.signedInAs;
  const isInvitee = !!signedIn && signedIn.toLowerCase() === invite.email.toLowerCase();

  return (
    <AuthLayout>
      <h1>{t("auth:invite.title")}</h1>
      <div className="card">
        <p className="lead">{t("auth:invite.lead", { school: invite.schoolName, role })}</p>
        <p className="muted">{t("auth:invite.forEmail", { email: invite.email })}</p>
      </div>
      <FormAlert message={error?.message} />
      {isInvitee ? (
        <Form method="post">
          <button type="submit" className="primary" disabled={busy}>
            {t("auth:invite.accept")}
          </button>
        </Form>
      ) : signedIn ? (
        <div className="card">
          <p>{t("auth:invite.otherAccount", { current: signedIn, email: invite.email })}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="logout" />
            <button type="submit" className="secondary" disabled={busy}>
              {t("auth:invite.logout")}
            </button>
          </Form>
        </div>
      ) : invite.hasAccount ? (
        <div className="card">
          <p>{t("auth:invite.hasAccount", { email: invite.email })}</p>
          <Link to={`/login?next=${encodeURIComponent(`/invite/${token}`)}`} className="button">
            {t("auth:invite.login")}
          </Link>
        </div>
      ) : (
        // Not remounted after a refusal: the name and the password typed stay (the password never comes back).
        <Form method="post" className="card auth-form" noValidate>
          <p>{t("auth:invite.newAccount", { email: invite.email })}</p>
          <input type="text" name="username" value={invite.email} autoComplete="username" readOnly hidden />
          <Field
            label={t("auth:invite.fullName")}
            name="fullName"
            defaultValue={fullName}
            error={fe.fullName}
            hint={t("auth:invite.fullNameHint")}
            required
            autoComplete="name"
            maxLength={200}
          />
          <NewPasswordField
            label={t("auth:invite.password")}
            hint={t("auth:invite.passwordHint")}
            error={fe.password}
          />
          <button type="submit" className="primary" disabled={busy}>
            {t("auth:invite.createAndAccept")}
          </button>
        </Form>
      )}
    </AuthLayout>
  );
}
