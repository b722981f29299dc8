// The two languages every screen, message and document is written in.
export const LOCALES = ["kk", "ru"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "kk";

export function isLocale(v: unknown): v is Locale {
  return v === "kk" || v === "ru";
}
