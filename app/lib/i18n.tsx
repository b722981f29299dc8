import { createContext, useContext, useMemo, type ReactNode } from "react";
import {
  DEFAULT_LOCALE,
  formatDate,
  formatDateTime,
  isLocale,
  translator,
  type Locale,
} from "../../domain/i18n/index.ts";

const LocaleContext = createContext<Locale>("kk");

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export const useLocale = () => useContext(LocaleContext);

/** `const t = useT(); t("auth:login.title")` */
export function useT() {
  const locale = useLocale();
  return useMemo(() => translator(locale), [locale]);
}

/** Dates and times as people in Kazakhstan read them, in Asia/Almaty. */
export function useFormat() {
  const locale = useLocale();
  return useMemo(
    () => ({
      date: (v: Date | string) => formatDate(v, locale),
      dateTime: (v: Date | string) => formatDateTime(v, locale),
    }),
    [locale],
  );
}

/**
 * The page's language, for a route's `meta`: the root's, which every page has. A route's own data is missing when
 * its loader failed; the title then still comes in the page's language, not in a fixed one.
 */
export function pageLocale(matches: readonly { id: string; data?: unknown }[]): Locale {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  return isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
}
