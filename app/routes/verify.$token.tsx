import { Form, Link, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { runAuthForm } from "~/components/auth/values.server.ts";
import { AuthLayout } from "~/components/auth/AuthLayout.tsx";
import { FormAlert } from "~/components/Field.tsx";
import { useFormResult } from "~/components/auth/formResult.ts";
import { pageLocale, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";

// Opening the link changes nothing (mail scanners open links); the button's POST confirms.
export async function loader({ context }: LoaderFunctionArgs) {
  return { locale: context.ctx.locale };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("auth:verify.title") },
];

export async function action({ params, context }: ActionFunctionArgs) {
  const result = await runAuthForm(context, () => context.trpc.auth.verifyEmail({ token: params.token ?? "" }));
  if (!result.ok) return result.response;
  return { verified: true as const };
}

export default function Verify() {
  const { error, ok } = useFormResult<{ verified: true }>();
  const navigation = useNavigation();
  const t = useT();
  const verified = !!ok?.verified;
  return (
    <AuthLayout>
      <h1>{t("auth:verify.title")}</h1>
      {verified ? (
        <>
          <div className="notice" role="status">
            {t("auth:verify.done")}
          </div>
          <Link to="/home" className="button">
            {t("auth:verify.toHome")}
          </Link>
        </>
      ) : error ? (
        <>
          <FormAlert message={error.fieldErrors?.token ? t("errors:auth.tokenInvalid") : error.message} />
          <Link to="/home" className="button secondary">
            {t("auth:verify.toHome")}
          </Link>
        </>
      ) : (
        <Form method="post" className="card auth-form">
          <p>{t("auth:verify.lead")}</p>
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            {t("auth:verify.submit")}
          </button>
        </Form>
      )}
    </AuthLayout>
  );
}
