// The privacy queue. At 03:30 Almaty time a job scheduler adds the day's job: ready archives past their 7 days
// lose their bytes, directors get the reminder a week before their withdrawal takes effect, withdrawals whose
// day has come are carried out (server/privacy/anonymise.ts), and Kaspi's request log lines past their 400 days
// are deleted (server/billing/rails/request-log.ts). Every step is held to once by the database
// (a status, a timestamp, an outbox job id), so a day run twice changes nothing more.
import type { Job, Queue } from "bullmq";
import { runPrivacyDay } from "../server/privacy/anonymise.ts";

export const PRIVACY_SCHEDULER_ID = "privacy-daily";
export const PRIVACY_SCHEDULE = { pattern: "30 3 * * *", tz: "Asia/Almaty" } as const;

export async function schedulePrivacy(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler(PRIVACY_SCHEDULER_ID, { ...PRIVACY_SCHEDULE }, { name: "day", data: {} });
}

export async function processPrivacy(job: Job): Promise<unknown> {
  if (job.name === "day") return runPrivacyDay();
  throw new Error(`privacy: unknown job ${job.name}`);
}
