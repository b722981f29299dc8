// The outbox relay: moves committed outbox rows into BullMQ. A row is marked dispatched only after
// BullMQ accepted the job under the row's deterministic id, in the same transaction that locked it:
// Redis down means rows wait (nothing lost); a crash after add and before commit means the same id
// is added again, which BullMQ ignores while the job exists and the job's own unique key
// ignores after that (nothing duplicated).
import pg from "pg";
import type { Queue } from "bullmq";
import { operatorDb } from "../server/db/client.ts";
import { config } from "../server/config.ts";
import { logger } from "../server/log.ts";
import type { QueueName } from "./queues.ts";

const BATCH = 500;
const ADD_TIMEOUT_MS = 5_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("redis did not answer")), ms);
    p.then((v) => (clearTimeout(timer), resolve(v)), (e) => (clearTimeout(timer), reject(e)));
  });
}

/** Dispatches one batch; returns how many rows it moved. */
export async function relayOnce(queues: Partial<Record<QueueName, Queue>>): Promise<number> {
  return operatorDb().$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<{ id: bigint; queue: string; job_name: string; job_id: string; payload: unknown }[]>`
        SELECT id, queue, job_name, job_id, payload FROM outbox_event
        WHERE dispatched_at IS NULL ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) return 0;
      // One addBulk per queue (one round trip), not one add per row: a notice's 100,000 e-mails pass
      // through here. Like add, it ignores a job id that is already in the queue.
      const byQueue = new Map<Queue, typeof rows>();
      for (const row of rows) {
        const queue = queues[row.queue as QueueName];
        if (!queue) throw new Error(`outbox row ${row.id} names unknown queue ${row.queue}`);
        byQueue.set(queue, [...(byQueue.get(queue) ?? []), row]);
      }
      for (const [queue, list] of byQueue) {
        await withTimeout(queue.addBulk(list.map((row) => ({ name: row.job_name, data: row.payload, opts: { jobId: row.job_id } }))), ADD_TIMEOUT_MS);
      }
      await tx.$executeRaw`UPDATE outbox_event SET dispatched_at = now() WHERE id = ANY(${rows.map((r) => r.id)}::bigint[])`;
      return rows.length;
    },
    { timeout: 60_000 },
  );
}

/**
 * Jobs Redis lost after the relay had moved them (a restart without persistence, a flushed instance):
 * dispatched rows of the last day with no delivery recorded and no job in Redis are queued again under
 * their own id. Every job is idempotent, so one queued twice by a race here still acts once.
 */
export async function redispatchLost(
  queues: Partial<Record<QueueName, Queue>>,
  opts: { minAgeMs?: number; maxAgeMs?: number } = {},
): Promise<number> {
  const minAge = opts.minAgeMs ?? 5 * 60_000;
  const maxAge = opts.maxAgeMs ?? 24 * 3600_000;
  const rows = await operatorDb().$queryRaw<{ queue: string; job_name: string; job_id: string; payload: unknown }[]>`
    SELECT o.queue, o.job_name, o.job_id, o.payload FROM outbox_event o
    WHERE o.dispatched_at IS NOT NULL
      AND o.dispatched_at <= now() - make_interval(secs => ${minAge / 1000})
      AND o.dispatched_at > now() - make_interval(secs => ${maxAge / 1000})
      AND NOT EXISTS (SELECT 1 FROM email_delivery d WHERE d.job_id = o.job_id)
      AND NOT EXISTS (SELECT 1 FROM sms_delivery s WHERE s.job_id = o.job_id)
    ORDER BY o.id LIMIT 5000`;
  let requeued = 0;
  for (const row of rows) {
    const queue = queues[row.queue as QueueName];
    if (!queue || (await withTimeout(queue.getJob(row.job_id), ADD_TIMEOUT_MS))) continue;
    await withTimeout(queue.add(row.job_name, row.payload, { jobId: row.job_id }), ADD_TIMEOUT_MS);
    requeued++;
  }
  if (requeued > 0) logger.warn({ requeued }, "outbox: re-queued jobs Redis had lost");
  return requeued;
}

/** Runs until `signal` aborts: wakes on NOTIFY outbox, and polls every second in case a notify was missed. */
export async function runRelay(queues: Record<QueueName, Queue>, signal: AbortSignal): Promise<void> {
  let wake: (() => void) | null = null;
  const listener = new pg.Client({ connectionString: config().operatorDatabaseUrl });
  listener.on("error", (err) => logger.warn({ err }, "outbox listener lost its connection; polling"));
  listener.on("notification", () => wake?.());
  await listener.connect().then(() => listener.query("LISTEN outbox")).catch((err) => logger.warn({ err }, "outbox LISTEN failed; polling"));
  signal.addEventListener("abort", () => wake?.());
  let lastSweep = Date.now();
  try {
    while (!signal.aborted) {
      if (Date.now() - lastSweep > 5 * 60_000) {
        lastSweep = Date.now();
        await redispatchLost(queues).catch((err) => logger.warn({ err }, "outbox: lost-job sweep failed, will retry"));
      }
      let moved = 0;
      try {
        moved = await relayOnce(queues);
      } catch (err) {
        logger.warn({ err }, "outbox relay: batch not dispatched, will retry");
      }
      if (moved === BATCH) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, moved > 0 ? 0 : 1_000);
        wake = () => (clearTimeout(timer), resolve());
      });
      wake = null;
    }
  } finally {
    await listener.end().catch(() => {});
  }
}
