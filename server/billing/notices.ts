// Billing e-mails: to the school's directors (each in their own language) and to the operator. Written to
// the outbox in the caller's transaction under deterministic job ids — one notice per event and recipient.
import type { Tx } from "../db/client.ts";
import { enqueueMail } from "../outbox/enqueue.ts";
import { config } from "../config.ts";
import { formatDate, formatTiyn, translator, type Locale } from "../../domain/i18n/index.ts";
import type { MailJob, MailTemplate } from "../mail/templates.ts";
import { billingSettings } from "./settings.ts";
import type { AccessStatus, BillingSettings } from "./rules.ts";

type Params = Record<string, string | number | null | undefined>;

export const ACCESS_TEMPLATE: Record<AccessStatus, MailTemplate> = {
  past_due: "accessPastDue",
  restricted: "accessRestricted",
  suspended: "accessSuspended",
  trial: "accessRestored",
  active: "accessRestored",
};

const MONEY = new Set(["amount", "left"]);
const DATES = new Set(["due", "from", "to", "paidThrough", "effectiveOn"]);

/**
 * The params as the recipient reads them: money and days formatted, a status named, and a pair `xKk`/`xRu` (a plan's
 * name, the operator's note) given as `x` in the recipient's language.
 */
function localise(params: Params, locale: Locale): Record<string, string> {
  const t = translator(locale);
  const mine = locale === "kk" ? "Kk" : "Ru";
  const pair = /(Kk|Ru)$/;
  return Object.fromEntries(
    Object.entries(params)
      .filter(([key]) => !pair.test(key) || key.endsWith(mine))
      .map(([key, v]) => {
        const k = key.replace(pair, "");
        if (v === null || v === undefined) return [k, ""];
        if (MONEY.has(k)) return [k, formatTiyn(Number(v))];
        if (DATES.has(k) && typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return [k, formatDate(v)];
        if (k === "status") return [k, t(`billing:status.${v}`)];
        return [k, String(v)];
      }),
  );
}

export type SchoolFacts = { school: string; bin: string; link: string };
export type Director = { id: string; email: string; fullName: string; locale: Locale };
export type Notice = (idBase: string, template: MailTemplate, params: Params) => Promise<void>;

export function factsOf(school: { name: string; slug: string; binIin: string }): SchoolFacts {
  return { school: school.name, bin: school.binIin, link: `${config().publicUrl}/s/${school.slug}/billing` };
}

async function schoolFacts(tx: Tx, schoolId: string): Promise<SchoolFacts> {
  return factsOf(
    await tx.school.findUniqueOrThrow({ where: { id: schoolId }, select: { name: true, slug: true, binIin: true } }),
  );
}

/** An e-mail as its outbox row (jobs/relay.ts moves it to the mail queue under its job id). */
export type MailRow = { queue: "mail"; jobName: "send"; jobId: string; payload: MailJob };

/** One e-mail per director, job id `<idBase>-<userId>`, each in the director's language. */
export function directorMails(
  facts: SchoolFacts,
  directors: Director[],
  idBase: string,
  template: MailTemplate,
  params: Params,
): MailRow[] {
  return directors.map((user) => ({
    queue: "mail",
    jobName: "send",
    jobId: `${idBase}-${user.id}`,
    payload: {
      to: user.email,
      locale: user.locale,
      template,
      params: { ...localise(params, user.locale), ...facts, name: user.fullName },
    },
  }));
}

/** The sender for already-loaded directors: one statement for all of them. */
export function directorNoticeFrom(tx: Tx, facts: SchoolFacts, directors: Director[]): Notice {
  return async (idBase, template, params) => {
    if (directors.length === 0) return;
    await tx.outboxEvent.createMany({
      data: directorMails(facts, directors, idBase, template, params),
      skipDuplicates: true,
    });
  };
}

/**
 * Reads the school and its directors now and returns the sender: one e-mail per director, job id
 * `<idBase>-<userId>`, written in one statement — so a caller holding a hot lock (the invoice counter)
 * spends one round trip on its notices.
 */
export async function directorNotice(tx: Tx, schoolId: string): Promise<Notice> {
  const facts = await schoolFacts(tx, schoolId);
  const directors = await tx.membership.findMany({
    where: { schoolId, role: "director", user: { deactivatedAt: null } },
    select: { user: { select: { id: true, email: true, fullName: true, locale: true } } },
  });
  return directorNoticeFrom(
    tx,
    facts,
    directors.map((d) => d.user),
  );
}

/** One e-mail per director of the school, job id `<idBase>-<userId>`. */
export async function notifyDirectors(
  tx: Tx,
  schoolId: string,
  idBase: string,
  template: MailTemplate,
  params: Params,
): Promise<void> {
  await (await directorNotice(tx, schoolId))(idBase, template, params);
}

/** One e-mail to the operator's billing address (Russian first, Kazakh below, like every notice). */
export async function notifyOperator(
  tx: Tx,
  jobId: string,
  template: MailTemplate,
  params: Params,
  known: { facts?: SchoolFacts; settings?: BillingSettings } = {},
): Promise<void> {
  const facts = known.facts ?? (params.schoolId ? await schoolFacts(tx, String(params.schoolId)) : {});
  const settings = known.settings ?? (await billingSettings(tx));
  const mail = operatorMail(jobId, template, params, facts, settings);
  await enqueueMail(tx, jobId, mail.payload);
}

/** notifyOperator's e-mail as its outbox row, for facts and settings already read. */
export function operatorMail(
  jobId: string,
  template: MailTemplate,
  params: Params,
  facts: SchoolFacts | Record<string, never>,
  settings: Pick<BillingSettings, "operatorEmail">,
): MailRow {
  const { schoolId, ...rest } = params;
  const link = schoolId ? `${config().publicUrl}/admin/schools/${schoolId}` : `${config().publicUrl}/admin/billing`;
  return {
    queue: "mail",
    jobName: "send",
    jobId,
    payload: {
      to: settings.operatorEmail,
      locale: "ru",
      template,
      params: { ...localise(rest, "ru"), ...facts, link },
    },
  };
}
