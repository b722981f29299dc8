import { Link } from "@remix-run/react";
import { useT } from "~/lib/i18n.tsx";

/** A list URL with its filters kept: empty values are dropped, `extra` overrides (e.g. `{ page: "2" }`). */
export function listLink(base: string, filters: Record<string, string>, extra: Record<string, string>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `${base}?${s}` : base;
}

/** The console's numbered pager (page is 0-based; nothing when there is one page). */
export function Pager({
  page,
  pages,
  link,
}: {
  page: number;
  pages: number;
  link: (extra: Record<string, string>) => string;
}) {
  const t = useT();
  if (pages <= 1) return null;
  return (
    <nav className="pager">
      {page > 0 ? (
        <Link to={link({ page: page > 1 ? String(page - 1) : "" })} rel="prev">
          {t("billingAdmin:common.prev")}
        </Link>
      ) : (
        <span />
      )}
      <span className="muted">{t("billingAdmin:common.page", { page: page + 1, pages })}</span>
      {page + 1 < pages ? (
        <Link to={link({ page: String(page + 1) })} rel="next">
          {t("billingAdmin:common.next")}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** A cursor pager: a link back to the first page when on a later one, and one to the next page when there is one. */
export function CursorPager({
  firstTo,
  firstLabel,
  nextTo,
  nextLabel,
}: {
  firstTo: string | null;
  firstLabel: string;
  nextTo: string | null;
  nextLabel: string;
}) {
  return (
    <nav className="pager">
      {firstTo ? <Link to={firstTo}>{firstLabel}</Link> : <span />}
      {nextTo ? (
        <Link to={nextTo} rel="next">
          {nextLabel}
        </Link>
      ) : null}
    </nav>
  );
}
