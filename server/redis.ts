import { Redis } from "ioredis";
import { config } from "./config.ts";

let shared: Redis | undefined;

/** One connection for rate limits and queue producers; BullMQ needs maxRetriesPerRequest: null. */
export function redis(): Redis {
  return (shared ??= new Redis(config().REDIS_URL, { maxRetriesPerRequest: null, enableOfflineQueue: true }));
}

export async function disconnectRedis(): Promise<void> {
  if (shared) {
    shared.disconnect();
    shared = undefined;
  }
}
