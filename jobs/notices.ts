// The notices queue: the fan-outs of offer-change and maintenance notices (added through the outbox by
// the event's own transaction, job id `notice-<id>`), and a daily job at 09:00 Astana time that marks
// offer versions in force and writes the day-before maintenance reminders.
import type { Job, Queue } from "bullmq";
import { operatorDb } from "../server/db/client.ts";
import { logger } from "../server/log.ts";
import { fanOutNotice } from "../server/notices/fanout.ts";
import { markOffersInForce } from "../server/notices/offers.ts";
import { remindDueWindows } from "../server/notices/maintenance.ts";

export const NOTICES_SCHEDULER_ID = "notices-daily";
export const NOTICES_SCHEDULE = { pattern: "0 9 * * *", tz: "Asia/Almaty" } as const;

export async function scheduleNotices(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler(NOTICES_SCHEDULER_ID, { ...NOTICES_SCHEDULE }, { name: "day", data: {} });
}

/** The day's work: offers in force, reminders (their fan-outs go through the outbox like any other). */
export async function noticesDay(now = new Date()) {
  const inForce = await markOffersInForce(operatorDb(), now);
  const reminders = await remindDueWindows(operatorDb(), now);
  logger.info({ inForce, reminders: reminders.length }, "notices day done");
  return { inForce, reminders: reminders.length };
}

export function noticesProcessor(_queue: Queue) {
  return async (job: Job): Promise<unknown> => {
    if (job.name === "fanout") return fanOutNotice((job.data as { noticeId: string }).noticeId);
    if (job.name === "day") return noticesDay();
    throw new Error(`notices: unknown job ${job.name}`);
  };
}
