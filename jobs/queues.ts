import { Queue, type ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import { config } from "../server/config.ts";

export const QUEUES = ["mail", "import", "warnings", "sms", "reminders", "billing", "contract", "notices"] as const;
export type QueueName = (typeof QUEUES)[number];

/** A dedicated connection per BullMQ client: blocking commands must not share a socket. */
export function connection(): ConnectionOptions {
  return new Redis(config().REDIS_URL, { maxRetriesPerRequest: null });
}

export function bullPrefix(): string {
  return `${config().REDIS_PREFIX}:bull`;
}

export const defaultJobOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

export function openQueues(): Record<QueueName, Queue> {
  const conn = connection();
  return Object.fromEntries(
    QUEUES.map((name) => [name, new Queue(name, { connection: conn, prefix: bullPrefix(), defaultJobOptions })]),
  ) as Record<QueueName, Queue>;
}
