// One invoice on the operator's desk: its header, payments (with refunds), documents (acts, credit notes) and
// history (audit entries and access steps, in Asia/Almaty time), and what the accountant does to it — confirm a
// transfer by hand, void it, refund a payment, issue a credit note. Every form carries a key rendered with the
// page, so a form submitted twice changes nothing the second time.
import { randomUUID } from "node:crypto";
import { Notice } from "~/components/Notice.tsx";
import { Table } from "~/components/Table.tsx";
import { InvoiceBadge } from "~/components/admin/InvoiceBadge.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type { InputHTMLAttributes, ReactNode } from "react";
import { Field, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, texts } from "~/components/workspace/forms.server.ts";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { tengeInput } from "../../domain/kz/money.ts";
import type { loader as adminLoader } from "./admin.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const invoice = await loadWs(context, () => context.trpc.admin.billing.invoice({ id }));
  // A fresh key per rendering of the forms: the same form posted twice carries the same key.
  return { invoice, requestKey: randomUUID(), today: almatyDate(new Date()) };
}

const FIELDS = [
  "intent",
  "requestKey",
  "amount",
  "receivedOn",
  "payer",
  "reference",
  "note",
  "reason",
  "paymentId",
] as const;
type Intent = "confirm" | "void" | "refund" | "credit";
type Values = Record<(typeof FIELDS)[number], string>;
type Done =
  | { done: "confirm"; outcome: "paid" | "partial" | "overpaid" | "duplicate"; restoredTo: string | null }
  | { done: "void"; outcome: "voided" | "already"; restoredTo: string | null }
  | { done: "refund"; outcome: "refunded" | "already"; refundedTiyn: number }
  | { done: "credit"; outcome: "issued" | "already"; number: string | null; paid: boolean };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const invoiceId = uuidParam(context, params.id);
  const values: Values = texts(await request.formData(), [...FIELDS]);
  const billing = context.trpc.admin.billing;
  const optional = (v: string) => v.trim() || undefined;
  const intent = values.intent as Intent;
  const run = async <T,>(fn: () => Promise<T>, done: (v: T) => Done) => {
    const r = await runWs(context, fn);
    if (r.ok) return done(r.value);
    const refused = refusedWith(r.response, values);
    return data({ ...refused.data, intent }, refused.init ?? undefined);
  };
  if (intent === "confirm")
    return run(
      () =>
        billing.confirmPayment({
          invoiceId,
          amount: values.amount,
          receivedOn: values.receivedOn,
          reference: values.reference,
          payer: optional(values.payer),
          note: optional(values.note),
        }),
      (v) => ({ done: "confirm", ...v }),
    );
  if (intent === "void")
    return run(
      () => billing.voidInvoice({ invoiceId, reason: values.reason }),
      (v) => ({ done: "void", ...v }),
    );
  if (intent === "refund")
    return run(
      () =>
        billing.refundPayment({
          paymentId: values.paymentId,
          amount: values.amount,
          reference: optional(values.reference),
          reason: optional(values.reason),
          requestKey: values.requestKey,
        }),
      (v) => ({ done: "refund", ...v }),
    );
  return run(
    () =>
      billing.creditNote({ invoiceId, amount: values.amount, reason: values.reason, requestKey: values.requestKey }),
    (v) => ({ done: "credit", ...v }),
  );
}

type Invoice = ReturnType<typeof useLoaderData<typeof loader>>["invoice"];
type ActionData = (Refused<Values> & { intent: Intent }) | Done;

