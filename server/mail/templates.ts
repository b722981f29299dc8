import { translator, type Locale } from "../../domain/i18n/index.ts";

import type ruEmail from "../../domain/i18n/ru/email.ts";

/** Every e-mail has its subject and body in domain/i18n/{kk,ru}/email.ts; a new template is a new entry there. */
export type MailTemplate = Exclude<keyof typeof ruEmail, "footer">;
export type MailJob = { to: string; locale: Locale; template: MailTemplate; params: Record<string, string> };

/** Renders a transactional e-mail in the recipient's language; the other language follows below it. */
export function renderMail(job: MailJob): { subject: string; text: string } {
  const t = translator(job.locale);
  const other = translator(job.locale === "kk" ? "ru" : "kk");
  const body = (tr: typeof t) => `${tr(`email:${job.template}.body`, job.params)}\n\n--\n${tr("email:footer")}`;
  return {
    subject: t(`email:${job.template}.subject`, job.params),
    text: `${body(t)}\n\n==========\n\n${body(other)}`,
  };
}
