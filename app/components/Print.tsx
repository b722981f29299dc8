import { useEffect } from "react";
import { Link, useLocation, useSearchParams } from "@remix-run/react";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";

/**
 * "Print": opens this page as its print view (`?print=1`, every row rather than one page) — the browser's print
 * dialog then opens by itself; without JavaScript the print view is still there to print from the menu.
 */
export function PrintLink() {
  const t = useT();
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  params.delete("cursor");
  params.set("print", "1");
  return (
    <Link to={`${pathname}?${params}`} className="button secondary no-print" reloadDocument>
      {t("common:print")}
    </Link>
  );
}

/** In a print view (`?print=1`): the school, what the sheet is and when it was printed; the print dialog opens. */
export function PrintTitle({ title }: { title: string }) {
  const fmt = useFormat();
  const t = useT();
  const { school } = useWorkspace();
  const print = useSearchParams()[0].get("print") === "1";
  useEffect(() => {
    if (print) window.print();
  }, [print]);
  // only on the print sheet: on screen the page's own heading says it, once
  if (!print) return null;
  return (
    // the printing moment is the browser's: the server's render of it is replaced, not warned about
    <p className="print-only small" suppressHydrationWarning>
      {school.name} · {title} · {t("common:printedAt", { at: fmt.dateTime(new Date()) })}
    </p>
  );
}
