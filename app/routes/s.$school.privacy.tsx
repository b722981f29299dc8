// The school's consents (director; every access state): personal-data consent and the written request to
// withdraw it (refused while invoices are open, effective 30 calendar days after receipt), the reviews
// consent and the director's own marketing e-mails.
import { Notice } from "~/components/Notice.tsx";
import { Table } from "~/components/Table.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormAlert, TextAreaField } from "~/components/Field.tsx";
import { IntentButton } from "~/components/IntentButton.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadWs(context, () => context.trpc.privacy.overview({ school: params.school! }));
}

type Intent = "withdraw" | "cancel" | "reviews" | "marketing";
type Values = { intent: Intent; text: string };
type Done = { done: Intent; effectiveOn?: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const form = await request.formData();
  const values: Values = { intent: text(form, "intent") as Intent, text: text(form, "text") };
  const granted = text(form, "granted") === "1";
  const r =
    values.intent === "withdraw"
      ? await runWs(context, () => context.trpc.privacy.requestWithdrawal({ school, text: values.text }))
      : values.intent === "cancel"
        ? await runWs(context, () => context.trpc.privacy.cancelWithdrawal({ school }))
        : await runWs(context, () =>
            context.trpc.privacy.setConsent({
              school,
              kind: values.intent === "marketing" ? "marketing" : "reviews",
              granted,
            }),
          );
  if (!r.ok) return refusedWith(r.response, values);
  const effectiveOn = r.value && "effectiveOn" in r.value ? r.value.effectiveOn : undefined;
  return { done: values.intent, effectiveOn } satisfies Done;
}

/** One optional consent's card: what it is, whether it is on (`status`), and the button that turns it the other way. */
function ConsentCard({ kind, on, status }: { kind: "reviews" | "marketing"; on: boolean; status: string }) {
  const t = useT();
  return (
    <section className="card" data-testid={`consent-${kind}`}>
      <h2 className="first">{t(`privacy:${kind}.title`)}</h2>
      <p className="muted">{t(`privacy:${kind}.lead`)}</p>
      <p>{status}</p>
      <Form method="post" className="row-actions">
        <input type="hidden" name="intent" value={kind} />
        <input type="hidden" name="granted" value={on ? "0" : "1"} />
        <button type="submit" className={on ? "secondary" : "primary"} data-testid={`toggle-${kind}`}>
          {on ? t(`privacy:${kind}.withdraw`) : t(`privacy:${kind}.grant`)}
        </button>
      </Form>
    </section>
  );
}

export default function Privacy() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Values> | Done | undefined;
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData ? actionData : null;
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const fmt = useFormat();
  const pd = data.personalData;
  const params = useParams();
  const textError = refused?.error.fieldErrors?.text ?? null;

  return (
    <main className="ws-main">
      <h1>{t("privacy:title")}</h1>
      <p className="muted">{t("privacy:lead")}</p>
      {done?.done === "withdraw" && done.effectiveOn ? (
        <Notice>{t("privacy:personal.submitted", { date: fmt.date(done.effectiveOn) })}</Notice>
      ) : done ? (
        <Notice>{t("privacy:saved")}</Notice>
      ) : null}
      <FormAlert message={refused && !textError ? refused.error.message : null} />

      <section className="card" data-testid="archive-card">
        <h2 className="first">{t("archive:privacyCard.title")}</h2>
        <p className="muted">{t("archive:privacyCard.lead")}</p>
        <p>
          <Link className="button secondary" to={`/s/${params.school}/archive`}>
            {t("archive:privacyCard.open")}
          </Link>
        </p>
      </section>

      <section className="card" data-testid="consent-personal">
        <div className="ws-head">
          <h2 className="first">{t("privacy:personal.title")}</h2>
          <span className={`badge ${pd.state === "active" ? "active" : pd.state === "pending" ? "suspended" : "bad"}`}>
            {t(`privacy:personal.state.${pd.state}`)}
          </span>
        </div>
        <dl className="facts">
          <dt>{t("privacy:personal.grantedAt")}</dt>
          <dd>{pd.grantedAt ? fmt.dateTime(pd.grantedAt) : "—"}</dd>
          {pd.textSha256 ? (
            <>
              <dt>{t("privacy:personal.textHash")}</dt>
              <dd className="mono break">{pd.textSha256.slice(0, 16)}…</dd>
            </>
          ) : null}
        </dl>
        {pd.request ? (
          <>
            <p>
              {t("privacy:personal.receivedAt", { date: fmt.dateTime(pd.request.receivedAt) })}.{" "}
              <strong>
                {t(pd.state === "withdrawn" ? "privacy:personal.effectiveDone" : "privacy:personal.effectiveOn", {
                  date: fmt.date(pd.request.effectiveOn),
                })}
              </strong>
            </p>
            <blockquote className="muted">{pd.request.text}</blockquote>
            {pd.state === "pending" ? (
              <IntentButton intent="cancel" confirm={t("privacy:personal.cancelConfirm")} buttonClassName="secondary">
                {t("privacy:personal.cancel")}
              </IntentButton>
            ) : null}
          </>
        ) : pd.state === "active" ? (
          <>
            <h3>{t("privacy:personal.withdrawTitle")}</h3>
            <p className="muted">{t("privacy:personal.withdrawLead")}</p>
            {data.openInvoices.length > 0 ? (
              <p className="banner-inline" data-testid="unpaid-reason">
                {t("privacy:personal.unpaid", { numbers: data.openInvoices.join(", ") })}
              </p>
            ) : null}
            <Form method="post" className="auth-form" key={done ? "done" : "form"}>
              <input type="hidden" name="intent" value="withdraw" />
              <TextAreaField
                label={t("privacy:personal.text")}
                name="text"
                error={textError}
                hint={t("privacy:personal.textHint")}
                rows={5}
                maxLength={5000}
                required
                aria-invalid={!!textError}
                defaultValue={refused?.values.intent === "withdraw" ? refused.values.text : undefined}
              />
              <button type="submit" className="danger" disabled={busy}>
                {t("privacy:personal.submit")}
              </button>
            </Form>
          </>
        ) : null}
      </section>

      <ConsentCard
        kind="reviews"
        on={data.reviews.active}
        status={
          data.reviews.active && data.reviews.since
            ? t("privacy:reviews.on", { date: fmt.date(data.reviews.since) })
            : t("privacy:reviews.off")
        }
      />
      <ConsentCard
        kind="marketing"
        on={data.marketing.active}
        status={t(data.marketing.active ? "privacy:marketing.on" : "privacy:marketing.off")}
      />

      {data.withdrawals.length > 0 ? (
        <section className="card">
          <h2 className="first">{t("privacy:history")}</h2>
          <Table
            rows={data.withdrawals}
            labels="privacy:admin"
            columns={["receivedAt", "effectiveOn", "state"]}
            row={(w) => (
              <tr key={w.id}>
                <td>{fmt.dateTime(w.receivedAt)}</td>
                <td>{fmt.date(w.effectiveOn)}</td>
                <td>{t(`privacy:status.${w.status as "accepted" | "cancelled"}`)}</td>
              </tr>
            )}
          />
        </section>
      ) : null}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
