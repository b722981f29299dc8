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
  pool.on("connect", beginWithFirstStatement);
  live.set(name, pool);
  return pool;
}

type Sent = (config: pg.QueryConfig & { rowMode?: string }) => Promise<pg.QueryResult | pg.QueryResult[]>;

/**
 * A transaction's BEGIN travels with its first statement (ADR 044). Prisma's pg adapter opens a transaction with
 * a `BEGIN` of its own, one round trip; here it is held back and sent in one simple query with the statement that
 * follows when that has no parameters (the school's entry, the RLS scope, `SET TRANSACTION READ ONLY`): PostgreSQL
 * runs `BEGIN; <statement>` as two statements of one message, and the statement's result is answered. A statement
 * with parameters is sent after its own BEGIN, as before; a transaction that ends before any statement sends nothing.
 * An error in the statement leaves the transaction open and failed, as a separate BEGIN would: Prisma rolls back.
 */
function beginWithFirstStatement(client: pg.Client): void {
  const send = client.query.bind(client) as unknown as Sent;
  let held = false;
  const answered = (command: string) =>
    Promise.resolve({ command, rowCount: null, oid: 0, rows: [], fields: [] } as pg.QueryResult);
  const query: Sent = async (config) => {
    const parameterless = !config.name && !config.values?.length;
    if (config.text === "BEGIN" && parameterless && !held) {
      held = true;
      return answered("BEGIN");
    }
    if (!held) return send(config);
    held = false;
    if (!parameterless) {
      await send({ text: "BEGIN" });
      return send(config);
    }
    if (config.text === "COMMIT" || config.text === "ROLLBACK") return answered(config.text);
    const results = await send({ ...config, text: `BEGIN; ${config.text}` });
    return Array.isArray(results) ? results[results.length - 1]! : results;
  };
  const plain = client.query;
  client.query = ((config: unknown, ...rest: unknown[]) =>
    typeof config === "object" && config !== null && rest.length === 0 && !("submit" in config)
      ? query(config as pg.QueryConfig)
      : (plain as (...a: unknown[]) => unknown).call(client, config, ...rest)) as typeof client.query;
}

/** The pools of the clients opened so far in this process (reports only when it is a pool of its own). */
export function livePools(): ReadonlyMap<PoolName, pg.Pool> {
  return live;
}

/** Forgets the pools (their clients were disconnected, which ends them). */
export function forgetPools(): void {
  live.clear();
}
