import { useT } from "~/lib/i18n.tsx";

/** The "from … to …" pair of date fields of the console's list filters (GET forms: from, to). */
export function DateRange({ fromLabel, from, to }: { fromLabel: string; from?: string; to?: string }) {
  const t = useT();
  return (
    <>
      <label className="ab-date">
        <span>{fromLabel}</span>
        <input type="date" name="from" defaultValue={from} />
      </label>
      <label className="ab-date">
        <span>{t("billingAdmin:common.to")}</span>
        <input type="date" name="to" defaultValue={to} />
      </label>
    </>
  );
}
