import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { AuthLayout } from "~/components/auth/AuthLayout.tsx";
import { Field, FormAlert } from "~/components/Field.tsx";
import { useFormResult } from "~/components/auth/formResult.ts";
import { failWithValues, runAuthForm } from "~/components/auth/values.server.ts";
import { formObject, safeNext } from "~/lib/forms.server.ts";
import { pageLocale, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";

// A refusal for too many attempts carries Retry-After on the page too.
export { retryAfterHeaders as headers } from "~/lib/retry-after.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const next = new URL(request.url).searchParams.get("next");
  // Already signed in: nothing to do here.
  if (context.ctx.user) throw redirect(safeNext(next, "/home"));
  return { locale: context.ctx.locale, next: next ? safeNext(next, "") : "" };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("auth:login.title") },
];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = formObject(await request.formData());
  const email = typeof form.email === "string" ? form.email : "";
  const password = typeof form.password === "string" ? form.password : "";
  const result = await runAuthForm(context, () => context.trpc.auth.login({ email, password }));
  if (!result.ok) return failWithValues(result.response, { email });
  // The in-process caller still holds the signed-out context, so /home works out where to go.
  const next = typeof form.next === "string" && form.next ? form.next : new URL(request.url).searchParams.get("next");
  throw redirect(safeNext(next, "/home"));
}

export default function Login() {
  const { next } = useLoaderData<typeof loader>();
  const { error, fieldErrors: fe, value, submitted } = useFormResult();
  const navigation = useNavigation();
  const t = useT();
  const email = value("email");
  return (
    <AuthLayout>
      <h1>{t("auth:login.title")}</h1>
      <FormAlert message={error?.message} />
      <Form method="post" className="card auth-form" noValidate key={submitted ? `err-${email}` : "new"}>
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <Field
          label={t("auth:login.email")}
          name="email"
          type="email"
          defaultValue={email}
          error={fe.email}
          required
          autoComplete="username"
          autoFocus={!email}
        />
        <Field
          label={t("auth:login.password")}
          name="password"
          type="password"
          error={fe.password}
          required
          autoComplete="current-password"
          autoFocus={!!email}
        />
        <p className="form-actions">
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            {t("auth:login.submit")}
          </button>
          <Link to="/forgot">{t("auth:login.forgot")}</Link>
        </p>
      </Form>
      <p className="muted">
        {t("auth:login.noAccount")} <Link to="/signup">{t("auth:login.signup")}</Link>
      </p>
    </AuthLayout>
  );
}
