// The school's billing page (director; open in every access state, also when suspended): the access
// status and the plan's usage, invoices to pay by card (Stripe Checkout) or by bank transfer, the return
// from Checkout (?paid=<invoiceId>), invoice history, payments, acts, and the plans to switch to.
import { AccessHint } from "~/components/billing/AccessHint.tsx";
import { ReconciliationForm } from "~/components/billing/ReconciliationForm.tsx";
import { Notice } from "~/components/Notice.tsx";
import { Table } from "~/components/Table.tsx";
import { Form, useActionData, useLoaderData, useNavigation, type MetaFunction } from "@remix-run/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { FormAlert } from "~/components/Field.tsx";
import { ConfirmButton } from "~/components/ConfirmButton.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import { formatTiyn, translator } from "../../domain/i18n/index.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const [overview, kaspi] = await Promise.all([
    loadWs(context, () => context.trpc.billing.overview({ school: params.school! })),
    loadWs(context, () => context.trpc.billing.kaspi({ school: params.school! })),
  ]);
  // Back from Stripe Checkout: the webhook, not the redirect, marks the invoice paid.
  const url = new URL(request.url);
  const back = overview.invoices.find((i) => i.id === url.searchParams.get("paid"));
  const tries = Math.max(0, Math.floor(Number(url.searchParams.get("try")) || 0));
  return {
    ...overview,
    // Where the local Kaspi's page links back to (absolute: it is another server).
    kaspi: { ...kaspi, backUrl: `${url.origin}${url.pathname}` },
    back: back ? { id: back.id, number: back.number, paid: back.status === "paid", tries } : null,
  };
}

/** How many times the page reloads itself (every 3 s) waiting for the card payment's webhook. */
const MAX_TRIES = 20;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  ...matches.filter((m) => m.id !== "routes/s.$school.billing").flatMap((m) => m.meta ?? []),
  // While a card payment is being confirmed the page reloads itself (works without JavaScript too).
  ...(data?.back && !data.back.paid && data.back.tries < MAX_TRIES
    ? [{ httpEquiv: "refresh", content: `3;url=?paid=${data.back.id}&try=${data.back.tries + 1}` }]
    : []),
];

type Intent = "checkout" | "issue" | "plan";
type Values = { intent: Intent; id: string; planId: string };
type Done =
  | { done: "issue"; number: string; created: boolean }
  | {
      done: "plan";
      planId: string;
      kind: "now" | "upgrade" | "downgrade";
      cancelled: boolean;
      effectiveOn: string;
      chargeTiyn: number;
      number: string | null;
    };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const form = await request.formData();
  const values: Values = { intent: text(form, "intent") as Intent, id: text(form, "id"), planId: text(form, "planId") };
  if (values.intent === "checkout") {
    const r = await runWs(context, () => context.trpc.billing.checkout({ school, id: values.id }));
    return r.ok ? redirect(r.value.url) : refusedWith(r.response, values);
  }
  if (values.intent === "issue") {
    const r = await runWs(context, () => context.trpc.billing.issueInvoice({ school }));
    return r.ok
      ? ({ done: "issue", number: r.value.number, created: r.value.created } satisfies Done)
      : refusedWith(r.response, values);
  }
  if (values.intent === "plan") {
    const r = await runWs(context, () => context.trpc.billing.changePlan({ school, planId: values.planId }));
    return r.ok
      ? ({
          done: "plan",
          planId: r.value.to,
          kind: r.value.kind,
          cancelled: r.value.cancelled,
          effectiveOn: r.value.effectiveOn,
          chargeTiyn: r.value.chargeTiyn,
          number: r.value.invoice?.number ?? null,
        } satisfies Done)
      : refusedWith(r.response, values);
  }
  const error = {
    message: translator(context.ctx.locale)("errors:badRequest"),
    fieldErrors: null,
    field: null,
    status: 400,
  };
  return refusedWith({ data: { error }, init: { status: 400 } }, values);
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

/** used of max as text, with a bar when the plan has a limit. */
function Usage({ label, used, max }: { label: string; used: number; max: number | null }) {
  const t = useT();
  const share = max ? Math.min(100, Math.round((used / max) * 100)) : 0;
  const level = max === null ? "" : used >= max ? " full" : share >= 90 ? " near" : "";
  return (
    <div className={`usage${level}`}>
      <div className="usage-head">
        <span>{label}</span>
        <strong>
          {max === null ? t("billing:summary.usedNoLimit", { used }) : t("billing:summary.usedOf", { used, max })}
        </strong>
      </div>
      {max !== null ? (
        <div className="usage-track" aria-hidden="true">
          <span className="usage-fill" style={{ width: `${share}%` }} />
        </div>
      ) : null}
    </div>
  );
}

