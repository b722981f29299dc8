// Translations for every screen, e-mail and error, in Kazakh and Russian. Shared by the server
// (errors, e-mails) and the browser. One file per area and language; keys mirror each other
// (domain/i18n/i18n.test.ts fails when a key is missing in one language).
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
    // A page asks for the same labels hundreds of times (a week's lessons, a register's rows): a key without
    // options always gives the same text, so it is looked up once.
    const lookup = inst.t.bind(inst) as unknown as (...args: unknown[]) => string;
    const plain = new Map<string, string>();
    const translate = (...args: unknown[]) => {
      const key = args[0];
      if (args.length !== 1 || typeof key !== "string") return lookup(...args);
      let text = plain.get(key);
      if (text === undefined) plain.set(key, (text = lookup(key)));
      return text;
    };
    t = Object.assign(translate, { locale }) as unknown as TFunction;
    instances.set(locale, t);
  }
  return t;
}

/** The language a {@link translator} writes in. */
export function localeOf(t: TFunction): Locale {
  return (t as unknown as { locale?: Locale }).locale ?? "ru";
}

/** Asia/Almaty wall-clock formatting for every date and time shown to a person. */
export const TIME_ZONE = "Asia/Almaty";

// Built from parts, not from a locale's pattern: Node's and the browsers' ICU data disagree on kk-KZ
// (25.11.2026 vs 2026-11-25), which would break hydration. DD.MM.YYYY is what both kk and ru use.
function parts(value: Date | string, timeZone: string, withTime: boolean): string {
  const p = Object.fromEntries(
    formatter(timeZone, withTime)
      .formatToParts(new Date(value))
      .map((x) => [x.type, x.value]),
  );
  const date = `${p.day}.${p.month}.${p.year}`;
  return withTime ? `${date}, ${p.hour}:${p.minute}` : date;
}

// A formatter is costly to build (the billing run formats tens of thousands of dates): one per zone and shape.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      ...(withTime ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

export function formatDateTime(value: Date | string, _locale?: Locale): string {
  return parts(value, TIME_ZONE, true);
}

export function formatDate(value: Date | string, _locale?: Locale): string {
  // Calendar dates (birth dates) are stored as dates, not instants: their own day, never shifted by a time zone.
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value.split("-").reverse().join(".");
  return parts(value, TIME_ZONE, false);
}

/** Money is integer tiyn; shown as `45 000,00 ₸`. */
export function formatTiyn(tiyn: number): string {
  const sign = tiyn < 0 ? "-" : "";
  const abs = Math.abs(tiyn);
  const tenge = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  return `${sign}${tenge},${String(abs % 100).padStart(2, "0")}\u00a0₸`;
}

const collators = new Map<Locale, Intl.Collator>();
/** Compares names in the reader's alphabetical order (Kazakh: А Ә Б … Ұ Ү … Ы І; Russian), as ICU does in the database. */
export function compareNames(locale: Locale): (a: string, b: string) => number {
  let c = collators.get(locale);
  if (!c) collators.set(locale, (c = new Intl.Collator(locale === "kk" ? "kk-KZ" : "ru-RU")));
  return c.compare;
}
