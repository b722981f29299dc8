import { Form, Link, useNavigation } from "@remix-run/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { runAuthForm } from "~/components/auth/values.server.ts";
import { AuthLayout, AuthErrorBoundary } from "~/components/auth/AuthLayout.tsx";
import { FormAlert } from "~/components/Field.tsx";
import { useFormResult } from "~/components/auth/formResult.ts";
import { pageLocale, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";

export { AuthErrorBoundary as ErrorBoundary };

// The sign-up's e-mailed link. Opening it changes nothing (mail scanners open links); the button's POST
// creates the school and signs its director in (server/signup/confirm.ts).
export async function loader({ context }: LoaderFunctionArgs) {
  return { locale: context.ctx.locale };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("auth:signupConfirm.title") },
];

export async function action({ params, context }: ActionFunctionArgs) {
  const result = await runAuthForm(context, () => context.trpc.signup.confirm({ token: params.token ?? "" }));
  if (!result.ok) return result.response;
  throw redirect(`/s/${result.value.slug}`);
}

export default function ConfirmSignup() {
  const { error } = useFormResult();
  const navigation = useNavigation();
  const t = useT();
  return (
    <AuthLayout>
      <h1>{t("auth:signupConfirm.title")}</h1>
      {error ? (
        <>
          <FormAlert message={error.fieldErrors?.token ? t("errors:signup.linkInvalid") : error.message} />
          <p>
            <Link to="/signup" className="button secondary">
              {t("auth:signupConfirm.again")}
            </Link>
          </p>
          <p>
            <Link to="/login">{t("auth:signupConfirm.toLogin")}</Link>
          </p>
        </>
      ) : (
        <Form method="post" className="card auth-form">
          <p>{t("auth:signupConfirm.lead")}</p>
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            {t("auth:signupConfirm.submit")}
          </button>
        </Form>
      )}
    </AuthLayout>
  );
}
