import { useT } from "~/lib/i18n.tsx";

/** An invoice's status badge in the console (overdue shown over the status). */
export function InvoiceBadge({ status, overdue }: { status: string; overdue: boolean }) {
  const t = useT();
  const s = overdue ? "overdue" : status;
  return <span className={`badge inv-${s}`}>{t(`billingAdmin:invoices.status.${s}`)}</span>;
}

/** The console's table cell that downloads an invoice's PDF. */
export function InvoicePdfCell({ id }: { id: string }) {
  const t = useT();
  return (
    <td>
      <a href={`/admin/invoices/${id}.pdf`} download>
        {t("billingAdmin:invoices.pdf")}
      </a>
    </td>
  );
}
