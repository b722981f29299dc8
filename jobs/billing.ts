// The billing queue. At 06:00 Almaty time a job scheduler adds the day's job; it lists the schools with
// something to do and adds one job per batch of schools under an id made of the day and the batch's schools
// (`schools-<day>-<hash>`); the job settles the batch's reminders and ladder steps in one transaction, and an
// invoice or a plan change in the school's own (server/billing/cycle.ts).
// A day planned twice adds the same ids (BullMQ keeps one); a worker killed mid-job leaves its job to be picked
// up again after its lock expires; and whatever a job creates is held to one by a unique key in the database,
// so a school settled again — by a retried batch, or in two batches of two plannings — does only what is missing.
import { createHash } from "node:crypto";
import type { Job, Queue } from "bullmq";
import { almatyDate } from "../domain/kz/time.ts";
import { logger } from "../server/log.ts";
import { operatorDb } from "../server/db/client.ts";
import { billingSettings } from "../server/billing/settings.ts";
import { SETTLE_BATCH, schoolsToSettle, settleBatch, settleSchool } from "../server/billing/cycle.ts";
import { runFacts, type RunFacts } from "../server/billing/ledger.ts";
import { drawUpMonthAct, previousMonth, schoolsToAct } from "../server/billing/acts.ts";
import type { BillingSettings } from "../server/billing/rules.ts";

export const BILLING_SCHEDULER_ID = "billing-daily";
/** Every day at 06:00 in Asia/Almaty, before the schools open. */
export const BILLING_SCHEDULE = { pattern: "0 6 * * *", tz: "Asia/Almaty" } as const;

export async function scheduleBilling(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler(BILLING_SCHEDULER_ID, { ...BILLING_SCHEDULE }, { name: "day", data: {} });
}

export const schoolJobId = (schoolId: string, day: string) => `school-${schoolId}-${day}`;
/**
 * Schools settled by one job: the queue's own work (a Redis round trip or more per job) is shared by them, and so
 * are the database's round trips of the reminders and the ladder (one transaction per batch, cycle.ts).
 */
export const SCHOOLS_PER_JOB = SETTLE_BATCH;
/** A batch's id: the day and its schools, so the same batch planned again is the same job. */
export const schoolsJobId = (day: string, schoolIds: readonly string[]) =>
  `schools-${day}-${createHash("sha256").update(schoolIds.join(",")).digest("hex").slice(0, 24)}`;
/** The act of one school for one month (its first day): one job id per act, whichever day plans it. */
export const actJobId = (schoolId: string, month: string) => `act-${schoolId}-${month}`;

/** Fans the day out: one job per batch of schools that need something. `day` defaults to today in Almaty. */
export async function planBillingDay(queue: Queue, day = almatyDate(new Date())): Promise<number> {
  const ids = (await schoolsToSettle(day, await billingSettings(operatorDb()))).sort();
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += SCHOOLS_PER_JOB) batches.push(ids.slice(i, i + SCHOOLS_PER_JOB));
  for (let i = 0; i < batches.length; i += 200) {
    await queue.addBulk(
      batches.slice(i, i + 200).map((schoolIds) => ({
        name: "schools",
        data: { schoolIds, day },
        opts: { jobId: schoolsJobId(day, schoolIds) },
      })),
    );
  }
  // the acts of the month that ended: planned every day until each is drawn up (a worker down on the 1st
  // catches up the next day); a school whose act exists is not listed again
  const month = previousMonth(day);
  const acts = await schoolsToAct(operatorDb(), month);
  for (let i = 0; i < acts.length; i += 1000) {
    await queue.addBulk(
      acts
        .slice(i, i + 1000)
        .map((id) => ({ name: "act", data: { schoolId: id, month }, opts: { jobId: actJobId(id, month) } })),
    );
  }
  logger.info({ day, schools: ids.length, acts: acts.length }, "billing day planned");
  return ids.length;
}

/** Settings, offer and requisites, read once a minute instead of once per school. */
let shared: { at: number; value: Promise<{ settings: BillingSettings; facts: RunFacts }> } | undefined;
function sharedFacts() {
  if (!shared || Date.now() - shared.at > 60_000) {
    const value = billingSettings(operatorDb()).then(async (settings) => ({
      settings,
      facts: await runFacts(operatorDb(), settings),
    }));
    shared = { at: Date.now(), value };
    value.catch(() => (shared = undefined));
  }
  return shared.value;
}

/**
 * A batch of schools: what they need of the reminders and the ladder in one transaction, an invoice or a plan change
 * in a school's own (settleBatch, server/billing/cycle.ts). One school that fails does not stop the others; the
 * job then fails with their count, and its retry settles again only what is still missing.
 */
async function settleJobBatch(schoolIds: string[], day: string) {
  const results = await settleBatch(schoolIds, day, await sharedFacts());
  let failed = 0;
  let invoiced = 0;
  for (const [id, r] of results) {
    if ("error" in r) {
      logger.warn({ err: r.error, schoolId: id, day }, "billing: a school of the batch failed");
      failed++;
    } else invoiced += Number(r.invoiced);
  }
  if (failed > 0) throw new Error(`billing: ${failed} of ${schoolIds.length} schools failed`);
  return { schools: schoolIds.length, invoiced };
}

export function billingProcessor(queue: Queue) {
  return async (job: Job) => {
    if (job.name === "day") return planBillingDay(queue, (job.data as { day?: string }).day);
    if (job.name === "schools") {
      const { schoolIds, day } = job.data as { schoolIds: string[]; day: string };
      return settleJobBatch(schoolIds, day);
    }
    if (job.name === "school") {
      const { schoolId, day } = job.data as { schoolId: string; day: string };
      return settleSchool(schoolId, day, await sharedFacts());
    }
    if (job.name === "act") {
      const { schoolId, month } = job.data as { schoolId: string; month: string };
      return drawUpMonthAct(schoolId, month);
    }
    throw new Error(`billing: unknown job ${job.name}`);
  };
}
