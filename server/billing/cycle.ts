// The daily billing run (jobs/billing.ts schedules it at 06:00 Almaty time): for every school that needs
// something today, in its own transaction under the school's lock — issue the next period's invoice,
// send the reminders that have come due, and move an unpaid school up the access ladder. Each of these
// writes a row a unique key allows once, so running a day twice, or again after a crash half-way, does
// exactly the work that is still missing.
import { randomUUID } from "node:crypto";
import { operatorDb, type Tx } from "../db/client.ts";
import type { SchoolStatus } from "../db/generated/prisma/enums.ts";
import { addDays, dbDay } from "../../domain/kz/time.ts";
import { logger } from "../log.ts";
import { billingSettings } from "./settings.ts";
import {
  escalate,
  escalationPlan,
  issueNextInvoice,
  loadSchoolBilling,
  loadSchoolsBilling,
  overdueFrom,
  runFacts,
  type RunFacts,
  type SchoolBilling,
} from "./ledger.ts";
import { applyPendingChange } from "./plan-change.ts";
import { invoiceIsDue, RANK, remindersReached, type AccessStatus, type BillingSettings } from "./rules.ts";
import { invoiceReceived, invoicesReceived, leftToPay } from "./credit.ts";
import { directorMails, operatorMail, type MailRow } from "./notices.ts";
import type { MailTemplate } from "../mail/templates.ts";

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
  for (const due of dueReminders(school, today, s)) {
    await tx.billingReminder.createMany({ data: due.rows, skipDuplicates: true });
    if (!due.mail) continue;
    const { inv } = due;
    const left = leftToPay(
      { status: "open", amountTiyn: inv.amountTiyn, creditTiyn: inv.creditTiyn },
      inv.hasPayments ? await invoiceReceived(tx, inv.id) : 0,
    );
    await school.notice(due.mail.idBase, due.mail.template, { ...due.mail.params, amount: left });
    sent++;
  }
  return sent;
}

/**
 * The reminders of the school's open invoices that have come due and are not yet recorded: their rows, and the
 * e-mail about the latest one (none when only days that send no e-mail were missed). The sum to pay in the e-mail
 * is what is left of the invoice (credit taken off, payments received), as the billing page says — the caller
 * adds it as `amount`, reading the payments only for an invoice that has some.
 */
export function dueReminders(school: SchoolBilling, today: string, s: BillingSettings) {
  return school.open.flatMap((inv) => {
    const done = new Set(inv.reminders);
    const missing = remindersReached(inv.dueOn, inv.issuedOn, today, s.reminderOffsets).filter(
      (r) => !done.has(r.offset),
    );
    if (missing.length === 0) return [];
    const rows = missing.map((r) => ({
      invoiceId: inv.id,
      offsetDays: r.offset,
      schoolId: school.schoolId,
      emailed: r.email,
    }));
    const latest = missing.find((r) => r.email);
    const mail = latest && {
      idBase: `reminder-${inv.id}-${latest.offset < 0 ? `m${-latest.offset}` : `p${latest.offset}`}`,
      template: reminderTemplate(latest.offset),
      params: { number: inv.number, due: inv.dueOn, days: Math.abs(latest.offset) },
    };
    return [{ inv, rows, mail }];
  });
}

