import { Worker, type Processor, type WorkerOptions } from "bullmq";
import type { QueueName } from "../domain/queues.ts";
import type { RedisClient } from "../server/redis.ts";
import { bullName, bullPrefix, connection } from "../server/queues.ts";
import { instrumented } from "./instrument.ts";

/** A consumer of one queue, on its own connection unless one is given; its jobs are timed and logged with their id. */
export function bullWorker(
  name: QueueName,
  processor: Processor,
  opts: Omit<WorkerOptions, "connection" | "prefix"> & { connection?: RedisClient } = {},
): Worker {
  return new Worker(bullName(name), instrumented(name, processor), {
    ...opts,
    connection: opts.connection ?? connection(),
    prefix: bullPrefix(),
  });
}