export default function AdminInvoice() {
  const { invoice: inv, requestKey, today } = useLoaderData<typeof loader>();
  const admin = useRouteLoaderData<typeof adminLoader>("routes/admin");
  const actionData = useActionData() as ActionData | undefined;
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const canAct = admin?.operatorRole === "super_admin" || admin?.operatorRole === "billing";
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData && navigation.state === "idle" ? actionData : null;
  const busy = navigation.state === "submitting";
  const refundable = inv.payments.filter((p) => p.amountTiyn > p.refundedTiyn);
  return (
    <main className="ws-main">
      <p>
        <Link to="/admin/invoices">{t("billingAdmin:desk.back")}</Link>
      </p>
      <h1>{t("billingAdmin:desk.title", { number: inv.number })}</h1>
      {done ? <DoneNotice done={done} number={inv.number} /> : null}

      <dl className="facts card" data-testid="invoice-header">
        <dt>{t("billingAdmin:desk.school")}</dt>
        <dd>
          <Link to={`/admin/schools/${inv.school.id}`}>{inv.school.name}</Link>
        </dd>
        <dt>{t("billingAdmin:desk.bin")}</dt>
        <dd className="mono">{inv.school.bin}</dd>
        <dt>{t("billingAdmin:desk.plan")}</dt>
        <dd>
          <Plan kk={inv.planKk} ru={inv.planRu} />
        </dd>
        <dt>{t("billingAdmin:desk.period")}</dt>
        <dd className="nowrap">
          {fmt.date(inv.periodStart)} – {fmt.date(inv.periodEnd)}
        </dd>
        <dt>{t("billingAdmin:desk.issued")}</dt>
        <dd>{fmt.date(inv.issuedOn)}</dd>
        <dt>{t("billingAdmin:desk.due")}</dt>
        <dd>{fmt.date(inv.dueOn)}</dd>
        <dt>{t("billingAdmin:desk.amount")}</dt>
        <dd className="nowrap">{formatTiyn(inv.amountTiyn)}</dd>
        {inv.creditTiyn > 0 ? (
          <>
            <dt>{t("billingAdmin:desk.credit")}</dt>
            <dd className="nowrap">−{formatTiyn(inv.creditTiyn)}</dd>
          </>
        ) : null}
        <dt>{t("billingAdmin:desk.received")}</dt>
        <dd className="nowrap">{formatTiyn(inv.receivedTiyn)}</dd>
        {inv.status === "open" ? (
          <>
            <dt>{t("billingAdmin:desk.left")}</dt>
            <dd className="nowrap">
              <strong>{formatTiyn(inv.leftTiyn)}</strong>
            </dd>
          </>
        ) : null}
        <dt>{t("billingAdmin:desk.status")}</dt>
        <dd>
          <InvoiceBadge status={inv.status} overdue={inv.overdue} />
          {inv.paidAt ? <span className="muted small"> {stamp(fmt, inv.paidAt)}</span> : null}
          {inv.voided ? (
            <div className="small">
              {t("billingAdmin:desk.voided", { date: stamp(fmt, inv.voided.at), reason: inv.voided.reason ?? "" })}
            </div>
          ) : null}
        </dd>
      </dl>
      <p>
        <a href={`/admin/invoices/${inv.id}.pdf`} download>
          {t("billingAdmin:desk.pdf")}
        </a>
      </p>
      {inv.schoolCreditTiyn > 0 ? (
        <p className="muted">{t("billingAdmin:desk.schoolCredit", { amount: formatTiyn(inv.schoolCreditTiyn) })}</p>
      ) : null}

      <h2>{t("billingAdmin:desk.payments")}</h2>
      <Table
        rows={inv.payments}
        testId="payments"
        empty={t("billingAdmin:desk.noPayments")}
        labels="billingAdmin:desk.cols"
        columns={["method", "reference", "date", "payer", ["amount", "num"], ["refunded", "num"]]}
        row={(p) => (
          <tr key={p.id}>
            <td>
              {t(`billingAdmin:payments.methods.${p.method}`)}
              {p.disputedAt ? <div className="small ab-warn">{t("billingAdmin:desk.disputed")}</div> : null}
            </td>
            <td className="mono small break">{p.externalRef}</td>
            <td className="nowrap">{fmt.date(p.receivedOn)}</td>
            <td>
              {p.payerName ?? "—"}
              {p.payerBin ? <div className="muted small mono">{p.payerBin}</div> : null}
            </td>
            <td className="num nowrap">{formatTiyn(p.amountTiyn)}</td>
            <td className="num">
              <span className="nowrap">{p.refundedTiyn ? formatTiyn(p.refundedTiyn) : "—"}</span>
              {p.refunds.map((r) => (
                <div key={r.id} className="muted small">
                  {t("billingAdmin:desk.refunds", {
                    amount: formatTiyn(r.amountTiyn),
                    reference: r.reference,
                    date: stamp(fmt, r.at),
                  })}
                </div>
              ))}
            </td>
          </tr>
        )}
      />

      <h2>{t("billingAdmin:desk.documents")}</h2>
      <Table
        rows={inv.documents}
        testId="documents"
        empty={t("billingAdmin:desk.noDocuments")}
        labels="billingAdmin:desk.cols"
        columns={["document", "date", ["amount", "num"]]}
        row={(d) => (
          <tr key={d.id}>
            <td>
              <a href={`/admin/documents/${d.id}.pdf`} download>
                <Plan kk={d.titleKk} ru={d.titleRu} />
              </a>
            </td>
            <td className="nowrap">{stamp(fmt, d.createdAt)}</td>
            <td className="num nowrap">{formatTiyn(d.amountTiyn)}</td>
          </tr>
        )}
      />
      {inv.creditNotes.length > 0 ? (
        <ul className="small">
          {inv.creditNotes.map((n) => (
            <li key={n.id}>
              <span className="mono">{n.number}</span> — {formatTiyn(n.amountTiyn)}: {n.reason}
            </li>
          ))}
        </ul>
      ) : null}

      <h2>{t("billingAdmin:desk.history")}</h2>
      <History rows={inv.history} />

      <h2>{t("billingAdmin:desk.actions")}</h2>
      {!canAct ? (
        <p className="muted">{t("billingAdmin:desk.noRight")}</p>
      ) : (
        <>
          <p className="muted small">{t("billingAdmin:desk.once")}</p>
          {inv.status === "open" ? (
            <ActionForm
              intent="confirm"
              title={t("billingAdmin:desk.confirm.title")}
              refused={refused}
              requestKey={requestKey}
              busy={busy}
              submit={t("billingAdmin:confirm.submit")}
              fields={(field) => (
                <>
                  {field("amount", t("billingAdmin:confirm.amount"), {
                    inputMode: "decimal",
                    required: true,
                    defaultValue: tengeInput(inv.leftTiyn),
                  })}
                  {field("receivedOn", t("billingAdmin:confirm.receivedOn"), {
                    type: "date",
                    required: true,
                    max: today,
                    defaultValue: today,
                  })}
                  {field("payer", t("billingAdmin:desk.confirm.payer"), { maxLength: 200 })}
                  {field(
                    "reference",
                    t("billingAdmin:confirm.reference"),
                    { required: true, maxLength: 100 },
                    t("billingAdmin:confirm.referenceHint"),
                  )}
                  {field("note", t("billingAdmin:confirm.note"), { maxLength: 500 })}
                </>
              )}
            />
          ) : null}
          {refundable.length > 0 ? (
            <ActionForm
              intent="refund"
              title={t("billingAdmin:desk.refund.title")}
              refused={refused}
              requestKey={requestKey}
              busy={busy}
              submit={t("billingAdmin:desk.refund.submit")}
              fields={(field, v) => (
                <>
                  <div className="field">
                    <label htmlFor="refund-paymentId">{t("billingAdmin:desk.refund.payment")}</label>
                    <select id="refund-paymentId" name="paymentId" defaultValue={v?.paymentId ?? refundable[0]!.id}>
                      {refundable.map((p) => (
                        <option key={p.id} value={p.id}>
                          {t("billingAdmin:desk.refund.paymentOption", {
                            date: fmt.date(p.receivedOn),
                            method: t(`billingAdmin:payments.methods.${p.method}`),
                            amount: formatTiyn(p.amountTiyn),
                            left: formatTiyn(p.amountTiyn - p.refundedTiyn),
                          })}
                        </option>
                      ))}
                    </select>
                  </div>
                  {field("amount", t("billingAdmin:desk.refund.amount"), {
                    inputMode: "decimal",
                    required: true,
                    defaultValue: tengeInput(refundable[0]!.amountTiyn - refundable[0]!.refundedTiyn),
                  })}
                  {field(
                    "reference",
                    t("billingAdmin:desk.refund.reference"),
                    { maxLength: 100 },
                    t("billingAdmin:desk.refund.referenceHint"),
                  )}
                  {field("reason", t("billingAdmin:desk.refund.reason"), { maxLength: 500 })}
                </>
              )}
            />
          ) : (
            <p className="muted small">{t("billingAdmin:desk.refund.nothing")}</p>
          )}
          {inv.creditableTiyn > 0 ? (
            <ActionForm
              intent="credit"
              title={t("billingAdmin:desk.creditNote.title")}
              lead={t("billingAdmin:desk.creditNote.lead", { max: formatTiyn(inv.creditableTiyn) })}
              refused={refused}
              requestKey={requestKey}
              busy={busy}
              submit={t("billingAdmin:desk.creditNote.submit")}
              fields={(field) => (
                <>
                  {field("amount", t("billingAdmin:desk.creditNote.amount"), { inputMode: "decimal", required: true })}
                  {field("reason", t("billingAdmin:desk.creditNote.reason"), { required: true, maxLength: 500 })}
                </>
              )}
            />
          ) : (
            <p className="muted small">{t("billingAdmin:desk.creditNote.none")}</p>
          )}
          {inv.status === "open" ? (
            <ActionForm
              intent="void"
              title={t("billingAdmin:desk.void.title")}
              lead={t("billingAdmin:desk.void.lead")}
              refused={refused}
              requestKey={requestKey}
              busy={busy}
              danger
              submit={t("billingAdmin:desk.void.submit")}
              fields={(field) => (
                <>{field("reason", t("billingAdmin:desk.void.reason"), { required: true, maxLength: 500 })}</>
              )}
            />
          ) : null}
        </>
      )}
    </main>
  );
}

