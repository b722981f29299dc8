// The console's view of the BullMQ queues: counts and failed jobs, a failed job retried, and today's
// billing run started by hand. The queue connections are opened on first use and closed at shutdown.
import type { Queue } from "bullmq";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { openQueues } from "../queues.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { type QueueName, QUEUES } from "../../domain/queues.ts";

type Actor = { id: string };

let queues: Record<QueueName, Queue> | undefined;
const q = () => (queues ??= openQueues());

/** The BullMQ queues: counts, and the failed jobs with their errors. */
export async function queueOverview() {
  return Promise.all(
    QUEUES.map(async (name) => {
      const queue = q()[name];
      const counts = await queue.getJobCounts("waiting", "active", "delayed", "failed", "completed");
      const failed = await queue.getFailed(0, 19);
      return {
        name,
        counts,
        failed: failed.map((j) => ({
          id: j.id ?? "",
          name: j.name,
          failedReason: j.failedReason?.slice(0, 300) ?? "",
          attemptsMade: j.attemptsMade,
          finishedOn: j.finishedOn ?? null,
        })),
      };
    }),
  );
}

/** A failed job run again; anything else (gone, not failed) is "not found". */
export async function retryFailedJob(
  db: Tx,
  actor: Actor,
  meta: RequestMeta,
  input: { queue: QueueName; jobId: string },
) {
  const job = await q()[input.queue].getJob(input.jobId);
  if (!job || !(await job.isFailed())) throw new AppError("NOT_FOUND", "notFound");
  await job.retry("failed");
  await audit(db, meta, {
    action: "billing.job_retried",
    actorUserId: actor.id,
    details: { queue: input.queue, jobId: input.jobId },
  });
  return { ok: true as const };
}

/** Runs today's billing now (the same job the 06:00 scheduler adds; one per day and id). */
export async function runBillingToday(db: Tx, actor: Actor, meta: RequestMeta) {
  const day = almatyDate(new Date());
  await q().billing.add("day", { day }, { jobId: `day-${day}-manual` });
  await audit(db, meta, { action: "billing.run_requested", actorUserId: actor.id, details: { day } });
  return { day };
}

/** For tests and shutdown: close the console's queue connections. */
export async function closeAdminQueues(): Promise<void> {
  if (!queues) return;
  await Promise.all(Object.values(queues).map((x) => x.close()));
  queues = undefined;
}
