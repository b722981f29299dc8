import { Form, Link, useNavigation } from "@remix-run/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { runAuthForm } from "~/components/auth/values.server.ts";
import { NewPasswordField } from "~/components/auth/NewPasswordField.tsx";
import { AuthLayout } from "~/components/auth/AuthLayout.tsx";
import { FormAlert } from "~/components/Field.tsx";
import { useFormResult } from "~/components/auth/formResult.ts";
import { formObject } from "~/lib/forms.server.ts";
import { pageLocale, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";

export async function loader({ context }: LoaderFunctionArgs) {
  return { locale: context.ctx.locale };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("auth:reset.title") },
];

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = formObject(await request.formData());
  const password = typeof form.password === "string" ? form.password : "";
  const result = await runAuthForm(context, () =>
    context.trpc.auth.resetPassword({ token: params.token ?? "", password }),
  );
  if (!result.ok) return result.response;
  throw redirect("/home");
}

export default function Reset() {
  const { error, fieldErrors: fe } = useFormResult();
  const navigation = useNavigation();
  const t = useT();
  // A bad token is not about the password: offer a fresh link instead.
  const tokenBad = !!error && !fe.password;
  const message = fe.token ? t("errors:auth.tokenInvalid") : error?.message;
  return (
    <AuthLayout>
      <h1>{t("auth:reset.title")}</h1>
      <p className="lead">{t("auth:reset.lead")}</p>
      <FormAlert message={message} />
      {tokenBad ? (
        <p>
          <Link to="/forgot" className="button secondary">
            {t("auth:reset.requestNew")}
          </Link>
        </p>
      ) : null}
      <Form method="post" className="card auth-form" noValidate>
        <NewPasswordField
          label={t("auth:reset.password")}
          hint={t("auth:reset.passwordHint")}
          error={fe.password}
          autoFocus
        />
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {t("auth:reset.submit")}
        </button>
      </Form>
    </AuthLayout>
  );
}