/** A moment in Asia/Almaty time as DD.MM.YYYY HH:mm. */
const stamp = (fmt: ReturnType<typeof useFormat>, at: Date | string) => fmt.dateTime(at).replace(",", "");

/** A plan or document title in the page's language. */
function Plan({ kk, ru }: { kk: string; ru: string }) {
  return <>{useLocale() === "kk" ? kk : ru}</>;
}

function DoneNotice({ done, number }: { done: Done; number: string }) {
  const t = useT();
  const status = (s: string | null) =>
    s ? t("billingAdmin:desk.void.restored", { status: t(`billing:status.${s}`) }) : "";
  if (done.done === "confirm")
    return (
      <Notice>
        {t(`billingAdmin:confirm.done.${done.outcome === "duplicate" ? "paid" : done.outcome}`, { number })}{" "}
        {status(done.restoredTo)}
      </Notice>
    );
  if (done.done === "void")
    return (
      <Notice>
        {t(`billingAdmin:desk.void.${done.outcome === "voided" ? "done" : "already"}`)} {status(done.restoredTo)}
      </Notice>
    );
  if (done.done === "refund")
    return (
      <Notice>
        {done.outcome === "refunded"
          ? t("billingAdmin:desk.refund.done", { amount: formatTiyn(done.refundedTiyn) })
          : t("billingAdmin:desk.refund.already")}
      </Notice>
    );
  return (
    <Notice>
      {done.outcome === "issued"
        ? t("billingAdmin:desk.creditNote.done", { number: done.number ?? "" })
        : t("billingAdmin:desk.creditNote.already")}{" "}
      {done.paid ? t("billingAdmin:desk.creditNote.paid") : ""}
    </Notice>
  );
}

