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

const BATCH = 200;
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
      for (const row of rows) {
        const queue = queues[row.queue as QueueName];
        if (!queue) throw new Error(`outbox row ${row.id} names unknown queue ${row.queue}`);
        await withTimeout(queue.add(row.job_name, row.payload, { jobId: row.job_id }), ADD_TIMEOUT_MS);
      }
      await tx.$executeRaw`UPDATE outbox_event SET dispatched_at = now() WHERE id = ANY(${rows.map((r) => r.id)}::bigint[])`;
      return rows.length;
    },
    { timeout: 60_000 },
  );
}

/** Runs until `signal` aborts: wakes on NOTIFY outbox, and polls every second in case a notify was missed. */
export async function runRelay(queues: Record<QueueName, Queue>, signal: AbortSignal): Promise<void> {
  let wake: (() => void) | null = null;
  const listener = new pg.Client({ connectionString: config().operatorDatabaseUrl });
  listener.on("error", (err) => logger.warn({ err }, "outbox listener lost its connection; polling"));
  listener.on("notification", () => wake?.());
  await listener.connect().then(() => listener.query("LISTEN outbox")).catch((err) => logger.warn({ err }, "outbox LISTEN failed; polling"));
  signal.addEventListener("abort", () => wake?.());
  try {
    while (!signal.aborted) {
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