function reminderTemplate(offset: number): MailTemplate {
  if (offset < 0) return "billingReminderBefore";
  return offset === 0 ? "billingReminderToday" : "billingReminderAfter";
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

/** Schools settled together in one transaction (settleSchools): the jobs' batch and the in-process day's. */
export const SETTLE_BATCH = 25;

/**
 * Today's billing for a batch of schools in ONE transaction — the reminders and the access ladder, which is all an
 * ordinary day (or an escalation day) asks of most schools: the batch is read in one query under its schools' locks,
 * and its reminders, ladder steps, state changes and e-mails are written with one statement each, so the round trips
 * are the batch's, not each school's. All or nothing, like a school's own transaction: a school is never half
 * settled, and the outbox commits with the changes. The unique keys and the steps read under the lock keep a run
 * again to what is still missing, as in settleSchool.
 *
 * A school with an invoice to issue or a plan change to apply is left to settleSchool (`single`): those take a
 * document number and the tariff, one school at a time. Throws when the batch fails as a whole (nothing of it is
 * written): the caller settles its schools one by one then, so one broken school holds back no other.
 */
export async function settleSchools(
  schoolIds: readonly string[],
  today: string,
  shared: { settings: BillingSettings; facts: RunFacts },
): Promise<{ settled: Map<string, SettleResult>; single: string[] }> {
  const s = shared.settings;
  return operatorDb().$transaction(
    async (tx) => {
      const schools = await loadSchoolsBilling(tx, schoolIds);
      const settled = new Map<string, SettleResult>(schoolIds.map((id) => [id, NOTHING]));
      const single: string[] = [];
      const work: { school: SchoolBilling; due: ReturnType<typeof dueReminders> }[] = [];
      for (const school of schools) {
        if (school.status === "deactivated" || !school.paidThrough) continue;
        if (
          (school.pending && school.pending.effectiveOn <= today) ||
          (!school.nextIssued && invoiceIsDue(school.paidThrough, today, s))
        ) {
          settled.delete(school.schoolId);
          single.push(school.schoolId);
        } else work.push({ school, due: dueReminders(school, today, s) });
      }
      // what is left to pay, for the reminders e-mailed about an invoice that has payments on it (one read)
      const received = await invoicesReceived(
        tx,
        work.flatMap((w) => w.due.filter((d) => d.mail && d.inv.hasPayments).map((d) => d.inv.id)),
      );
      const reminders: ReminderRow[] = [];
      const steps: StepRow[] = [];
      const moved = new Map<AccessStatus, string[]>();
      const mails: MailRow[] = [];
      for (const { school, due } of work) {
        const id = school.schoolId;
        let sent = 0;
        for (const { inv, rows, mail } of due) {
          reminders.push(...rows);
          if (!mail) continue;
          const left = leftToPay(
            { status: "open", amountTiyn: inv.amountTiyn, creditTiyn: inv.creditTiyn },
            received.get(inv.id) ?? 0,
          );
          mails.push(
            ...directorMails(school.facts, school.directors, mail.idBase, mail.template, {
              ...mail.params,
              amount: left,
            }),
          );
          sent++;
        }
        let status: SchoolStatus = school.status;
        const target = overdueFrom(school.open, today, s);
        const ladder = target && school.open.find((i) => i.id === target.invoice.id)?.ladder;
        const plan =
          target &&
          RANK[target.status] > RANK[status as AccessStatus] &&
          escalationPlan(status, target, ladder ?? [], id);
        if (target && plan) {
          for (const step of plan.steps)
            steps.push({
              id: randomUUID(),
              schoolId: id,
              fromStatus: step.from,
              toStatus: step.to,
              invoiceId: target.invoice.id,
            });
          moved.set(plan.status, [...(moved.get(plan.status) ?? []), id]);
          const { director, operator } = plan.notices;
          mails.push(
            ...directorMails(school.facts, school.directors, director.jobId, director.template, director.params),
            operatorMail(operator.jobId, operator.template, operator.params, school.facts, s),
          );
          status = plan.status;
        }
        settled.set(id, { invoiced: false, reminders: sent, status });
      }
      await writeBatch(tx, reminders, steps, moved, mails);
      return { settled, single };
    },
    { timeout: 30_000 },
  );
}
const NOTHING: SettleResult = { invoiced: false, reminders: 0, status: null };

type ReminderRow = ReturnType<typeof dueReminders>[number]["rows"][number];
type StepRow = { id: string; schoolId: string; fromStatus: SchoolStatus; toStatus: AccessStatus; invoiceId: string };

/**
 * A batch's writes, one statement per table, each row as the per-school path writes it (unnest over column
 * arrays: raw SQL, because the ORM's cost of a many-row insert grows with its rows, and the run is bound by it).
 * The reminders and the e-mails skip what exists (their unique keys), as settleSchool's do; the ladder's steps
 * were read under the schools' locks, so none is there already.
 */
async function writeBatch(
  tx: Tx,
  reminders: ReminderRow[],
  steps: StepRow[],
  moved: Map<AccessStatus, string[]>,
  mails: MailRow[],
) {
  if (reminders.length > 0)
    await tx.$executeRaw`
      INSERT INTO billing_reminder (invoice_id, offset_days, school_id, emailed)
      SELECT * FROM unnest(${reminders.map((r) => r.invoiceId)}::uuid[], ${reminders.map((r) => r.offsetDays)}::int[],
        ${reminders.map((r) => r.schoolId)}::uuid[], ${reminders.map((r) => r.emailed)}::boolean[])
      ON CONFLICT DO NOTHING`;
  if (steps.length > 0)
    await tx.$executeRaw`
      INSERT INTO access_transition (id, school_id, from_status, to_status, cause, invoice_id)
      SELECT id, school_id, from_status::school_status, to_status::school_status, 'overdue', invoice_id
      FROM unnest(${steps.map((t) => t.id)}::uuid[], ${steps.map((t) => t.schoolId)}::uuid[],
        ${steps.map((t) => t.fromStatus)}::text[], ${steps.map((t) => t.toStatus)}::text[],
        ${steps.map((t) => t.invoiceId)}::uuid[]) AS v(id, school_id, from_status, to_status, invoice_id)`;
  if (moved.size > 0) {
    const ids = [...moved].flatMap(([, of]) => of);
    const statuses = [...moved].flatMap(([status, of]) => of.map(() => status));
    await tx.$executeRaw`
      UPDATE school s SET status = v.status::school_status, updated_at = now()
      FROM unnest(${ids}::uuid[], ${statuses}::text[]) AS v(id, status) WHERE s.id = v.id`;
  }
  if (mails.length > 0)
    await tx.$executeRaw`
      INSERT INTO outbox_event (queue, job_name, job_id, payload)
      SELECT queue, job_name, job_id, payload::jsonb
      FROM unnest(${mails.map((m) => m.queue)}::text[], ${mails.map((m) => m.jobName)}::text[],
        ${mails.map((m) => m.jobId)}::text[], ${mails.map((m) => JSON.stringify(m.payload))}::text[])
        AS v(queue, job_name, job_id, payload)
      ON CONFLICT (job_id) DO NOTHING`;
}

/**
 * A batch of schools: together where they can be (settleSchools), one by one where they must be — or all one by
 * one when the batch fails as a whole. Each school's result, or the error that stopped it.
 */
export async function settleBatch(
  schoolIds: readonly string[],
  today: string,
  shared: { settings: BillingSettings; facts: RunFacts },
): Promise<Map<string, SettleResult | { error: unknown }>> {
  let together: { settled: Map<string, SettleResult>; single: readonly string[] };
  try {
    together = await settleSchools(schoolIds, today, shared);
  } catch (err) {
    logger.warn({ err, schools: schoolIds.length, today }, "billing: the batch failed; its schools one by one");
    together = { settled: new Map(), single: schoolIds };
  }
  const results = new Map<string, SettleResult | { error: unknown }>(together.settled);
  for (const id of together.single) {
    try {
      results.set(id, await settleSchool(id, today, shared));
    } catch (error) {
      results.set(id, { error });
    }
  }
  return results;
}

/** The whole day, in-process, a few batches at a time (the bench and the tests use it directly). */
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
      const batch = ids.slice(next, (next += SETTLE_BATCH));
      for (const [id, r] of await settleBatch(batch, today, { settings: s, facts })) {
        if ("error" in r) throw r.error;
        totals.invoiced += Number(r.invoiced);
        totals.reminders += r.reminders;
        opts.onSettled?.(id);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
  logger.info({ today, ...totals }, "billing day settled");
  return totals;
}
