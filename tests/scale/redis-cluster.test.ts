// Past one machine: the same code on a Redis Cluster, switched by REDIS_CLUSTER_NODES alone. A local
// three-master cluster (three redis-server processes) carries the billing day through BullMQ — the day job
// fans out one job per batch of schools, the worker process settles them, its outbox relay queues the invoice
// e-mails and its mail worker sends them — plus the rate limits and the relay's lost-job sweeper.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Cluster, Redis } from "ioredis";
import type { Queue } from "bullmq";
import { resetConfig } from "../../server/config.ts";
import { operatorDb } from "../../server/db/client.ts";
import { disconnectRedis, redis, type RedisClient } from "../../server/redis.ts";
import { freePort } from "../../server/cli/services.ts";
import { addDays } from "../../domain/kz/time.ts";
import { createApiLimiter, resetLimiters } from "../../server/auth/rate-limit.ts";
import { fetchSunkMail } from "../../dev/mail/client.ts";
import { settleSchool } from "../../server/billing/cycle.ts";
import { bullName, bullPrefix, bullQueue, connection } from "../../server/queues.ts";
import { redispatchLost, relayOnce } from "../../jobs/relay.ts";
import { SCHOOLS_PER_JOB } from "../../jobs/billing.ts";
import { bulkSchools, today } from "../billing.ts";
import { testState } from "../state.ts";
import { type QueueName, QUEUES } from "../../domain/queues.ts";

const root = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
const db = () => operatorDb();

