// Producers: the one place a queue name becomes a BullMQ queue in Redis (consumers: jobs/bull-worker.ts).
import { Queue } from "bullmq";
import { QUEUES, type QueueName } from "../domain/queues.ts";
import { config } from "./config.ts";
import { connectRedis, type RedisClient } from "./redis.ts";

/** A dedicated connection per BullMQ client: blocking commands must not share a socket. */
export function connection(): RedisClient {
  return connectRedis({ maxRetriesPerRequest: null });
}

export function bullPrefix(): string {
  return `${config().REDIS_PREFIX}:bull`;
}

/**
 * The one place a logical queue name becomes its name in Redis. The braces are a Redis Cluster hash tag:
 * BullMQ's scripts touch many keys of a queue at once, so all of them (`am:bull:{mail}:wait`, `…:{mail}:123`)
 * must hash to one slot, while each queue gets its own tag so the queues spread over the nodes. On a single
 * Redis the braces are just characters. Every Queue and Worker is built with it (bullQueue, bullWorker).
 */
export function bullName(queue: QueueName): string {
  return `{${queue}}`;
}

export const defaultJobOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

/** A producer for one queue; `conn` may be shared by several producers (not by workers). */
export function bullQueue(name: QueueName, conn: RedisClient = connection()): Queue {
  return new Queue(bullName(name), { connection: conn, prefix: bullPrefix(), defaultJobOptions });
}

export function openQueues(): Record<QueueName, Queue> {
  const conn = connection();
  return Object.fromEntries(QUEUES.map((name) => [name, bullQueue(name, conn)])) as Record<QueueName, Queue>;
}
