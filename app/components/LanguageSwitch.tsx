import { Form, useLocation } from "@remix-run/react";
import { useLocale } from "~/lib/i18n.tsx";
import { LOCALES } from "../../domain/i18n/index.ts";

const LABEL = { kk: "Қазақша", ru: "Русский" } as const;

/** Posts to /locale: works without JavaScript, remembered on the user when signed in. */
export function LanguageSwitch() {
  const locale = useLocale();
  const location = useLocation();
  return (
    <Form method="post" action="/locale" className="lang-switch" aria-label="Тіл / Язык">
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      {LOCALES.map((l) => (
        <button
          key={l}
          type="submit"
          name="locale"
          value={l}
          aria-pressed={l === locale}
          className={l === locale ? "active" : ""}
          lang={l}
        >
          {LABEL[l]}
        </button>
      ))}
    </Form>
  );
}