const until = async (what: () => Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

type Node = { port: number; dir: string; server: ChildProcess };
const nodes: Node[] = [];
let spec = "";

async function startCluster(): Promise<void> {
  const ports = new Set<number>();
  while (ports.size < 6) ports.add(await freePort());
  const [p1, p2, p3, b1, b2, b3] = [...ports];
  for (const [port, busPort] of [
    [p1!, b1!],
    [p2!, b2!],
    [p3!, b3!],
  ] as const) {
    const dir = mkdtempSync(path.join(tmpdir(), "am-cluster-"));
    const server = spawn(
      "/usr/bin/redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--cluster-enabled",
        "yes",
        "--cluster-port",
        String(busPort),
        "--cluster-config-file",
        "nodes.conf",
        "--cluster-node-timeout",
        "5000",
        "--save",
        "",
        "--appendonly",
        "no",
      ],
      { stdio: "ignore" },
    );
    nodes.push({ port, dir, server });
  }
  for (const { port } of nodes) {
    const probe = new Redis(port, "127.0.0.1", {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on("error", () => {});
    await until(
      () =>
        probe
          .connect()
          .then(() => probe.ping())
          .then(
            () => true,
            () => false,
          ),
      10_000,
    );
    probe.disconnect();
  }
  const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
  await run("/usr/bin/redis-cli", ["--cluster", "create", ...addresses, "--cluster-replicas", "0", "--cluster-yes"]);
  for (const { port } of nodes) {
    await until(
      async () =>
        (await run("/usr/bin/redis-cli", ["-p", String(port), "cluster", "info"])).stdout.includes("cluster_state:ok"),
      15_000,
    );
  }
  spec = addresses.join(",");
}

async function stopCluster(): Promise<void> {
  for (const { server, dir } of nodes) {
    if (server.exitCode === null) {
      server.kill("SIGKILL");
      await new Promise((r) => server.once("exit", r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The masters holding keys of each queue, by port (SCAN on a node sees that node's keys only). */
async function queueNodes(): Promise<Map<QueueName, Set<number>>> {
  const found = new Map<QueueName, Set<number>>(QUEUES.map((q) => [q, new Set()]));
  for (const { port } of nodes) {
    const direct = new Redis(port, "127.0.0.1");
    try {
      for await (const keys of direct.scanStream({ match: `${bullPrefix()}:*`, count: 1000 }) as AsyncIterable<
        string[]
      >) {
        for (const q of QUEUES)
          if (keys.some((k) => k.startsWith(`${bullPrefix()}:${bullName(q)}:`))) found.get(q)!.add(port);
      }
    } finally {
      direct.disconnect();
    }
  }
  return found;
}

let conn: RedisClient | undefined;
let queues: Record<QueueName, Queue>;
let worker: ChildProcess | undefined;
const workerOutput: string[] = [];

beforeAll(async () => {
  await startCluster();
  // The configuration change, and nothing else: every Redis client built from now on talks to the cluster.
  process.env.REDIS_CLUSTER_NODES = spec;
  resetConfig();
  resetLimiters();
  await disconnectRedis();
  conn = connection();
  queues = Object.fromEntries(QUEUES.map((q) => [q, bullQueue(q, conn)])) as Record<QueueName, Queue>;
}, 60_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill("SIGTERM");
    await new Promise((r) => worker!.once("exit", r));
  }
  await Promise.all(Object.values(queues ?? {}).map((q) => q.close()));
  conn?.disconnect();
  delete process.env.REDIS_CLUSTER_NODES;
  await disconnectRedis();
  resetConfig();
  resetLimiters();
  await stopCluster();
});

describe("on a three-node Redis Cluster", () => {
  it("the shared client is a cluster client and the rate limits count there", async () => {
    expect(redis()).toBeInstanceOf(Cluster);
    // A running web process is connected; until then the limiters count in memory (server/auth/rate-limit.ts).
    expect(await redis().ping()).toBe("PONG");
    const limit = createApiLimiter({ perUser: 3, perIp: 0 }, "cluster");
    for (let i = 0; i < 3; i++) await limit({ userId: "u-1", ip: null });
    await expect(limit({ userId: "u-1", ip: null })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await limit({ userId: "u-2", ip: null }); // another user has their own count
    expect(await redis().get(`${process.env.REDIS_PREFIX}:rl:cluster-user:u-1`)).toBe("4");
  });

  it("the relay queues invoice e-mails into the cluster, and its sweeper queues again what the cluster lost", async () => {
    const [a, b] = await bulkSchools(2, addDays(today(), 3));
    await settleSchool(a!, today());
    await settleSchool(b!, today());
    const rows = await db().outboxEvent.findMany({
      where: { queue: "mail", jobId: { startsWith: "invoice-" }, dispatchedAt: null },
    });
    expect(rows).toHaveLength(2);
    expect(await relayOnce(queues)).toBe(2);
    for (const r of rows) expect(await queues.mail.getJob(r.jobId)).toBeDefined();

    await queues.mail.obliterate({ force: true }); // what a failed-over master without persistence would do
    expect(await queues.mail.getJob(rows[0]!.jobId)).toBeUndefined();
    expect(await redispatchLost(queues, { minAgeMs: 0 })).toBe(2);
    for (const r of rows) expect(await queues.mail.getJob(r.jobId)).toBeDefined();
    expect(await redispatchLost(queues, { minAgeMs: 0 })).toBe(0);
  });

  it("a billing day runs through the worker process: one invoice and one e-mail per school, queues on different nodes", {
    timeout: 60_000,
  }, async () => {
    const n = 30;
    const tag = `cl${Date.now().toString(36)}`;
    const ids = await bulkSchools(n, addDays(today(), 5), tag);
    worker = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], {
      cwd: root,
      env: { ...process.env, REDIS_CLUSTER_NODES: spec, LOG_LEVEL: "warn", AM_SERVICE: "worker" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker.stdout!.on("data", (d) => workerOutput.push(String(d)));
    worker.stderr!.on("data", (d) => workerOutput.push(String(d)));

    const dayJob = `day-${today()}-cluster`;
    await queues.billing.add("day", { day: today() }, { jobId: dayJob });
    const invoices = () =>
      db().invoice.findMany({ where: { schoolId: { in: ids } }, select: { id: true, schoolId: true } });
    const mailRows = async () =>
      db().outboxEvent.findMany({
        where: { queue: "mail", OR: (await invoices()).map((i) => ({ jobId: { startsWith: `invoice-${i.id}-` } })) },
        select: { jobId: true, dispatchedAt: true },
      });
    const mine = async () =>
      (await fetchSunkMail(testState.sink!.httpUrl)).filter((m) => m.to.some((to) => to.startsWith(`d-${tag}-`)));
    try {
      await until(async () => (await invoices()).length === n && (await mine()).length >= n, 45_000);
    } catch (e) {
      throw new Error(`${String(e)}; worker said:\n${workerOutput.join("").slice(-3000)}`);
    }

    const made = await invoices();
    expect(made).toHaveLength(n);
    expect(new Set(made.map((i) => i.schoolId)).size).toBe(n);
    const rows = await mailRows();
    expect(rows).toHaveLength(n);
    expect(rows.filter((r) => r.dispatchedAt !== null)).toHaveLength(n);
    expect(await db().emailDelivery.count({ where: { jobId: { in: rows.map((r) => r.jobId) } } })).toBe(n);
    const sent = await mine();
    expect(sent).toHaveLength(n);
    expect(new Set(sent.flatMap((m) => m.to)).size).toBe(n);

    // The day's job and every batch it fanned out completed in the billing queue; nothing is left waiting or
    // failed, and the only delayed job is tomorrow's 06:00 run from the worker's job scheduler.
    const planned = Number((await queues.billing.getJob(dayJob))!.returnvalue);
    expect(planned).toBeGreaterThanOrEqual(n);
    const batches = Math.ceil(planned / SCHOOLS_PER_JOB);
    await until(async () => (await queues.billing.getJobCounts("completed")).completed === batches + 1, 10_000);
    const counts = await queues.billing.getJobCounts("waiting", "active", "delayed", "failed");
    expect(counts).toEqual({ waiting: 0, active: 0, delayed: 1, failed: 0 });

    // Each queue's keys sit in one hash slot, so on one master; the billing and mail queues on different ones.
    const where = await queueNodes();
    expect(where.get("billing")!.size).toBe(1);
    expect(where.get("mail")!.size).toBe(1);
    expect([...where.get("billing")!][0]).not.toBe([...where.get("mail")!][0]);
  });
});
