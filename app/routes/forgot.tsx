import { Form, Link, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { AuthLayout } from "~/components/auth/AuthLayout.tsx";
import { Field, FormAlert } from "~/components/Field.tsx";
import { useFormResult } from "~/components/auth/formResult.ts";
import { failWithValues, runAuthForm } from "~/components/auth/values.server.ts";
import { formObject } from "~/lib/forms.server.ts";
import { pageLocale, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";

// A refusal for too many attempts carries Retry-After on the page too.
export { retryAfterHeaders as headers } from "~/lib/retry-after.ts";

export async function loader({ context }: LoaderFunctionArgs) {
  return { locale: context.ctx.locale };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("auth:forgot.title") },
];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = formObject(await request.formData());
  const email = typeof form.email === "string" ? form.email : "";
  const result = await runAuthForm(context, () => context.trpc.auth.requestPasswordReset({ email }));
  if (!result.ok) return failWithValues(result.response, { email });
  // The same answer whether or not the address has an account.
  return { sent: true as const, email };
}

export default function Forgot() {
  const { error, fieldErrors: fe, value, ok } = useFormResult<{ sent: true }>();
  const navigation = useNavigation();
  const t = useT();
  const sent = !!ok?.sent;
  const email = value("email");
  return (
    <AuthLayout>
      <h1>{t("auth:forgot.title")}</h1>
      {sent ? (
        <div className="notice" role="status">
          {t("auth:forgot.sent")}
        </div>
      ) : (
        <>
          <p className="lead">{t("auth:forgot.lead")}</p>
          <FormAlert message={error?.message} />
          <Form method="post" className="card auth-form" noValidate key={email || "new"}>
            <Field
              label={t("auth:forgot.email")}
              name="email"
              type="email"
              defaultValue={email}
              error={fe.email}
              required
              autoComplete="email"
              autoFocus
            />
            <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
              {t("auth:forgot.submit")}
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/login">{t("auth:forgot.backToLogin")}</Link>
      </p>
    </AuthLayout>
  );
}
