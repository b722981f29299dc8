// The billing settings (invoice lead time, reminders, grace and suspension days, VAT, KNP, operator e-mail)
// and the operator's requisites printed on invoices, saved together by admin.billing.saveSettings.
import { Notice } from "~/components/Notice.tsx";
import { Form, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Field, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";
import type { loader as adminLoader } from "./admin.tsx";

const BANK_ROWS = 3;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadWs(context, () => context.trpc.admin.billing.settings());
}

type Values = Record<string, string>;

/** "-3, 0, 3 7" → ["-3", "0", "3", "7"]; the server checks each is a whole number of days. */
const offsets = (v: string) =>
  v
    .split(/[\s,;]+/)
    .map((x) => x.replace("−", "-"))
    .filter(Boolean);

/** "16" or "12,5" (percent) → basis points; blank → missing, other text as is: the server refuses both. */
function vatBp(v: string): number | string | undefined {
  if (v.trim() === "") return undefined;
  const n = Number(v.trim().replace(",", "."));
  return Number.isFinite(n) ? Math.round(n * 100) : v;
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const values: Values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === "string" ? v : ""]));
  const banks = Array.from({ length: BANK_ROWS }, (_, i) => ({
    name: text(form, `bank${i}Name`),
    iik: text(form, `bank${i}Iik`),
    bik: text(form, `bank${i}Bik`),
  }))
    .map((b, i) => ({ ...b, row: i }))
    .filter((b) => b.name.trim() || b.iik.trim() || b.bik.trim());
  const reminderOffsets = offsets(text(form, "reminderOffsets"));
  const vatRateBp = form.get("vat") === "on" ? vatBp(text(form, "vatRate")) : null;
  const result = await runWs(context, () =>
    context.trpc.admin.billing.saveSettings({
      settings: {
        invoiceDaysBefore: text(form, "invoiceDaysBefore"),
        reminderOffsets,
        graceDays: text(form, "graceDays"),
        suspendAfterDays: text(form, "suspendAfterDays"),
        vatRateBp,
        knp: text(form, "knp").trim(),
        operatorEmail: text(form, "operatorEmail").trim(),
      },
      requisites: {
        name: text(form, "name"),
        bin: text(form, "bin"),
        kbe: text(form, "kbe").trim(),
        address: text(form, "address"),
        email: text(form, "email").trim(),
        banks: banks.map(({ name, iik, bik }) => ({ name, iik, bik })),
      },
    }),
  );
  if (!result.ok) {
    // Field names on the page: settings.x → x, requisites.banks.N.iik → bankMIik (M = the row it came from).
    const error = result.response.data.error;
    const mapped: Record<string, string> = {};
    for (const [k, msg] of Object.entries(error.fieldErrors ?? {})) {
      const bank = /^requisites\.banks\.(\d+)\.(name|iik|bik)$/.exec(k);
      const key = bank
        ? `bank${banks[Number(bank[1])]?.row ?? 0}${bank[2]![0]!.toUpperCase()}${bank[2]!.slice(1)}`
        : k.startsWith("settings.vatRateBp")
          ? "vatRate"
          : k.startsWith("settings.reminderOffsets")
            ? "reminderOffsets"
            : k.replace(/^(settings|requisites)\./, "");
      mapped[key] ??= msg;
    }
    // Words where numbers belong: say what is expected rather than the generic message.
    const t = translator(context.ctx.locale);
    if (mapped.reminderOffsets && reminderOffsets.some((x) => !/^-?\d+$/.test(x)))
      mapped.reminderOffsets = t("billingAdmin:settings.offsetsInvalid");
    if (mapped.vatRate && typeof vatRateBp === "string") mapped.vatRate = t("billingAdmin:settings.vatInvalid");
    return refusedWith({ ...result.response, data: { error: { ...error, fieldErrors: mapped } } }, values);
  }
  return { saved: true as const };
}

