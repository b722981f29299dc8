import { resources, translator, type Locale } from "../../domain/i18n/index.ts";

import type ruEmail from "../../domain/i18n/ru/email.ts";

/** Every e-mail has its subject and body in domain/i18n/{kk,ru}/email.ts; a new template is a new entry there. */
export type MailTemplate = Exclude<keyof typeof ruEmail, "footer">;
export type MailJob = { to: string; locale: Locale; template: MailTemplate; params: Record<string, string> };

/** A `{{name}}` placeholder, the only kind the fast path below fills. */
const PLACEHOLDER = /\{\{(\w+)\}\}/g;
/** Anything else i18next would treat specially: nesting, formats, unescaped values. */
const SPECIAL = /\$t\(|\{\{(?!\w+\}\})/;
/** Parameters i18next reads as options (plurals, context, another language…), not as values. */
const OPTIONS = new Set(["count", "context", "lng", "lngs", "ns", "defaultValue", "ordinal", "replace", "keyPrefix"]);

/**
 * `t("email:<key>", params)`, with the common case done without i18next: a template with `{{name}}`
 * placeholders only, every one of them given. i18next's own lookup and interpolation cost more per
 * e-mail than writing it to SMTP when a notice goes to 100,000 people (tests/bench/notices.ts); any
 * other case goes through it, and server/mail/templates.test.ts holds the two to the same text.
 */
function text(locale: Locale, key: string, params: Record<string, string>): string {
  const [group, part] = key.split(".") as [string, string | undefined];
  const entry = (resources[locale].email as Record<string, unknown>)[group];
  const raw = part === undefined ? entry : (entry as Record<string, unknown> | undefined)?.[part];
  if (typeof raw === "string" && !SPECIAL.test(raw) && !Object.keys(params).some((k) => OPTIONS.has(k))) {
    let missing = false;
    const out = raw.replace(PLACEHOLDER, (_, name: string) => {
      const v = params[name];
      if (v === undefined) missing = true;
      return String(v ?? "");
    });
    if (!missing) return out;
  }
  return translator(locale)(`email:${key}`, params);
}

/** Renders a transactional e-mail in the recipient's language; the other language follows below it. */
export function renderMail(job: MailJob): { subject: string; text: string } {
  const other: Locale = job.locale === "kk" ? "ru" : "kk";
  const body = (l: Locale) => `${text(l, `${job.template}.body`, job.params)}\n\n--\n${text(l, "footer", {})}`;
  return {
    subject: text(job.locale, `${job.template}.subject`, job.params),
    text: `${body(job.locale)}\n\n==========\n\n${body(other)}`,
  };
}
