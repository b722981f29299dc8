import { Cluster, Redis, type RedisOptions } from "ioredis";
import { config } from "./config.ts";
import { logger } from "./log.ts";
import { outsideRequest } from "./http/request-context.ts";

/** A single Redis server (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES): the code works on either. */
export type RedisClient = Redis | Cluster;

/** `host:port,host:port` or `rediss://user:pass@host:port,host:port` → the seed nodes, credentials and TLS. */
export function clusterSeeds(spec: string): {
  nodes: { host: string; port: number }[];
  auth: Pick<RedisOptions, "username" | "password" | "tls">;
} {
  const urls = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => new URL(s.includes("://") ? s : `redis://${s}`));
  if (urls.length === 0) throw new Error("REDIS_CLUSTER_NODES names no node");
  const withAuth = urls.find((u) => u.password || u.username);
  return {
    nodes: urls.map((u) => ({ host: u.hostname, port: Number(u.port || 6379) })),
    auth: {
      ...(withAuth?.username ? { username: decodeURIComponent(withAuth.username) } : {}),
      ...(withAuth?.password ? { password: decodeURIComponent(withAuth.password) } : {}),
      ...(urls.some((u) => u.protocol === "rediss:") ? { tls: {} } : {}),
    },
  };
}

/**
 * A new connection to the configured Redis. On a cluster, every multi-key command must name keys of one
 * hash slot: BullMQ queues are hash-tagged (server/queues.ts), rate-limit commands touch one key each.
 */
export function connectRedis(options: RedisOptions = {}): RedisClient {
  const { REDIS_CLUSTER_NODES, REDIS_URL } = config();
  if (!REDIS_CLUSTER_NODES) return new Redis(REDIS_URL, options);
  const { nodes, auth } = clusterSeeds(REDIS_CLUSTER_NODES);
  const { enableOfflineQueue, enableAutoPipelining, ...redisOptions } = options;
  return new Cluster(nodes, {
    redisOptions: { ...auth, ...redisOptions },
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
    // With TLS, connect to node host names as given: their certificates name hosts, not resolved IPs.
    ...(auth.tls
      ? {
          dnsLookup: (address: string, callback: (err: Error | null, address: string) => void) =>
            callback(null, address),
        }
      : {}),
  });
}

let shared: RedisClient | undefined;

/** One connection for rate limits and queue producers; BullMQ needs maxRetriesPerRequest: null. */
export function redis(): RedisClient {
  return (shared ??= outsideRequest(() =>
    logOutages(connectRedis({ maxRetriesPerRequest: null, enableOfflineQueue: true })),
  ));
}

let limits: RedisClient | undefined;

/**
 * The API and sign-in limiters' own connection (server/auth/rate-limit.ts), with ioredis's auto-pipelining: the
 * per-user and per-IP counts of a request, and those of every other request in the same turn of the event loop,
 * leave in one write and come back in one read (ADR 044). Not the queues' connection: BullMQ is not meant to run
 * on an auto-pipelined one.
 */
export function limitsRedis(): RedisClient {
  return (limits ??= outsideRequest(() =>
    logOutages(connectRedis({ maxRetriesPerRequest: null, enableOfflineQueue: true, enableAutoPipelining: true })),
  ));
}

/**
 * Redis away: one warning in the log (not ioredis's "Unhandled error event" on stderr at every reconnect
 * attempt); commands wait for the reconnect, /readyz reports it.
 */
function logOutages(client: RedisClient): RedisClient {
  let down = false;
  client.on("error", (err: Error) => {
    if (!down) logger.warn({ err }, "redis connection lost; reconnecting");
    down = true;
  });
  client.on("ready", () => (down = false));
  return client;
}

/** Deletes the keys matching `pattern` — on every master of a cluster, where SCAN sees one node's keys. */
export async function unlinkMatching(pattern: string, client: RedisClient = redis()): Promise<number> {
  const servers = client instanceof Cluster ? client.nodes("master") : [client];
  let removed = 0;
  for (const server of servers) {
    for await (const keys of server.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length === 0) continue;
      // One UNLINK per key (pipelined): on a cluster the keys of one batch belong to different slots.
      const pipeline = server.pipeline();
      for (const key of keys) pipeline.unlink(key);
      removed += (await pipeline.exec())!.reduce((n, [, count]) => n + Number(count ?? 0), 0);
    }
  }
  return removed;
}

export async function disconnectRedis(): Promise<void> {
  for (const client of [shared, limits]) client?.disconnect();
  shared = limits = undefined;
}