export default function AdminBillingSettings() {
  const { settings, requisites } = useLoaderData<typeof loader>();
  const admin = useRouteLoaderData<typeof adminLoader>("routes/admin");
  const actionData = useActionData() as Refused<Values> | { saved: true } | undefined;
  const navigation = useNavigation();
  const t = useT();
  const canEdit = admin?.operatorRole === "super_admin";
  const refused = actionData && "error" in actionData ? actionData : null;
  const fe = refused?.error.fieldErrors ?? {};
  const v = refused?.values;
  // After a refusal the page shows what was typed; otherwise what is saved.
  const val = (name: string, saved: string | number | null | undefined) =>
    v ? (v[name] ?? "") : saved == null ? "" : String(saved);
  const vatOn = v ? v.vat === "on" : settings.vatRateBp !== null;
  const f = (
    name: string,
    saved: string | number | null | undefined,
    extra: Omit<Parameters<typeof Field>[0], "label" | "name"> & { label?: string } = {},
  ) => (
    <Field
      label={extra.label ?? t(`billingAdmin:settings.fields.${name}`)}
      name={name}
      defaultValue={val(name, saved)}
      error={fe[name]}
      disabled={!canEdit}
      {...extra}
    />
  );
  return (
    <main className="ws-main">
      <h1>{t("billingAdmin:settings.title")}</h1>
      {actionData && "saved" in actionData && navigation.state === "idle" ? (
        <Notice>{t("admin:settings.saved")}</Notice>
      ) : null}
      <FormAlert message={refused?.error.message} />
      <Form method="post" noValidate className="ab-settings">
        <section className="card">
          <h2 className="first">{t("billingAdmin:settings.cycle")}</h2>
          <div className="grid2">
            {f("invoiceDaysBefore", settings.invoiceDaysBefore, {
              type: "number",
              min: 1,
              max: 60,
              required: true,
              hint: t("billingAdmin:settings.hints.invoiceDaysBefore"),
            })}
            {f("reminderOffsets", settings.reminderOffsets.join(", "), {
              hint: t("billingAdmin:settings.hints.reminderOffsets"),
            })}
            {f("graceDays", settings.graceDays, {
              type: "number",
              min: 0,
              max: 90,
              required: true,
              hint: t("billingAdmin:settings.hints.graceDays"),
            })}
            {f("suspendAfterDays", settings.suspendAfterDays, {
              type: "number",
              min: 0,
              max: 365,
              required: true,
              hint: t("billingAdmin:settings.hints.suspendAfterDays"),
            })}
          </div>
          <label className="check">
            <input type="checkbox" name="vat" defaultChecked={vatOn} disabled={!canEdit} />
            <span>{t("billingAdmin:settings.vat")}</span>
          </label>
          <div className="grid2">
            {f("vatRate", settings.vatRateBp === null ? "" : settings.vatRateBp / 100, {
              inputMode: "decimal",
              hint: t("billingAdmin:settings.hints.vatRate"),
            })}
            {f("knp", settings.knp, {
              inputMode: "numeric",
              maxLength: 3,
              required: true,
              hint: t("billingAdmin:settings.hints.knp"),
            })}
            {f("operatorEmail", settings.operatorEmail, {
              type: "email",
              required: true,
              hint: t("billingAdmin:settings.hints.operatorEmail"),
            })}
          </div>
        </section>

        <section className="card">
          <h2 className="first">{t("billingAdmin:settings.requisites")}</h2>
          <p className="muted small">{t("billingAdmin:settings.requisitesLead")}</p>
          {f("name", requisites.name, { required: true, maxLength: 300 })}
          <div className="grid2">
            {f("bin", requisites.bin, { inputMode: "numeric", maxLength: 12, required: true })}
            {f("kbe", requisites.kbe, { inputMode: "numeric", maxLength: 2, required: true })}
          </div>
          {f("address", requisites.address, { required: true, maxLength: 300 })}
          {f("email", requisites.email, { type: "email", required: true })}
          <h3>{t("billingAdmin:settings.banks")}</h3>
          {fe.banks ? (
            <p className="alert" role="alert">
              {fe.banks}
            </p>
          ) : null}
          {Array.from({ length: BANK_ROWS }, (_, i) => {
            const b = requisites.banks[i];
            return (
              <div key={i} className="ab-bank">
                {f(`bank${i}Name`, b?.name, {
                  label: t("billingAdmin:settings.fields.bankName", { n: i + 1 }),
                  maxLength: 200,
                })}
                {f(`bank${i}Iik`, b?.iik, {
                  label: t("billingAdmin:settings.fields.iik"),
                  maxLength: 20,
                  className: "mono",
                })}
                {f(`bank${i}Bik`, b?.bik, {
                  label: t("billingAdmin:settings.fields.bik"),
                  maxLength: 8,
                  className: "mono",
                })}
              </div>
            );
          })}
          <p className="muted small">{t("billingAdmin:settings.banksHint")}</p>
        </section>
        {canEdit ? (
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            {t("admin:settings.save")}
          </button>
        ) : (
          <p className="muted">{t("admin:settings.readOnly")}</p>
        )}
      </Form>
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
