// The billing arithmetic, pure: periods, when an invoice is due to be issued, which reminders are due,
// and what an unpaid invoice does to a school's access. Dates are Almaty calendar dates, `YYYY-MM-DD`.
import { z } from "zod";
import { addDays, daysBetween, isoDay } from "../../domain/kz/time.ts";

export type AccessStatus = "trial" | "active" | "past_due" | "restricted" | "suspended";
export type Period = "month" | "year";

export const billingSettingsSchema = z.object({
  /** the next period's invoice is issued this many days before the period starts */
  invoiceDaysBefore: z.coerce.number().int("invalid").min(1, "invalid").max(60, "invalid"),
  /** reminder days relative to the due date (the period's first day) */
  reminderOffsets: z.array(z.coerce.number().int("invalid").min(-30, "invalid").max(60, "invalid")).max(10, "invalid"),
  /** days past due with full access and a banner, before the school is restricted */
  graceDays: z.coerce.number().int("invalid").min(0, "invalid").max(90, "invalid"),
  /** days restricted before the school is suspended (contract 4.2.6) */
  suspendAfterDays: z.coerce.number().int("invalid").min(0, "invalid").max(365, "invalid"),
  /** VAT in basis points (1600 = 16%); null when the operator is not a VAT payer */
  vatRateBp: z.coerce.number().int("invalid").min(0, "invalid").max(5000, "invalid").nullable(),
  /** the payment purpose code printed on invoices */
  knp: z.string().regex(/^\d{3}$/, "invalid"),
  /** where the operator's billing notices go */
  operatorEmail: z.email("email"),
});
export type BillingSettings = z.infer<typeof billingSettingsSchema>;

export const DEFAULT_BILLING: BillingSettings = {
  invoiceDaysBefore: 7,
  reminderOffsets: [-3, 0, 3, 7],
  graceDays: 7,
  suspendAfterDays: 30,
  vatRateBp: null,
  knp: "859",
  operatorEmail: "info@avtomektep.kz",
};

/** How strict a state is; the daily run only ever moves a school up this scale, a payment moves it down. */
export const RANK: Record<AccessStatus, number> = { trial: 0, active: 0, past_due: 1, restricted: 2, suspended: 3 };

// In domain/kz/time.ts, which the browser bundle may import: this module's zod schemas must stay out of it.
export { daysBetween };

function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return isoDay(first);
}

/** The period that follows access paid through `paidThrough`: from the next day, one month or year long. */
export function nextPeriod(paidThrough: string, period: Period): { start: string; end: string } {
  const start = addDays(paidThrough, 1);
  return { start, end: addDays(addMonths(start, period === "month" ? 1 : 12), -1) };
}

/** The next period's invoice is issued `invoiceDaysBefore` days before the period starts. */
export function invoiceIsDue(
  paidThrough: string,
  today: string,
  s: Pick<BillingSettings, "invoiceDaysBefore">,
): boolean {
  return daysBetween(today, addDays(paidThrough, 1)) <= s.invoiceDaysBefore;
}

/** An invoice is due on its period's first day, but never sooner than `invoiceDaysBefore` days after it was issued. */
export function dueDate(periodStart: string, issuedOn: string, s: Pick<BillingSettings, "invoiceDaysBefore">): string {
  const earliest = addDays(issuedOn, s.invoiceDaysBefore);
  return periodStart > earliest ? periodStart : earliest;
}

/** The state an invoice unpaid `daysOverdue` days after its due date puts the school in (null: not overdue yet). */
export function overdueStatus(
  daysOverdue: number,
  s: Pick<BillingSettings, "graceDays" | "suspendAfterDays">,
): AccessStatus | null {
  if (daysOverdue <= 0) return null;
  if (daysOverdue <= s.graceDays) return "past_due";
  if (daysOverdue <= s.graceDays + s.suspendAfterDays) return "restricted";
  return "suspended";
}

/** The steps from `from` up to `to` (past_due → restricted → suspended), each of which e-mails once. */
export function escalation(from: AccessStatus, to: AccessStatus): AccessStatus[] {
  const ladder: AccessStatus[] = ["past_due", "restricted", "suspended"];
  return ladder.filter((s) => RANK[s] > RANK[from] && RANK[s] <= RANK[to]);
}

/**
 * The reminders an open invoice has reached by `today`: every offset whose day has come, in order. Only
 * the latest is e-mailed; earlier ones the run never got to (the worker was down for days) are recorded
 * as passed, so a school never gets three reminders in one morning.
 */
export function remindersReached(
  dueOn: string,
  issuedOn: string,
  today: string,
  offsets: readonly number[],
): { offset: number; email: boolean }[] {
  const reached = [...new Set(offsets)]
    .sort((a, b) => a - b)
    .filter((o) => {
      const day = addDays(dueOn, o);
      return day <= today && day >= issuedOn;
    });
  return reached.map((offset, i) => ({ offset, email: i === reached.length - 1 }));
}

/** A school's state when nothing is overdue: on trial until its first payment, then active. */
export function settledStatus(everPaid: boolean): AccessStatus {
  return everPaid ? "active" : "trial";
}
