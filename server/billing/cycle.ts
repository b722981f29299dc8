// The daily billing run (jobs/billing.ts schedules it at 06:00 Almaty time): for every school that needs
// something today, in its own transaction under the school's lock — issue the next period's invoice,
// send the reminders that have come due, and move an unpaid school up the access ladder. Each of these
// writes a row a unique key allows once, so running a day twice, or again after a crash half-way, does
// exactly the work that is still missing.
import { operatorDb, type Tx } from "../db/client.ts";
import { addDays, dbDay } from "../../domain/kz/time.ts";
import { logger } from "../log.ts";
import { billingSettings } from "./settings.ts";
import {
  escalate,
  issueNextInvoice,
  loadSchoolBilling,
  runFacts,
  type RunFacts,
  type SchoolBilling,
} from "./ledger.ts";
import { applyPendingChange } from "./plan-change.ts";
import { invoiceIsDue, remindersReached, type BillingSettings } from "./rules.ts";
import { invoiceReceived, leftToPay } from "./credit.ts";

export type SettleResult = { invoiced: boolean; reminders: number; status: string | null };

/** Today's billing for one school. */
export async function settleSchool(
  schoolId: string,
  today: string,
  shared?: { settings: BillingSettings; facts: RunFacts },
): Promise<SettleResult> {
  return operatorDb().$transaction(
    async (tx) => {
      const s = shared?.settings ?? (await billingSettings(tx));
      const school = await loadSchoolBilling(tx, schoolId);
      if (!school || school.status === "deactivated" || !school.paidThrough)
        return { invoiced: false, reminders: 0, status: null };
      if (school.pending && school.pending.effectiveOn <= today) {
        await applyPendingChange(tx, school.schoolId, school.pending);
        school.planId = school.pending.toPlanId;
        school.pending = null;
      }
      const reminders = await sendReminders(tx, school, today, s);
      const status = await escalate(tx, schoolId, school.status, today, s, school);
      const invoiced =
        !school.nextIssued && invoiceIsDue(school.paidThrough, today, s)
          ? (await issueNextInvoice(tx, schoolId, today, s, shared?.facts, school)).created
          : false;
      return { invoiced, reminders, status };
    },
    { timeout: 30_000 },
  );
}

async function sendReminders(tx: Tx, school: SchoolBilling, today: string, s: BillingSettings): Promise<number> {
  let sent = 0;
  for (const inv of school.open) {
    const done = new Set(inv.reminders);
    const missing = remindersReached(inv.dueOn, inv.issuedOn, today, s.reminderOffsets).filter(
      (r) => !done.has(r.offset),
    );
    if (missing.length === 0) continue;
    await tx.billingReminder.createMany({
      data: missing.map((r) => ({
        invoiceId: inv.id,
        offsetDays: r.offset,
        schoolId: school.schoolId,
        emailed: r.email,
      })),
      skipDuplicates: true,
    });
    const latest = missing.find((r) => r.email);
    if (!latest) continue;
    const template =
      latest.offset < 0
        ? "billingReminderBefore"
        : latest.offset === 0
          ? "billingReminderToday"
          : "billingReminderAfter";
    // The sum to pay is what is left of the invoice (credit taken off, payments received), as the billing page says.
    const left = leftToPay(
      { status: "open", amountTiyn: inv.amountTiyn, creditTiyn: inv.creditTiyn },
      inv.hasPayments ? await invoiceReceived(tx, inv.id) : 0,
    );
    await school.notice(
      `reminder-${inv.id}-${latest.offset < 0 ? `m${-latest.offset}` : `p${latest.offset}`}`,
      template,
      {
        number: inv.number,
        amount: left,
        due: inv.dueOn,
        days: Math.abs(latest.offset),
      },
    );
    sent++;
  }
  return sent;
}

/**
 * The schools with something to do today: an invoice to issue, or an open invoice whose first reminder
 * day has come (reminders and the ladder both hang off open invoices). One indexed query, so a day with
 * nothing to do over 10,000 schools costs one round trip.
 */
export async function schoolsToSettle(today: string, s: BillingSettings): Promise<string[]> {
  const firstReminder = Math.min(0, ...s.reminderOffsets);
  const rows = await operatorDb().$queryRaw<{ id: string }[]>`
    SELECT sub.school_id AS id FROM subscription sub JOIN school s ON s.id = sub.school_id
    WHERE s.status <> 'deactivated' AND sub.paid_through < ${dbDay(addDays(today, s.invoiceDaysBefore))}::date
      AND NOT EXISTS (SELECT 1 FROM invoice i WHERE i.school_id = sub.school_id AND i.period_start = sub.paid_through + 1 AND i.status <> 'void' AND i.plan_change_id IS NULL)
    UNION
    SELECT school_id FROM plan_change WHERE applied_at IS NULL AND cancelled_at IS NULL AND effective_on <= ${dbDay(today)}::date
    UNION
    SELECT DISTINCT school_id FROM invoice WHERE status = 'open' AND due_on + ${firstReminder}::int <= ${dbDay(today)}::date`;
  return rows.map((r) => r.id);
}

/** The whole day, in-process, with a few transactions at a time (the bench and the tests use it directly). */
export async function runBillingDay(
  today: string,
  opts: { concurrency?: number; onSettled?: (schoolId: string) => void } = {},
) {
  const s = await billingSettings(operatorDb());
  const facts = await runFacts(operatorDb(), s);
  const ids = await schoolsToSettle(today, s);
  const totals = { schools: ids.length, invoiced: 0, reminders: 0 };
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const r = await settleSchool(id, today, { settings: s, facts });
      totals.invoiced += Number(r.invoiced);
      totals.reminders += r.reminders;
      opts.onSettled?.(id);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
  logger.info({ today, ...totals }, "billing day settled");
  return totals;
}
