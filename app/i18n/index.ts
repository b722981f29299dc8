// Translations for every screen, e-mail and error, in Kazakh and Russian. Shared by the server
// (errors, e-mails) and the browser. One file per area and language; keys mirror each other
// (app/i18n/i18n.test.ts fails when a key is missing in one language).
import i18next, { type TFunction } from "i18next";
import * as kk from "./kk/index.ts";
import * as ru from "./ru/index.ts";

export const LOCALES = ["kk", "ru"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "kk";

export const resources = { kk: { ...kk }, ru: { ...ru } };

export function isLocale(v: unknown): v is Locale {
  return v === "kk" || v === "ru";
}

const instances = new Map<Locale, TFunction>();

/** `t("auth:login.title")`: namespace, colon, dotted key. */
export function translator(locale: Locale): TFunction {
  let t = instances.get(locale);
  if (!t) {
    const inst = i18next.createInstance();
    inst.init({
      lng: locale,
      fallbackLng: false,
      resources: { [locale]: resources[locale] },
      ns: Object.keys(resources[locale]),
      defaultNS: "common",
      interpolation: { escapeValue: false },
      initAsync: false,
      returnNull: false,
    });
    t = inst.t.bind(inst) as TFunction;
    instances.set(locale, t);
  }
  return t;
}

/** Asia/Almaty wall-clock formatting for every date and time shown to a person. */
export const TIME_ZONE = "Asia/Almaty";
const intlLocale = { kk: "kk-KZ", ru: "ru-RU" } as const;

export function formatDateTime(value: Date | string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], {
    timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  }).format(new Date(value));
}

export function formatDate(value: Date | string, locale: Locale): string {
  // Calendar dates (birth dates) are stored as dates, not instants: format them in UTC so they never shift.
  const isDateOnly = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
  return new Intl.DateTimeFormat(intlLocale[locale], {
    timeZone: isDateOnly ? "UTC" : TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit",
  }).format(new Date(value));
}

/** Money is integer tiyn; shown as `45 000,00 ₸`. */
export function formatTiyn(tiyn: number): string {
  const sign = tiyn < 0 ? "-" : "";
  const abs = Math.abs(tiyn);
  const tenge = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  return `${sign}${tenge},${String(abs % 100).padStart(2, "0")}\u00a0₸`;
}
