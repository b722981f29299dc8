import { useT } from "~/lib/i18n.tsx";

/** An invoice's status badge in the console (overdue shown over the status). */
export function InvoiceBadge({ status, overdue }: { status: string; overdue: boolean }) {
  const t = useT();
  const s = overdue ? "overdue" : status;
  return <span className={`badge inv-${s}`}>{t(`billingAdmin:invoices.status.${s}`)}</span>;
}
