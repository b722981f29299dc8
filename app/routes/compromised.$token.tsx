// "It wasn't me" from the link in a "new sign-in" e-mail (offer 4.3.4, 6.2): works without being signed in.
// Opening the link changes nothing; the button's POST reports. `/compromised/done?at=…` is where the
// account page's button lands after its report (the session is gone by then).
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { runAuthForm } from "~/components/auth/values.server.ts";
import { AuthLayout } from "~/components/auth/AuthLayout.tsx";
import { FormAlert } from "~/components/Field.tsx";
import { ConfirmButton } from "~/components/ConfirmButton.tsx";
import { useFormResult } from "~/components/auth/formResult.ts";
import { pageLocale, useT } from "~/lib/i18n.tsx";
import { formatDateTime, translator } from "../../domain/i18n/index.ts";

/** `26.11.2026, 10:30:15` — the report's time to the second, in Almaty time. */
function stamp(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "";
  return `${formatDateTime(at)}:${String(at.getUTCSeconds()).padStart(2, "0")}`;
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const locale = context.ctx.locale;
  if (params.token === "done") {
    return { locale, reportedAt: stamp(new URL(request.url).searchParams.get("at") ?? ""), email: null, error: null };
  }
  const r = await runAuthForm(context, () => context.trpc.auth.compromisedLink({ token: params.token ?? "" }));
  return { locale, reportedAt: null, email: r.ok ? r.value.email : null, error: r.ok ? null : r.error.message };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("privacy:compromised.title") },
];

export async function action({ params, context }: ActionFunctionArgs) {
  const result = await runAuthForm(context, () =>
    context.trpc.auth.reportCompromisedByLink({ token: params.token ?? "" }),
  );
  if (!result.ok) return result.response;
  return { reportedAt: new Date(result.value.reportedAt).toISOString() };
}

export default function Compromised() {
  const data = useLoaderData<typeof loader>();
  const { error, ok } = useFormResult<{ reportedAt: string }>();
  const navigation = useNavigation();
  const t = useT();
  const reportedAt = ok?.reportedAt ? stamp(ok.reportedAt) : data.reportedAt;
  const message = error?.message ?? data.error;
  return (
    <AuthLayout>
      <h1>{t("privacy:compromised.title")}</h1>
      {reportedAt !== null ? (
        <div className="notice" role="status" data-testid="compromised-done">
          {t("privacy:compromised.done", { at: reportedAt })}
        </div>
      ) : message || !data.email ? (
        <FormAlert message={message} />
      ) : (
        <Form method="post" className="card auth-form">
          <p>{t("privacy:compromised.linkLead", { email: data.email })}</p>
          <p className="muted">{t("privacy:compromised.lead")}</p>
          <ConfirmButton question={t("privacy:compromised.confirm")}>
            {navigation.state === "submitting" ? "…" : t("privacy:compromised.submit")}
          </ConfirmButton>
        </Form>
      )}
      <p>
        <Link to="/login">{t("privacy:compromised.toLogin")}</Link>
      </p>
    </AuthLayout>
  );
}
