// The outbox relay: moves committed outbox rows into BullMQ. A row is marked dispatched only after
// BullMQ accepted the job under the row's deterministic id, in the same transaction that locked it:
// Redis down means rows wait (nothing lost); a crash after add and before commit means the same id
// is added again, which BullMQ ignores while the job exists and the job's own unique key
// ignores after that (nothing duplicated).
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Queue } from "bullmq";
import { operatorDb } from "../server/db/client.ts";
import { config } from "../server/config.ts";
import { logger } from "../server/log.ts";
import type { QueueName } from "../domain/queues.ts";

const BATCH = 500;
const ADD_TIMEOUT_MS = 5_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("redis did not answer")), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

/** Dispatches one batch; returns how many rows it moved. */
export async function relayOnce(queues: Partial<Record<QueueName, Queue>>): Promise<number> {
  return operatorDb().$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<
        { id: bigint; queue: string; job_name: string; job_id: string; payload: unknown }[]
      >`
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
        await withTimeout(
          queue.addBulk(list.map((row) => ({ name: row.job_name, data: row.payload, opts: { jobId: row.job_id } }))),
          ADD_TIMEOUT_MS,
        );
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

/** How long a new listener waits to hear its own test notification before it concludes LISTEN can't reach it. */
const PROBE_MS = 5_000;
/** How often a listener that could not connect, or lost its connection, is tried again. */
const RELISTEN_MS = 60_000;

export type OutboxListener = { readonly lost: boolean; close: () => Promise<void> };

/**
 * A session on `url` that LISTENs for new outbox rows, trusted only once it has heard a test notification sent
 * through the operator's own pool. Through a transaction-mode pooler (PgBouncer) LISTEN succeeds, but the
 * server session behind it goes back to the pool and nothing ever reaches this client: then the answer is
 * "deaf", `outbox` is never listened to through the pooler, and the relay relies on its polling. "failed":
 * no connection for now.
 */
export async function listenForOutbox(
  url: string,
  onNotify: () => void,
  probeMs = PROBE_MS,
): Promise<OutboxListener | "deaf" | "failed"> {
  const client = new pg.Client({
    connectionString: url,
    application_name: "am-relay",
    connectionTimeoutMillis: 10_000,
  });
  const channel = `outbox_probe_${randomBytes(6).toString("hex")}`;
  let heard = () => {};
  const probe = new Promise<boolean>((resolve) => {
    heard = () => resolve(true);
    setTimeout(() => resolve(false), probeMs).unref();
  });
  let lost = false;
  client.on("notification", (n) => (n.channel === channel ? heard() : n.channel === "outbox" && onNotify()));
  client.on("error", (err) => {
    lost = true;
    logger.warn({ err }, "outbox listener lost its connection; polling until it is back");
  });
  client.on("end", () => (lost = true));
  try {
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    await operatorDb().$executeRaw`SELECT pg_notify(${channel}, '')`;
    if (!(await probe)) {
      await client.end().catch(() => {});
      return "deaf";
    }
    await client.query(`UNLISTEN ${channel}`);
    await client.query("LISTEN outbox");
    return {
      get lost() {
        return lost;
      },
      close: () => client.end().catch(() => {}),
    };
  } catch (err) {
    logger.warn({ err }, "outbox LISTEN failed; polling");
    await client.end().catch(() => {});
    return "failed";
  }
}

/**
 * Runs until `signal` aborts: polls every second, and wakes at once on NOTIFY outbox when a session on
 * LISTEN_DATABASE_URL (default: the operator URL) really hears it — behind a transaction-mode pooler set that
 * URL straight to PostgreSQL; without it the relay works by polling alone, and says so once.
 */
export async function runRelay(queues: Record<QueueName, Queue>, signal: AbortSignal): Promise<void> {
  let wake: (() => void) | null = null;
  let listener = null as OutboxListener | null;
  let deaf = false;
  let lastListen = Date.now();
  const listen = async () => {
    lastListen = Date.now();
    const result = await listenForOutbox(config().listenDatabaseUrl, () => wake?.());
    if (result === "failed") return;
    if (result === "deaf") {
      deaf = true;
      logger.warn(
        "outbox: LISTEN hears nothing on this connection (a transaction-mode pooler?); set LISTEN_DATABASE_URL straight to PostgreSQL. Polling every second",
      );
    } else if (signal.aborted) {
      await result.close();
    } else {
      listener = result;
      logger.info("outbox: listening for new rows");
    }
  };
  // Not awaited: the relay polls from the start, and the listener joins when it has proved it hears.
  let listening = listen();
  signal.addEventListener("abort", () => wake?.());
  let lastSweep = Date.now();
  try {
    while (!signal.aborted) {
      if (!deaf && (listener === null || listener.lost) && Date.now() - lastListen > RELISTEN_MS) {
        void listener?.close();
        listener = null;
        listening = listening.then(listen);
      }
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
    await listening;
    await listener?.close();
  }
}