type FieldFn = (
  name: keyof Values,
  label: string,
  input: InputHTMLAttributes<HTMLInputElement>,
  hint?: string,
) => ReactNode;

/** One action's form, in a <details> opened when it was refused; its key makes a second submit a no-op. */
function ActionForm(props: {
  intent: Intent;
  title: string;
  lead?: string;
  submit: string;
  refused: (Refused<Values> & { intent: Intent }) | null;
  requestKey: string;
  busy: boolean;
  danger?: boolean;
  fields: (field: FieldFn, values: Values | null) => ReactNode;
}) {
  const mine = props.refused?.intent === props.intent ? props.refused : null;
  const fe = mine?.error.fieldErrors ?? {};
  const v = mine?.values ?? null;
  const field: FieldFn = (name, label, input, hint) => (
    <Field
      id={`${props.intent}-${name}`}
      name={name}
      label={label}
      error={fe[name]}
      hint={hint}
      {...input}
      defaultValue={v ? v[name] : input.defaultValue}
    />
  );
  const shown = (Object.keys(fe) as string[]).some((k) => k !== "requestKey" && k !== "paymentId" && k !== "intent");
  return (
    <details className="card ab-desk-action" open={!!mine} data-intent={props.intent}>
      <summary>{props.title}</summary>
      {props.lead ? <p className="muted small">{props.lead}</p> : null}
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value={props.intent} />
        <input type="hidden" name="requestKey" value={mine?.values.requestKey || props.requestKey} />
        <FormAlert message={mine && !shown ? mine.error.message : null} />
        {props.fields(field, v)}
        <button type="submit" className={props.danger ? "danger" : "primary"} disabled={props.busy}>
          {props.submit}
        </button>
      </Form>
    </details>
  );
}

