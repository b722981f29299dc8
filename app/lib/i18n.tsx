import { createContext, useContext, useMemo, type ReactNode } from "react";
import { translator, formatDate, formatDateTime, type Locale } from "../../domain/i18n/index.ts";

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
