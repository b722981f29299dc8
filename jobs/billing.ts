// The billing queue. At 06:00 Almaty time a job scheduler adds the day's job; it lists the schools with
// something to do and adds one job per school under a deterministic id (`school-<id>-<day>`), which
// settles that school in one transaction (server/billing/cycle.ts). A day run twice adds the same ids
// (BullMQ keeps one); a worker killed mid-job leaves its job to be picked up again after its lock
// expires; and whatever a job creates is held to one by a unique key in the database.
import type { Job, Queue } from "bullmq";
import { almatyDate } from "../domain/kz/time.ts";
import { logger } from "../server/log.ts";
import { operatorDb } from "../server/db/client.ts";
import { billingSettings } from "../server/billing/settings.ts";
import { schoolsToSettle, settleSchool } from "../server/billing/cycle.ts";
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
/** The act of one school for one month (its first day): one job id per act, whichever day plans it. */
export const actJobId = (schoolId: string, month: string) => `act-${schoolId}-${month}`;

/** Fans the day out: one job per school that needs something. `day` defaults to today in Almaty. */
export async function planBillingDay(queue: Queue, day = almatyDate(new Date())): Promise<number> {
  const ids = await schoolsToSettle(day, await billingSettings(operatorDb()));
  for (let i = 0; i < ids.length; i += 1000) {
    await queue.addBulk(
      ids
        .slice(i, i + 1000)
        .map((id) => ({ name: "school", data: { schoolId: id, day }, opts: { jobId: schoolJobId(id, day) } })),
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

export function billingProcessor(queue: Queue) {
  return async (job: Job) => {
    if (job.name === "day") return planBillingDay(queue, (job.data as { day?: string }).day);
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
