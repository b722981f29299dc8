import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NewPasswordField } from "~/components/auth/NewPasswordField.tsx";
import { Markdown } from "~/components/Markdown.tsx";
import { AuthLayout } from "~/components/auth/AuthLayout.tsx";
import { Field, FieldError, FormAlert } from "~/components/Field.tsx";
import { useFormResult } from "~/components/auth/formResult.ts";
import { failWithValues, withoutSecrets, runAuthForm, loadAuth } from "~/components/auth/values.server.ts";
import { formObject } from "~/lib/forms.server.ts";
import { pageLocale, useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";
import type { ComponentProps, ReactNode } from "react";

// A refusal for too many attempts carries Retry-After on the page too.
export { retryAfterHeaders as headers } from "~/lib/retry-after.ts";

export async function loader({ context }: LoaderFunctionArgs) {
  const { user, locale } = context.ctx;
  if (user) return { locale, signedInAs: user.email, offer: null, trialDays: 0 };
  const [offer, trialDays] = await loadAuth(context, () =>
    Promise.all([context.trpc.signup.currentOffer(), context.trpc.signup.trialDays()]),
  );
  return { locale, signedInAs: null, offer, trialDays };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("auth:signup.title") },
];

type SignupInput = Parameters<AppLoadContext["trpc"]["signup"]["signUp"]>[0];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = formObject(await request.formData());
  const input = {
    ...form,
    acceptOffer: form.acceptOffer === true,
    acceptPersonalData: form.acceptPersonalData === true,
    marketing: form.marketing === true,
  };
  const result = await runAuthForm(context, () => context.trpc.signup.signUp(input as unknown as SignupInput));
  if (!result.ok) {
    const values = withoutSecrets(input, "password", "offerVersionId");
    // A new offer version came into force meanwhile: the person must read and tick it again.
    if (result.response.data.error.field === "acceptOffer") values.acceptOffer = false;
    return failWithValues(result.response, values);
  }
  // The same answer for every address: the link (or, for a registered one, a warning to its owner) is on its way.
  return { sent: true as const, email: result.value.email };
}

