// (scaffold) The notices queue: offer-change and maintenance fan-outs; filled in by its issue-6 work.
import type { Job, Queue } from "bullmq";

export async function scheduleNotices(_queue: Queue): Promise<void> {}

export function noticesProcessor(_queue: Queue) {
  return async (job: Job): Promise<unknown> => {
    throw new Error(`notices: unknown job ${job.name}`);
  };
}
