// Remix's default browser entry (`remix reveal entry.client`), plus: the reader's language is loaded before
// hydration. A page's scripts carry no translations; each language is a chunk of its own, and the page asks
// only for the one it is written in (<html lang>, set by app/root.tsx), see docs/decisions/050.
import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { isLocale, loadMessages } from "../domain/i18n/index.ts";

function hydrate() {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
}

const lang = document.documentElement.lang;
if (isLocale(lang)) void loadMessages(lang).then(hydrate);
else hydrate();
