// The workspace's menu. On a phone it is one row that scrolls sideways (app.css): there, the current section is
// brought into the row's middle on each page, so that the menu shows where one is (a walk at 390 px found the
// debts page's entry, the 12th of 22, off-screen).
import { useLocation } from "@remix-run/react";
import { type ReactNode, useEffect, useRef } from "react";

export function SideNav({ label, children }: { label: string; children: ReactNode }) {
  const nav = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new page is the trigger, read through the DOM
  useEffect(() => {
    const row = nav.current;
    const current = row?.querySelector<HTMLElement>('[aria-current="page"]');
    if (!row || !current || row.scrollWidth <= row.clientWidth) return;
    const offset = current.getBoundingClientRect().left - row.getBoundingClientRect().left;
    row.scrollLeft += offset - (row.clientWidth - current.offsetWidth) / 2;
  }, [pathname]);
  return (
    <nav ref={nav} className="sidenav" aria-label={label}>
      {children}
    </nav>
  );
}
