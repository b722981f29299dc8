// The one-click marketing opt-out (offer 10.11) from the link in a marketing e-mail: no sign-in. Opening
// the link changes nothing (mail scanners open links); the button's POST opts out.
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { runAuthForm } from "~/components/auth/values.server.ts";
import { AuthLayout } from "~/components/auth/AuthLayout.tsx";
import { FormAlert } from "~/components/Field.tsx";
import { useFormResult } from "~/components/auth/formResult.ts";
import { pageLocale, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const r = await runAuthForm(context, () => context.trpc.privacyPublic.unsubscribeInfo({ token: params.token ?? "" }));
  return { locale: context.ctx.locale, info: r.ok ? r.value : null, error: r.ok ? null : r.error.message };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("privacy:unsubscribe.title") },
];

export async function action({ params, context }: ActionFunctionArgs) {
  const result = await runAuthForm(context, () =>
    context.trpc.privacyPublic.unsubscribe({ token: params.token ?? "" }),
  );
  if (!result.ok) return result.response;
  return { unsubscribed: true as const };
}

export default function Unsubscribe() {
  const { info, error: loadError } = useLoaderData<typeof loader>();
  const { error, ok } = useFormResult<{ unsubscribed: true }>();
  const navigation = useNavigation();
  const t = useT();
  const message = loadError ?? error?.message ?? null;
  return (
    <AuthLayout>
      <h1>{t("privacy:unsubscribe.title")}</h1>
      {ok?.unsubscribed ? (
        <div className="notice" role="status" data-testid="unsubscribed">
          {t("privacy:unsubscribe.done")}
        </div>
      ) : message || !info ? (
        <FormAlert message={message} />
      ) : info.subscribed ? (
        <Form method="post" className="card auth-form">
          <p>{t("privacy:unsubscribe.lead", { email: info.email })}</p>
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            {t("privacy:unsubscribe.submit")}
          </button>
        </Form>
      ) : (
        <div className="notice" role="status">
          {t("privacy:unsubscribe.already", { email: info.email })}
        </div>
      )}
      <p>
        <Link to="/">{t("privacy:unsubscribe.toHome")}</Link>
      </p>
    </AuthLayout>
  );
}
