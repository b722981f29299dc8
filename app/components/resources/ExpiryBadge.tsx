import { useFormat, useT } from "~/lib/i18n.tsx";

export type Expiry = "ok" | "soon" | "expired" | null;

/** A validity date with a badge when it expires within 30 days or has expired (computed on the server, Almaty date). */
export function ExpiryDate({ date, state }: { date: string | null; state: Expiry }) {
  const t = useT();
  const fmt = useFormat();
  if (!date) return <span className="muted">{t("resources:vehicles.notSet")}</span>;
  return (
    <span className="expiry">
      <span className="nowrap">{fmt.date(date)}</span>
      {state === "soon" || state === "expired" ? (
        <span className={`badge exp-${state}`}>{t(`resources:expiry.${state}`)}</span>
      ) : null}
    </span>
  );
}