/** The invoice's history: audit entries and access steps, readable (no raw JSON), times in Asia/Almaty. */
function History({ rows }: { rows: Invoice["history"] }) {
  const t = useT();
  const fmt = useFormat();
  const status = (s: unknown) => t(`billing:status.${String(s)}`);
  const facts = (d: Record<string, unknown>) => {
    const out: string[] = [];
    const fact = (key: string, value: unknown) =>
      out.push(t(`billingAdmin:desk.facts.${key}`, { value: String(value) }));
    if (typeof d.amountTiyn === "number") fact("amountTiyn", formatTiyn(d.amountTiyn));
    if (typeof d.method === "string") out.push(t(`billingAdmin:desk.facts.method.${d.method}`));
    if (typeof d.outcome === "string" && ["paid", "partial", "overpaid"].includes(d.outcome))
      out.push(t(`billingAdmin:desk.facts.outcome.${d.outcome}`));
    for (const key of ["reference", "document", "payer", "creditNote", "reason"])
      if (typeof d[key] === "string" && d[key]) fact(key, d[key]);
    if (typeof d.restoredTo === "string") fact("restoredTo", status(d.restoredTo));
    return out.join("; ");
  };
  return (
    <Table
      rows={rows}
      testId="history"
      empty={t("billingAdmin:desk.noHistory")}
      labels="billingAdmin:desk.cols"
      columns={["time", "event", "who", "what"]}
      row={(h, i) => (
        <tr key={i}>
          <td className="nowrap">{stamp(fmt, h.at)}</td>
          <td>
            {h.kind === "audit"
              ? t(`admin:actions.${h.action}`, { defaultValue: h.action })
              : t(`billingAdmin:desk.causes.${h.action}`)}
          </td>
          <td>{h.actor ?? "—"}</td>
          <td>
            {h.kind === "access"
              ? [
                  t("billingAdmin:desk.access", { from: status(h.details.from), to: status(h.details.to) }),
                  typeof h.details.reason === "string"
                    ? t("billingAdmin:desk.facts.reason", { value: h.details.reason })
                    : "",
                ]
                  .filter(Boolean)
                  .join("; ")
              : facts(h.details)}
          </td>
        </tr>
      )}
    />
  );
}

export const ErrorBoundary = ErrorPanel;
