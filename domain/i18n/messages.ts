// The messages of both languages, for the server: web pages, e-mails, errors, the worker, the CLIs and the tests
// write in either language. `#i18n-messages` (package.json "imports") is this module everywhere but in the
// browser, which gets ./messages.browser.ts instead and loads only the reader's language (docs/decisions/050).
import * as kk from "./kk/index.ts";
import * as ru from "./ru/index.ts";
import type { Locale } from "./locale.ts";

/** Text where the files have each language's literal text (`as const`). */
type Texts<T> = { [K in keyof T]: T[K] extends string ? string : Texts<T[K]> };

/** One language's messages: a namespace each (`common`, `errors`, …). */
export type Messages = Texts<typeof kk>;

/** Every language, for code that compares or lists them (the translations' own tests). */
export const resources: Record<Locale, Messages> = { kk: { ...kk }, ru: { ...ru } };

/** The languages this build holds from the start: both. */
export const bundled: Partial<Record<Locale, Messages>> = resources;

/** Never needed here (both languages are bundled); the same shape as the browser's loader. */
export async function load(locale: Locale): Promise<Messages> {
  return resources[locale];
}
