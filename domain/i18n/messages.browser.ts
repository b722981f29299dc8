// The browser's `#i18n-messages` (package.json "imports", condition "browser"): no language in the page's
// scripts; each language is a chunk of its own, loaded when a page first needs it — the reader's language
// before hydration (app/entry.client.tsx), the other one only when the reader switches (docs/decisions/050).
import type { Locale } from "./locale.ts";
import type { Messages } from "./messages.ts";

export const bundled: Partial<Record<Locale, Messages>> = {};

export function load(locale: Locale): Promise<Messages> {
  // Two literal imports: esbuild makes a chunk of each (and Remix's esbuild 0.17 has no glob imports).
  const chunk = locale === "kk" ? import("./kk/index.ts") : import("./ru/index.ts");
  return chunk.then(
    (m) => ({ ...m }),
    () => {
      // The chunk is gone (a release replaced the build) or the network failed: as Remix does for a route
      // module it cannot load, reload the document, which the server renders whole in the reader's language.
      window.location.reload();
      return new Promise<Messages>(() => {});
    },
  );
}
