// Billing e-mails: to the school's directors (each in their own language) and to the operator. Written to
// the outbox in the caller's transaction under deterministic job ids — one notice per event and recipient.
import type { Tx } from "../db/client.ts";
import { enqueueMail } from "../outbox/enqueue.ts";
import { config } from "../config.ts";
import { formatDate, formatTiyn, translator, type Locale } from "../../domain/i18n/index.ts";
import type { MailTemplate } from "../mail/templates.ts";
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

/** The sender for already-loaded directors: one statement for all of them. */
export function directorNoticeFrom(tx: Tx, facts: SchoolFacts, directors: Director[]): Notice {
  return async (idBase, template, params) => {
    if (directors.length === 0) return;
    await tx.outboxEvent.createMany({
      data: directors.map((user) => ({
        queue: "mail",
        jobName: "send",
        jobId: `${idBase}-${user.id}`,
        payload: {
          to: user.email,
          locale: user.locale,
          template,
          params: { ...localise(params, user.locale), ...facts, name: user.fullName },
        },
      })),
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
  const { schoolId, ...rest } = params;
  const facts = known.facts ?? (schoolId ? await schoolFacts(tx, String(schoolId)) : {});
  const settings = known.settings ?? (await billingSettings(tx));
  const link = schoolId ? `${config().publicUrl}/admin/schools/${schoolId}` : `${config().publicUrl}/admin/billing`;
  await enqueueMail(tx, jobId, {
    to: settings.operatorEmail,
    locale: "ru",
    template,
    params: { ...localise(rest, "ru"), ...facts, link },
  });
}
