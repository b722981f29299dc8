// Plain links in a long list that still navigate in the page, as <Link> does: one click handler for the whole
// list. A <Link> is a dozen hooks and three path resolutions in the server's render; the lessons week's ~200 rows
// spent ~6 % of the page's CPU on them (docs/bench/PROFILE-pages.md). Without JavaScript they are plain links.
import { useNavigate } from "@remix-run/react";
import type { MouseEvent, ReactNode } from "react";

export function ClientLinks({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    // A click the browser should handle itself: another button, a new tab or window, a download, another site.
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.altKey ||
      event.ctrlKey ||
      event.shiftKey
    )
      return;
    const link = (event.target as Element).closest("a");
    if (!link || !event.currentTarget.contains(link)) return;
    if ((link.target && link.target !== "_self") || link.hasAttribute("download")) return;
    if (link.origin !== window.location.origin) return; // tel:, mailto:, other hosts
    event.preventDefault();
    navigate(`${link.pathname}${link.search}${link.hash}`);
  };
  return (
    // A link's keyboard activation (Enter) is a click on the link, which comes here too: nothing else to handle.
    // biome-ignore lint/a11y/useKeyWithClickEvents: the links themselves are focusable and keyboard-activated
    // biome-ignore lint/a11y/noStaticElementInteractions: the handler only takes over clicks on the links inside
    <div onClick={onClick}>{children}</div>
  );
}