function StatusCard({ data, planName }: { data: Data; planName: string }) {
  const t = useT();
  const fmt = useFormat();
  const atLimit = (used: number, max: number | null) => max !== null && used >= max;
  const full = atLimit(data.usage.trainees, data.limits.maxTrainees) || atLimit(data.usage.staff, data.limits.maxStaff);
  return (
    <section className="card billing-status" data-testid="billing-status">
      <div className="ws-head">
        <h2 className="first">{t("billing:summary.title")}</h2>
        <span className={`badge access-${data.status}`}>{t(`billing:status.${data.status}`)}</span>
      </div>
      <AccessHint status={data.status} />
      <dl className="facts">
        <dt>{t("billing:summary.plan")}</dt>
        <dd>
          <strong>{planName}</strong>
        </dd>
        {data.status === "trial" && data.trialEndsAt ? (
          <>
            <dt>{t("billing:summary.trialEndsAt")}</dt>
            <dd>{fmt.date(data.trialEndsAt)}</dd>
          </>
        ) : (
          <>
            <dt>{t("billing:summary.paidThrough")}</dt>
            <dd>{fmt.date(data.paidThrough)}</dd>
          </>
        )}
        <dt>{t("billing:summary.debt")}</dt>
        <dd className={data.debtTiyn > 0 ? "debt" : ""}>
          {data.debtTiyn > 0 ? formatTiyn(data.debtTiyn) : t("billing:summary.noDebt")}
        </dd>
        {data.creditTiyn > 0 ? (
          <>
            <dt>{t("billing:summary.credit")}</dt>
            <dd data-testid="credit">{t("billing:summary.creditValue", { amount: formatTiyn(data.creditTiyn) })}</dd>
          </>
        ) : null}
        <dt>{t("billing:summary.nextInvoice")}</dt>
        <dd>
          {data.nextInvoiceOn
            ? t("billing:summary.nextInvoiceOn", { date: fmt.date(data.nextInvoiceOn) })
            : t("billing:summary.nextInvoiceIssued")}
        </dd>
      </dl>
      <h3>{t("billing:summary.usage")}</h3>
      <Usage label={t("billing:summary.trainees")} used={data.usage.trainees} max={data.limits.maxTrainees} />
      <Usage label={t("billing:summary.staff")} used={data.usage.staff} max={data.limits.maxStaff} />
      {full ? <p className="banner-inline">{t("billing:summary.full")}</p> : null}
    </section>
  );
}

/** Paying through Kaspi.kz: the service to find in the app, what to enter, and that the sum must be exact. */
function KaspiCard({ data, invoice }: { data: Data; invoice: Data["invoices"][number] }) {
  const t = useT();
  const k = data.kaspi;
  if (!k.enabled) return null;
  const devHref = k.devPayUrl
    ? `${k.devPayUrl}/?account=${encodeURIComponent(invoice.number)}&back=${encodeURIComponent(k.backUrl)}`
    : null;
  return (
    <section className="card" data-testid="kaspi">
      <h2 className="first">{t("kaspi:school.title")}</h2>
      <p>{t("kaspi:school.lead", { service: k.serviceName })}</p>
      <dl className="facts">
        <dt>{t("kaspi:school.account")}</dt>
        <dd className="mono">{invoice.number}</dd>
        {k.bin ? (
          <>
            <dt>{t("kaspi:school.bin")}</dt>
            <dd className="mono">{k.bin}</dd>
          </>
        ) : null}
      </dl>
      <p className="muted small">{t("kaspi:school.exact", { amount: formatTiyn(invoice.amountTiyn) })}</p>
      {devHref ? (
        <p className="small">
          <a href={devHref}>{t("kaspi:school.devPay")}</a>
        </p>
      ) : null}
    </section>
  );
}

