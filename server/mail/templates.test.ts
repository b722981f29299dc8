// Every e-mail reads exactly as its translation says, in the recipient's language first and the other below.
import { LOCALES, resources, translator } from "../../domain/i18n/index.ts";
import { renderMail, type MailTemplate } from "./templates.ts";

const templates = Object.keys(resources.ru.email).filter((k) => k !== "footer") as MailTemplate[];
/** Every placeholder any template uses, filled with a value that names it (and a Kazakh letter). */
const params = Object.fromEntries(
  [...JSON.stringify(resources).matchAll(/\{\{(\w+)\}\}/g)].map(([, name]) => [name!, `«${name} ә»`]),
);

describe("e-mail texts", () => {
  it.each(LOCALES.flatMap((locale) => templates.map((template) => [locale, template] as const)))(
    "%s %s: subject and both bodies as translated, every placeholder filled",
    (locale, template) => {
      const mail = renderMail({ to: "a@example.kz", locale, template, params });
      const t = translator(locale);
      const o = translator(locale === "kk" ? "ru" : "kk");
      expect(mail.subject).toBe(t(`email:${template}.subject`, params));
      expect(mail.text).toBe(
        `${t(`email:${template}.body`, params)}\n\n--\n${t("email:footer")}\n\n==========\n\n${o(`email:${template}.body`, params)}\n\n--\n${o("email:footer")}`,
      );
      expect(mail.subject + mail.text).not.toMatch(/\{\{|\}\}/);
    },
  );

  it("leaves a placeholder it has no value for to i18next, as before", () => {
    const mail = renderMail({ to: "a@example.kz", locale: "ru", template: "reset", params: {} });
    expect(mail.text).toContain(translator("ru")("email:reset.body", {}));
  });
});
