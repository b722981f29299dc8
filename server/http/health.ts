// Readiness: can this process serve now? Each database pool it uses answers `SELECT 1` and Redis answers
// PING, each within READYZ_TIMEOUT_MS. A load balancer takes a process that is not ready out of rotation
// (503, naming what failed) without restarting it; /healthz, the liveness probe, asks nothing of them.
import type pg from "pg";
import { config } from "../config.ts";
import { appDb, operatorDb, reportsDb, reportsOnReplica } from "../db/client.ts";
import { livePools, type PoolName } from "../db/pools.ts";
import { redis } from "../redis.ts";
import { logger } from "../log.ts";

export type CheckResult = "ok" | "failed" | "timeout";
export type Readiness = { ok: boolean; checks: Record<string, CheckResult> };

/** The clients that open each pool (lazily, as everywhere else). */
const OPEN: Record<PoolName, () => unknown> = { app: appDb, operator: operatorDb, reports: reportsDb };

// One probe per connection at a time: a database that hangs gets one waiting `SELECT 1`, not one per poll.
// Keyed by the pool or client itself, so one that was replaced (reconfigured, reconnected) is asked afresh.
const inFlight = new WeakMap<object, Promise<void>>();

function probe(name: string, target: object, run: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  let p = inFlight.get(target);
  if (!p) {
    p = run()
      .then(() => undefined)
      .finally(() => inFlight.delete(target));
    inFlight.set(target, p);
  }
  const attempt = p;
  return new Promise<CheckResult>((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), timeoutMs);
    attempt.then(
      () => (clearTimeout(timer), resolve("ok")),
      (err: unknown) => (
        clearTimeout(timer), logger.warn({ err, check: name }, "readiness check failed"), resolve("failed")
      ),
    );
  });
}

/** `pools`: the database pools this process works with (the web: app, operator and, on a replica, reports). */
export async function readiness(pools: readonly PoolName[]): Promise<Readiness> {
  const timeoutMs = config().READYZ_TIMEOUT_MS;
  const names = pools.filter((p) => p !== "reports" || reportsOnReplica());
  const checks = await Promise.all([
    ...names.map(async (name) => {
      OPEN[name]();
      const pool = livePools().get(name) as pg.Pool;
      return [
        `postgres_${name}`,
        await probe(`postgres_${name}`, pool, () => pool.query("SELECT 1"), timeoutMs),
      ] as const;
    }),
    (async () => {
      const client = redis();
      return ["redis", await probe("redis", client, () => client.ping(), timeoutMs)] as const;
    })(),
  ]);
  return { ok: checks.every(([, r]) => r === "ok"), checks: Object.fromEntries(checks) };
}
