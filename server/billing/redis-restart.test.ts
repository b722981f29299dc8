// Redis restarted mid-run, losing everything it held: the outbox keeps what was not yet moved, and the
// relay's sweeper queues again what Redis lost — every billing notice is sent, and sent once.
import { spawn, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { operatorDb } from "../db/client.ts";
import { addDays } from "../../domain/kz/time.ts";
import { freePort } from "../cli/services.ts";
import { bullQueue } from "../queues.ts";
import { redispatchLost, relayOnce } from "../../jobs/relay.ts";
import { processMail } from "../../jobs/mail.ts";
import { bulkSchools, today } from "../../tests/billing.ts";
import { settleSchool } from "./cycle.ts";
import { bullWorker } from "../../jobs/bull-worker.ts";
import { until } from "../../tests/wait.ts";

const db = () => operatorDb();

describe("Redis restarted", () => {
  let port: number;
  let redis: ChildProcess | undefined;
  const startRedis = async () => {
    redis = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const probe = new Redis(port, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
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
  };
  const stopRedis = async () => {
    redis!.kill("SIGKILL");
    await new Promise((r) => redis!.once("exit", r));
  };
  beforeAll(async () => {
    port = await freePort();
    await startRedis();
  });
  afterAll(async () => {
    if (redis?.exitCode === null) await stopRedis();
  });

  it("loses no notice: rows wait while it is down, and jobs it lost on restart are queued again and sent once", {
    timeout: 60_000,
  }, async () => {
    const conn = new Redis(port, { maxRetriesPerRequest: null });
    conn.on("error", () => {});
    const mail = bullQueue("mail", conn);
    mail.on("error", () => {});
    try {
      const [a, b] = await bulkSchools(2, addDays(today(), 2));
      await settleSchool(a!, today());
      await relayOnce({ mail });
      const dispatched = await db().outboxEvent.findMany({
        where: { jobId: { startsWith: "invoice-" }, dispatchedAt: { not: null } },
      });
      expect(dispatched.length).toBeGreaterThan(0);
      expect(await mail.getJob(dispatched[0]!.jobId)).toBeDefined();

      // Redis dies with the queued jobs in memory; meanwhile another school is invoiced.
      await stopRedis();
      await settleSchool(b!, today());
      await expect(relayOnce({ mail })).rejects.toThrow();
      expect(await db().outboxEvent.count({ where: { dispatchedAt: null } })).toBeGreaterThan(0);

      // Back, empty. The relay moves the waiting rows; the sweeper re-queues what Redis lost.
      await startRedis();
      await until(async () => (await relayOnce({ mail }).catch(() => -1)) >= 0, 10_000);
      expect(await db().outboxEvent.count({ where: { dispatchedAt: null } })).toBe(0);
      const lost = await redispatchLost({ mail }, { minAgeMs: 0 });
      expect(lost).toBe(dispatched.length);

      const workerConn = new Redis(port, { maxRetriesPerRequest: null });
      workerConn.on("error", () => {});
      const worker = bullWorker("mail", processMail, { connection: workerConn, concurrency: 4 });
      const all = await db().outboxEvent.findMany({ where: { queue: "mail" }, select: { jobId: true } });
      await until(
        async () =>
          (await db().emailDelivery.count({ where: { jobId: { in: all.map((r) => r.jobId) } } })) === all.length,
        30_000,
      );
      await worker.close();
      workerConn.disconnect();
      expect(await redispatchLost({ mail }, { minAgeMs: 0 })).toBe(0);
      const deliveries = await db().emailDelivery.findMany({ where: { jobId: { in: all.map((r) => r.jobId) } } });
      expect(deliveries).toHaveLength(all.length);
      expect(new Set(deliveries.map((d) => d.jobId)).size).toBe(all.length);
    } finally {
      await mail.close();
      conn.disconnect();
    }
  });
});
