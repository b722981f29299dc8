import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { AuthLayout, AuthErrorBoundary } from "~/components/auth/AuthLayout.tsx";
import { FormAlert } from "~/components/Field.tsx";
import { NewPasswordField } from "~/components/auth/NewPasswordField.tsx";
import { load, runForm, type FormError } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const inv = await load(context, () => context.trpc.cabinetJoin.get({ token: params.token! }));
  return { ...inv, path: new URL(request.url).pathname };
}

export async function action({ context, params, request }: ActionFunctionArgs) {
  const form = await request.formData();
  const pw = String(form.get("password") ?? "");
  const r = await runForm(context, () =>
    context.trpc.cabinetJoin.accept({ token: params.token!, ...(pw ? { password: pw } : {}) }),
  );
  if (!r.ok) return r.response;
  throw redirect(`/t/${r.value.slug}`);
}

export default function JoinCabinet() {
  const inv = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as FormError | undefined;
  const t = useT();
  return (
    <AuthLayout>
      <h1>{t("cabinet:join.title")}</h1>
      <p className="lead">
        {t("cabinet:join.lead", { school: inv.schoolName, name: inv.traineeName, email: inv.email })}
      </p>
      <div className="card">
        <FormAlert message={failed?.error.message} />
        {inv.signedInAs && inv.signedInAs !== inv.email ? (
          <p>{t("cabinet:join.otherAccount", { email: inv.signedInAs })}</p>
        ) : inv.signedInAs ? (
          <Form method="post">
            <button type="submit" className="primary">
              {t("cabinet:join.accept")}
            </button>
          </Form>
        ) : inv.hasAccount ? (
          <>
            <p>{t("cabinet:join.loginFirst")}</p>
            <Link className="button" to={`/login?next=${encodeURIComponent(inv.path)}`}>
              {t("cabinet:join.login")}
            </Link>
          </>
        ) : (
          <Form method="post">
            <p>{t("cabinet:join.setPassword")}</p>
            <NewPasswordField
              label={t("cabinet:join.password")}
              hint={t("errors:password")}
              error={failed?.error.fieldErrors?.password}
            />
            <button type="submit" className="primary">
              {t("cabinet:join.submit")}
            </button>
          </Form>
        )}
      </div>
    </AuthLayout>
  );
}

export const ErrorBoundary = AuthErrorBoundary;
