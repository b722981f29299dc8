// The node-postgres pools behind the Prisma clients (server/db/client.ts). Built here rather than inside
// @prisma/adapter-pg so that /metrics can read their counts and /readyz can ask each of them for `SELECT 1`,
// and so that every connection says who opened it: application_name `am-<process>-<pool>` (am-web-app,
// am-worker-operator, …) is what an operator sees in pg_stat_activity, PgBouncer's SHOW CLIENTS and the
// server log. An application_name written in the connection URL wins (node-postgres lets the URL override).
import pg from "pg";
import { serviceName } from "../log.ts";

export type PoolName = "app" | "operator" | "reports";

const live = new Map<PoolName, pg.Pool>();

/** `am-web-app`, `am-worker-operator`, `am-migrate`…: the process, then what the connection is for. */
export function applicationName(purpose?: string): string {
  return purpose ? `am-${serviceName()}-${purpose}` : `am-${serviceName()}`;
}

/** A pool for one of the clients; registered so metrics and readiness can see it. */
export function createPool(name: PoolName, connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: applicationName(name) });
  live.set(name, pool);
  return pool;
}

/** The pools of the clients opened so far in this process (reports only when it is a pool of its own). */
export function livePools(): ReadonlyMap<PoolName, pg.Pool> {
  return live;
}

/** Forgets the pools (their clients were disconnected, which ends them). */
export function forgetPools(): void {
  live.clear();
}