export default function Signup() {
  const { offer, signedInAs, trialDays } = useLoaderData<typeof loader>();
  const { error, fieldErrors: fe, values: v, value: str, ok } = useFormResult<{ sent: true; email: string }>();
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const locale = useLocale();

  if (signedInAs) {
    return (
      <AuthLayout>
        <h1>{t("auth:signup.title")}</h1>
        <div className="card">
          <p>{t("auth:signup.signedIn", { email: signedInAs })}</p>
          <p className="muted">{t("auth:signup.signedInHint")}</p>
          <Link to="/home" className="button">
            {t("auth:signup.toWorkspace")}
          </Link>
        </div>
      </AuthLayout>
    );
  }

  if (ok?.sent) {
    return (
      <AuthLayout>
        <h1>{t("auth:signup.sentTitle")}</h1>
        <div className="notice" role="status">
          {t("auth:signup.sent", { email: ok.email })}
        </div>
        <p className="muted">{t("auth:signup.sentSpam")}</p>
      </AuthLayout>
    );
  }

  if (!offer) {
    return (
      <AuthLayout>
        <h1>{t("auth:signup.title")}</h1>
        <p className="alert">{t("auth:signup.noOffer")}</p>
      </AuthLayout>
    );
  }

  // The form's text inputs: the label and hint keys follow the field's name, and a refused form's value comes back.
  const signupField = (
    name: "schoolName" | "binIin" | "directorName" | "phone" | "email",
    { type, ...input }: Omit<ComponentProps<typeof Field>, "label" | "name">,
  ) => (
    <Field
      label={t(`auth:signup.${name}`)}
      name={name}
      type={type}
      defaultValue={str(name)}
      error={fe[name]}
      hint={t(`auth:signup.${name}Hint`)}
      required
      {...input}
    />
  );
  const kind = str("kind") === "sole_proprietor" ? "sole_proprietor" : "legal_entity";
  const busy = navigation.state === "submitting";
  const date = fmt.date(offer.effectiveFrom);

  return (
    <AuthLayout wide>
      <h1>{t("auth:signup.title")}</h1>
      <p className="lead">{t("auth:signup.lead", { days: trialDays })}</p>
      <FormAlert message={error?.message} />
      {/* Not remounted after a refusal: what was typed stays, the password too (it never comes back from the
          server). Without JavaScript the page is new and the returned values are the inputs' defaults. */}
      <Form method="post" className="card auth-form" noValidate>
        <input type="hidden" name="offerVersionId" value={offer.id} />

        <h2>{t("auth:signup.sectionSchool")}</h2>
        {signupField("schoolName", { autoComplete: "organization", maxLength: 200 })}
        <fieldset className={`field radio-group${fe.kind ? " has-error" : ""}`}>
          <legend>{t("auth:signup.kind")}</legend>
          <label className="check">
            <input type="radio" name="kind" value="legal_entity" defaultChecked={kind === "legal_entity"} />
            <span>{t("auth:signup.kindLegal")}</span>
          </label>
          <label className="check">
            <input type="radio" name="kind" value="sole_proprietor" defaultChecked={kind === "sole_proprietor"} />
            <span>{t("auth:signup.kindSole")}</span>
          </label>
          <FieldError message={fe.kind} />
        </fieldset>
        {signupField("binIin", { inputMode: "numeric", pattern: "\\d{12}", maxLength: 12, autoComplete: "off" })}

        <h2>{t("auth:signup.sectionDirector")}</h2>
        {signupField("directorName", { autoComplete: "name", maxLength: 200 })}
        <div className="grid2">
          {signupField("phone", { type: "tel", autoComplete: "tel" })}
          {signupField("email", { type: "email", autoComplete: "email" })}
        </div>
        <NewPasswordField label={t("auth:signup.password")} hint={t("auth:signup.passwordHint")} error={fe.password} />

        <h2>{t("auth:signup.sectionConsents")}</h2>
        {/* A new offer version came into force meanwhile: its tick is asked for again (the box remounts unticked). */}
        <Consent
          key={offer.id}
          name="acceptOffer"
          label={t("auth:signup.acceptOffer", { version: offer.version })}
          checked={v.acceptOffer === true}
          error={fe.acceptOffer}
        >
          <details className="offer-details">
            <summary>{t("auth:signup.offerShow", { version: offer.version, date })}</summary>
            <div className="offer-text" lang={locale}>
              <Markdown text={locale === "kk" ? offer.textKk : offer.textRu} headingBase={3} />
            </div>
            <p className="muted">
              {t("auth:signup.offerNewTab")}{" "}
              <a href="/?offer=kk#offer" target="_blank" rel="noopener" lang="kk">
                Қазақша
              </a>
              {" · "}
              <a href="/?offer=ru#offer" target="_blank" rel="noopener" lang="ru">
                Русский
              </a>
            </p>
          </details>
        </Consent>
        <Consent
          name="acceptPersonalData"
          label={t("auth:signup.acceptPersonalData")}
          checked={v.acceptPersonalData === true}
          error={fe.acceptPersonalData}
        />
        <div className="consent">
          <label className="check">
            <input type="checkbox" name="marketing" defaultChecked={v.marketing === true} />
            <span>{t("auth:signup.marketing")}</span>
          </label>
        </div>

        <p>
          <button type="submit" className="primary" disabled={busy}>
            {t("auth:signup.submit")}
          </button>
        </p>
        <p className="muted">
          {t("auth:signup.haveAccount")} <Link to="/login">{t("common:login")}</Link>
        </p>
      </Form>
    </AuthLayout>
  );
}

/** A consent the signup needs: its checkbox (required), anything that explains it, then its error. */
function Consent({
  name,
  label,
  checked,
  error,
  children,
}: {
  name: string;
  label: string;
  checked: boolean;
  error?: string;
  children?: ReactNode;
}) {
  return (
    <div className={`consent${error ? " has-error" : ""}`}>
      <label className="check">
        <input
          type="checkbox"
          name={name}
          defaultChecked={checked}
          required
          aria-invalid={!!error}
          aria-describedby={error ? `${name}-err` : undefined}
        />
        <span>{label}</span>
      </label>
      {children}
      <FieldError message={error} id={`${name}-err`} />
    </div>
  );
}