function Requisites({ data, number }: { data: Data; number: string | null }) {
  const t = useT();
  const r = data.requisites;
  return (
    <section className="card" data-testid="requisites">
      <h2 className="first">{t("billing:transfer.title")}</h2>
      <p>{t("billing:transfer.lead")}</p>
      {number ? <p className="purpose">{t("billing:transfer.purpose", { number })}</p> : null}
      <dl className="facts">
        <dt>{t("billing:transfer.name")}</dt>
        <dd>{r.name}</dd>
        <dt>{t("billing:transfer.bin")}</dt>
        <dd className="mono">{r.bin}</dd>
        <dt>
          {t("billing:transfer.kbe")} / {t("billing:transfer.knp")}
        </dt>
        <dd className="mono">
          {r.kbe} / {r.knp}
        </dd>
        <dt>{t("billing:transfer.address")}</dt>
        <dd>{r.address}</dd>
        {r.banks.map((b) => (
          <div key={b.iik} className="facts-group">
            <dt>{t("billing:transfer.bank")}</dt>
            <dd>{b.name}</dd>
            <dt>{t("billing:transfer.iik")}</dt>
            <dd className="mono break">{b.iik}</dd>
            <dt>{t("billing:transfer.bik")}</dt>
            <dd className="mono">{b.bik}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export default function Billing() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Values> | Done | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const locale = useLocale();
  const { school } = useWorkspace();
  const name = (p: { nameKk: string; nameRu: string }) => (locale === "kk" ? p.nameKk : p.nameRu);
  const invoiceName = (i: { planKk: string; planRu: string }) => (locale === "kk" ? i.planKk : i.planRu);
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData && navigation.state === "idle" ? actionData : null;
  const busy = navigation.state !== "idle";
  const current = data.plans.find((p) => p.id === data.planId);
  const open = data.invoices.filter((i) => i.status === "open").sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  // Forms post to the bare page URL, so the "back from Stripe" notice (?paid=) does not stay after an action.
  const self = `/s/${school.slug}/billing`;
  const href = (kind: "invoices" | "documents", id: string) => `/s/${school.slug}/billing/${kind}/${id}.pdf`;
  const priceText = (v: { period: string; priceTiyn: number }) =>
    t(v.period === "year" ? "billing:plans.year" : "billing:plans.month", { price: formatTiyn(v.priceTiyn) });
  const limit = (n: number | null) => (n === null ? t("billing:plans.unlimited") : String(n));
  const waitingPlan = data.planChange.waiting
    ? data.plans.find((p) => p.id === data.planChange.waiting?.toPlanId)
    : undefined;
  const waiting = data.planChange.waiting && waitingPlan ? { ...data.planChange.waiting, plan: waitingPlan } : null;
  /** What choosing a plan does: at once with the charge for the days invoiced, at once and free, or from a day. */
  const consequence = (p: { id: string; nameKk: string; nameRu: string }, asking: boolean) => {
    const q = data.planChange.quotes[p.id];
    if (!q) return t("billing:plans.confirm", { name: name(p) });
    const what = t(`billing:plans.quote.${q.kind}`, {
      amount: formatTiyn(q.chargeTiyn),
      from: q.chargeFrom ? fmt.date(q.chargeFrom) : "",
      to: q.chargeTo ? fmt.date(q.chargeTo) : "",
      date: fmt.date(q.effectiveOn),
    });
    return asking ? t("billing:plans.ask", { name: name(p), what }) : what;
  };

  return (
    <main className="ws-main billing-page">
      <h1>{t("billing:page.title")}</h1>
      <p className="muted">{t("billing:page.lead")}</p>

      {data.back?.paid ? (
        <p className="notice" role="status" data-testid="payment-result">
          {t("billing:back.paid", { number: data.back.number, date: fmt.date(data.paidThrough) })}
        </p>
      ) : data.back ? (
        <p className="banner-inline" role="status" data-testid="payment-result">
          {t(data.back.tries < MAX_TRIES ? "billing:back.pending" : "billing:back.slow", { number: data.back.number })}{" "}
          <a href={`?paid=${data.back.id}`}>{t("billing:back.reload")}</a>
        </p>
      ) : null}
      {done?.done === "issue" ? (
        <Notice>{t(done.created ? "billing:ahead.issued" : "billing:ahead.existed", { number: done.number })}</Notice>
      ) : null}
      {done?.done === "plan" ? (
        <Notice>
          {t(done.cancelled ? "billing:plans.done.cancelled" : `billing:plans.done.${done.kind}`, {
            name: name(data.plans.find((p) => p.id === done.planId) ?? { nameKk: "", nameRu: "" }),
            date: fmt.date(done.effectiveOn),
            amount: formatTiyn(done.chargeTiyn),
            number: done.number ?? "",
          })}
        </Notice>
      ) : null}
      <FormAlert message={refused?.error.message} />

      <StatusCard data={data} planName={current ? name(current) : ""} />

      {open.length > 0 ? (
        <section className="billing-open">
          <h2>{t("billing:open.title")}</h2>
          {open.map((i) => (
            <article
              key={i.id}
              className={`card invoice-card${i.overdue ? " overdue" : ""}`}
              data-testid="open-invoice"
            >
              <div className="ws-head">
                <h3 className="first">{t("billing:open.invoice", { number: i.number })}</h3>
                {i.overdue ? <span className="badge bad">{t("billing:open.overdue")}</span> : null}
              </div>
              <p className="muted">
                {t(i.upgradeFrom ? "billing:open.upgrade" : "billing:open.period", {
                  plan: invoiceName(i),
                  was: i.upgradeFrom ? name(i.upgradeFrom) : "",
                  from: fmt.date(i.periodStart),
                  to: fmt.date(i.periodEnd),
                })}
              </p>
              <p className="invoice-amount">{formatTiyn(i.amountTiyn - i.creditTiyn)}</p>
              {i.creditTiyn > 0 ? (
                <p className="muted small">
                  {t("billing:open.credit", { amount: formatTiyn(i.amountTiyn), credit: formatTiyn(i.creditTiyn) })}
                </p>
              ) : null}
              <p>{t("billing:open.due", { date: fmt.date(i.dueOn) })}</p>
              <div className="row-actions">
                <Form method="post" action={self}>
                  <input type="hidden" name="intent" value="checkout" />
                  <input type="hidden" name="id" value={i.id} />
                  <button type="submit" className="primary" disabled={busy}>
                    {t("billing:open.payCard")}
                  </button>
                </Form>
                <a href={href("invoices", i.id)} className="button secondary" download>
                  {t("billing:open.pdf")}
                </a>
              </div>
            </article>
          ))}
          <p className="muted small">{t("billing:open.cardHint")}</p>
        </section>
      ) : null}
      {open[0] ? <KaspiCard data={data} invoice={open[0]} /> : null}
      {open.length > 0 ? null : (
        <Form method="post" action={self} className="card">
          <h2 className="first">{t("billing:ahead.title")}</h2>
          <p>
            {data.nextInvoiceOn
              ? t("billing:ahead.lead", { date: fmt.date(data.nextInvoiceOn) })
              : t("billing:ahead.leadNoDate")}
          </p>
          <input type="hidden" name="intent" value="issue" />
          <button type="submit" className="primary" disabled={busy}>
            {t("billing:ahead.button")}
          </button>
        </Form>
      )}

      <Requisites data={data} number={open[0]?.number ?? null} />

      <h2>{t("billing:history.title")}</h2>
      <Table
        rows={data.invoices}
        empty={t("billing:history.none")}
        className="billing-table"
        testId="invoice-history"
        labels="billing:history"
        // on a phone the table scrolls sideways: what the director looks for — the sum, the state, the file — first
        columns={["number", ["amount", "num"], "state", "file", "period", "plan", "due"]}
        row={(i) => (
          <tr key={i.id}>
            <td className="mono nowrap">{i.number}</td>
            <td className="num nowrap">{formatTiyn(i.amountTiyn)}</td>
            <td>
              <span className={`badge inv-${i.overdue ? "overdue" : i.status}`}>
                {i.overdue ? t("billing:open.overdue") : t(`billing:history.invoiceStatus.${i.status}`)}
              </span>
              {i.paidAt ? (
                <div className="muted small">{t("billing:history.paidAt", { date: fmt.date(i.paidAt) })}</div>
              ) : null}
            </td>
            <td>
              <a href={href("invoices", i.id)} download>
                PDF
              </a>
            </td>
            <td className="nowrap">
              {fmt.date(i.periodStart)} – {fmt.date(i.periodEnd)}
            </td>
            <td>{i.upgradeFrom ? `${name(i.upgradeFrom)} → ${invoiceName(i)}` : invoiceName(i)}</td>
            <td className="nowrap">{fmt.date(i.dueOn)}</td>
          </tr>
        )}
      />

      <h2>{t("billing:payments.title")}</h2>
      <Table
        rows={data.payments}
        empty={t("billing:payments.none")}
        className="billing-table"
        testId="payments"
        labels="billing:payments"
        columns={["date", "method", ["amount", "num"], "invoice"]}
        row={(p) => (
          <tr key={p.id}>
            <td className="nowrap">{fmt.date(p.receivedOn)}</td>
            <td>{t(`billing:payments.methods.${p.method}`)}</td>
            <td className="num nowrap">
              {formatTiyn(p.amountTiyn)}
              {p.refundedTiyn > 0 ? (
                <div className="muted small">
                  {t("billing:payments.refunded", { amount: formatTiyn(p.refundedTiyn) })}
                </div>
              ) : null}
            </td>
            <td className="mono nowrap">{p.invoiceNumber}</td>
          </tr>
        )}
      />

      <h2>{t("billing:documents.title")}</h2>
      <p className="muted">{t("billing:documents.lead")}</p>
      <Table
        rows={data.documents}
        empty={t("billing:documents.noneYet")}
        className="billing-table"
        testId="documents"
        labels="billing:documents"
        columns={["name", "billing:history.file", "date", "read"]}
        row={(d) => (
          <tr key={d.id}>
            <td>{locale === "kk" ? d.titleKk : d.titleRu}</td>
            <td className="nowrap">
              <a href={href("documents", d.id)} download>
                {t("billing:documents.download")}
              </a>
            </td>
            <td className="nowrap">{fmt.date(d.createdAt)}</td>
            <td>
              {d.firstReadAt ? (
                <span className="muted small">
                  {t("billing:documents.readAt", { date: fmt.dateTime(d.firstReadAt) })}
                </span>
              ) : (
                <span className="badge trial">{t("billing:documents.unread")}</span>
              )}
            </td>
          </tr>
        )}
      />

      <ReconciliationForm id="recon" action={`/s/${school.slug}/billing/reconciliation.pdf`} today={data.today} />

      <h2 id="plans">{t("billing:plans.title")}</h2>
      <p className="muted">{t("billing:plans.lead")}</p>
      {waiting && current ? (
        <div className="banner-inline plan-waiting" role="status" data-testid="plan-waiting">
          <p>
            {t("billing:plans.waiting", {
              name: name(waiting.plan),
              date: fmt.date(waiting.effectiveOn),
              current: name(current),
            })}
            {waiting.byOperator && waiting.reason
              ? ` ${t("billing:plans.waitingReason", { reason: waiting.reason })}`
              : ""}
          </p>
          <Form method="post" action={self}>
            <input type="hidden" name="intent" value="plan" />
            <input type="hidden" name="planId" value={current.id} />
            <button type="submit" className="secondary small" disabled={busy}>
              {t("billing:plans.stay", { name: name(current) })}
            </button>
          </Form>
        </div>
      ) : null}
      <Table
        rows={data.plans}
        className="billing-table plans-table"
        testId="plans"
        head={
          <>
            <th>{t("billing:plans.plan")}</th>
            <th className="num">{t("billing:plans.trainees")}</th>
            <th className="num">{t("billing:plans.staff")}</th>
            <th>{t("billing:plans.price")}</th>
            <th>
              <span className="visually-hidden">{t("billing:plans.action")}</span>
            </th>
          </>
        }
        row={(p) => (
          <tr key={p.id} className={p.id === data.planId ? "selected" : ""}>
            <td>
              <strong>{name(p)}</strong>
            </td>
            <td className="num" data-label={t("billing:plans.trainees")}>
              {limit(p.current.maxTrainees)}
            </td>
            <td className="num" data-label={t("billing:plans.staff")}>
              {limit(p.current.maxStaff)}
            </td>
            <td>
              <span className="nowrap">{priceText(p.current)}</span>
              {p.upcoming ? (
                <div className="upcoming small">
                  {t("billing:plans.upcoming", {
                    date: fmt.date(p.upcoming.effectiveFrom),
                    price: priceText(p.upcoming),
                  })}
                  {p.upcoming.maxTrainees !== p.current.maxTrainees || p.upcoming.maxStaff !== p.current.maxStaff ? (
                    <div>
                      {t("billing:plans.upcomingLimits", {
                        date: fmt.date(p.upcoming.effectiveFrom),
                        trainees: limit(p.upcoming.maxTrainees),
                        staff: limit(p.upcoming.maxStaff),
                      })}
                    </div>
                  ) : null}
                </div>
              ) : null}
            </td>
            <td>
              {p.id === data.planId ? (
                <span className="badge ok">{t("billing:plans.current")}</span>
              ) : waiting?.plan.id === p.id ? (
                <span className="badge">{t("billing:plans.from", { date: fmt.date(waiting.effectiveOn) })}</span>
              ) : (
                <Form method="post" action={self}>
                  <input type="hidden" name="intent" value="plan" />
                  <input type="hidden" name="planId" value={p.id} />
                  <ConfirmButton question={consequence(p, true)} className="secondary small">
                    {t("billing:plans.switch")}
                  </ConfirmButton>
                  <p className="small muted plan-consequence" data-testid="plan-consequence">
                    {consequence(p, false)}
                  </p>
                </Form>
              )}
            </td>
          </tr>
        )}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
