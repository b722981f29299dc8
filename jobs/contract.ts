// The contract queue. At 07:00 Almaty time a job scheduler adds the day's job (id `claims-<day>`), which
// checks every open claim's deadlines (server/contract/claims.ts): warnings to the operator 2 working days
// before and on each deadline, acceptance by silence after the answer deadline. Each effect is held to one by
// a conditional UPDATE in the database and a deterministic outbox job id, so a day run twice changes nothing.
import type { Job, Queue } from "bullmq";
import { almatyDate } from "../domain/kz/time.ts";
import { operatorDb } from "../server/db/client.ts";
import { loadCalendar } from "../server/contract/calendar.ts";
import { runClaimDeadlines } from "../server/contract/claims.ts";

export const CONTRACT_SCHEDULER_ID = "contract-daily";
export const CONTRACT_SCHEDULE = { pattern: "0 7 * * *", tz: "Asia/Almaty" } as const;

export async function scheduleContract(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler(CONTRACT_SCHEDULER_ID, { ...CONTRACT_SCHEDULE }, { name: "day", data: {} });
}

export async function processContract(job: Job): Promise<unknown> {
  if (job.name === "day" || job.name === "claims") {
    // The operator may have saved a year since the worker started.
    await loadCalendar(operatorDb());
    return runClaimDeadlines((job.data as { day?: string }).day ?? almatyDate(new Date()));
  }
  throw new Error(`contract: unknown job ${job.name}`);
}
