import { Form, useLocation } from "@remix-run/react";
import { useLocale } from "~/lib/i18n.tsx";
import { isLocale, loadMessages, LOCALES } from "../../domain/i18n/index.ts";

const LABEL = { kk: "Қазақша", ru: "Русский" } as const;

/**
 * Posts to /locale: works without JavaScript, remembered on the user when signed in. With JavaScript the router
 * sends it, and the chosen language's messages (a chunk of their own, docs/decisions/050) start loading at
 * the same moment, so the page shows that language as soon as its data is back.
 */
export function LanguageSwitch() {
  const locale = useLocale();
  const location = useLocation();
  return (
    <Form
      method="post"
      action="/locale"
      className="lang-switch"
      aria-label="Тіл / Язык"
      onSubmit={(e) => {
        const chosen = (e.nativeEvent as SubmitEvent).submitter?.getAttribute("value");
        if (isLocale(chosen)) void loadMessages(chosen);
      }}
    >
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
