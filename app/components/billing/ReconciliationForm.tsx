// The reconciliation act's form (ADR 041): a date range sent as a plain GET to the PDF's route, so the browser
// downloads the file; from the first day of the year to today unless changed.
import { useT } from "~/lib/i18n.tsx";

export function ReconciliationForm(props: { action: string; today: string; id: string }) {
  const t = useT();
  return (
    <section className="card recon-card" aria-labelledby={`${props.id}-title`}>
      <h2 className="first" id={`${props.id}-title`}>
        {t("billingAdmin:reconciliation.title")}
      </h2>
      <form method="get" action={props.action} className="toolbar recon-form">
        <label className="ab-date">
          <span>{t("billingAdmin:reconciliation.from")}</span>
          <input type="date" name="from" required defaultValue={`${props.today.slice(0, 4)}-01-01`} />
        </label>
        <label className="ab-date">
          <span>{t("billingAdmin:reconciliation.to")}</span>
          <input type="date" name="to" required defaultValue={props.today} />
        </label>
        <button type="submit" className="secondary">
          {t("billingAdmin:reconciliation.download")}
        </button>
      </form>
    </section>
  );
}
