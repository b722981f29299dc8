// (scaffold) The contract queue: daily deadline checks (claims); filled in by its issue-6 work.
import type { Job, Queue } from "bullmq";

export async function scheduleContract(_queue: Queue): Promise<void> {}

export async function processContract(job: Job): Promise<unknown> {
  throw new Error(`contract: unknown job ${job.name}`);
}
