import { createHash } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import { config } from "../config.ts";
import { createPool, forgetPools, type PoolName } from "./pools.ts";

export { Prisma };
export type Tx = Prisma.TransactionClient;

let app: PrismaClient | undefined;
let operator: PrismaClient | undefined;
let reports: PrismaClient | undefined;

function client(connectionString: string, name: PoolName): PrismaClient {
  // Our own pg.Pool (named, counted by /metrics); Prisma ends it on $disconnect.
  const adapter = new PrismaPg(createPool(name, connectionString, config().DB_POOL_SIZE), {
    disposeExternalPool: true,
    // The request path's reads only (ADR 044): the jobs' tables grow within a run (the outbox, the deliveries), and
    // a generic plan made while one was small (a scan of the whole table) would be kept until the next ANALYZE.
    ...(config().DB_PREPARED_STATEMENTS === "on" && name !== "operator"
      ? { statementNameGenerator: statementName }
      : {}),
  });
  return retryingConflicts(unbatchedInTransactions(new PrismaClient({ adapter })));
}

type RequestHandler = { dataloader?: { options?: { batchBy?: (r: { transaction?: { kind?: string } }) => unknown } } };

/**
 * Inside an interactive transaction Prisma sends the statements started in the same tick (a `Promise.all`) as
 * one batch. A batch that holds raw SQL is compiled afresh every time, outside Prisma's query plan cache: 17 % of
 * the dashboard page's CPU, 5–10 % of the trainee card's. On the transaction's one connection the statements run
 * one after another either way, so here each goes on its own and is planned from the cache. Outside transactions
 * (and in `$transaction([...])` lists) batching stays as it is. Without the internals this relies on (a later
 * Prisma), nothing changes but the speed.
 */
function unbatchedInTransactions(client: PrismaClient): PrismaClient {
  const options = (client as unknown as { _requestHandler?: RequestHandler })._requestHandler?.dataloader?.options;
  const batchBy = options?.batchBy;
  if (options && batchBy) options.batchBy = (r) => (r.transaction?.kind === "itx" ? undefined : batchBy(r));
  return client;
}

/** How many statement texts a process names; past it, a new text runs unnamed (parsed and planned each time). */
export const NAMED_STATEMENTS_AT_MOST = 500;
const statementNames = new Map<string, string>();

/**
 * The name a parameterised statement is prepared under on each connection (ADR 044): a hash of its text, so one
 * name never stands for two texts. pg parses it once per connection, and PostgreSQL keeps its plan (a generic
 * plan once it is as good as the custom ones). Statements without parameters (BEGIN, COMMIT) stay simple
 * queries, one message each. At most NAMED_STATEMENTS_AT_MOST texts: a text built with a varying shape must not
 * fill every connection with plans.
 */
export function statementName(query: { sql: string; args: readonly unknown[] }): string {
  if (query.args.length === 0) return "";
  const known = statementNames.get(query.sql);
  if (known !== undefined) return known;
  if (statementNames.size >= NAMED_STATEMENTS_AT_MOST) return "";
  const name = `am_${createHash("sha256").update(query.sql).digest("base64url").slice(0, 40)}`;
  statementNames.set(query.sql, name);
  return name;
}

/** How many times a transaction that lost a race inside PostgreSQL is run again before giving up. */
export const CONFLICT_RETRIES = 4;

/**
 * A serialization failure (40001) or a deadlock (40P01): PostgreSQL rolled the transaction back because it
 * raced another one; run again, it sees the winner's commit (and, say, refuses the double booking by name).
 */
export function lostRace(e: unknown): boolean {
  const err = e as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { code?: string; originalCode?: string } } };
  } | null;
  if (!err || typeof err !== "object") return false;
  if (err.code === "P2034") return true;
  const cause = err.meta?.driverAdapterError?.cause;
  const sqlState = cause?.originalCode ?? cause?.code ?? err.code;
  return sqlState === "40001" || sqlState === "40P01";
}

/**
 * Runs `attempt` again, after a short random pause, while it loses races inside the database: at most
 * CONFLICT_RETRIES more times. The last loss is thrown (the API turns it into a 409, never a 503).
 */
export async function withConflictRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (n >= CONFLICT_RETRIES || !lostRace(e)) throw e;
      await new Promise((r) => setTimeout(r, (5 + Math.random() * 20) * 2 ** n));
    }
  }
}

/**
 * Every interactive transaction of a client retries its lost races: the callback is run again from the
 * start in a new transaction, so it must do nothing outside the database that it can't do twice — the
 * outbox (ADR 005) is how work leaves a transaction.
 */
function retryingConflicts(db: PrismaClient): PrismaClient {
  const transaction = db.$transaction.bind(db) as (arg: unknown, opts?: unknown) => Promise<unknown>;
  Object.defineProperty(db, "$transaction", {
    value: (arg: unknown, opts?: unknown) =>
      typeof arg === "function" ? withConflictRetry(() => transaction(arg, opts)) : transaction(arg, opts),
  });
  return db;
}

/** The request path's client: role avtomektep_app, held to row-level security. */
export function appDb(): PrismaClient {
  return (app ??= client(config().appDatabaseUrl, "app"));
}

/**
 * The operator console's and the jobs' client: role avtomektep_operator, which crosses tenants
 * through policies written for it. Never used by a school request.
 */
export function operatorDb(): PrismaClient {
  return (operator ??= client(config().operatorDatabaseUrl, "operator"));
}

/**
 * The reports' client (XLSX registers, the dashboard): REPORTS_DATABASE_URL, typically a read replica with
 * the app role, so heavy reads leave the primary alone. Unset, it is the request path's own client.
 * Used only through `inReportScope`.
 */
export function reportsDb(): PrismaClient {
  return reportsOnReplica() ? (reports ??= client(config().reportsDatabaseUrl, "reports")) : appDb();
}

/** Whether REPORTS_DATABASE_URL names another database than the request path's. */
export function reportsOnReplica(): boolean {
  return config().reportsDatabaseUrl !== config().appDatabaseUrl;
}

export async function disconnectDb(): Promise<void> {
  await Promise.all([app?.$disconnect(), operator?.$disconnect(), reports?.$disconnect()]);
  app = operator = reports = undefined;
  forgetPools();
}

type Scope = {
  schoolId?: string | null;
  userId?: string | null;
  inviteTokenHash?: string | null;
  traineeId?: string | null;
};

/**
 * A value written into a statement's text as a quoted SQL literal (pg's own quoting, safe for any text). Only for
 * a transaction's first statement, so that it has no parameters and leaves with the BEGIN in one round trip
 * (server/db/pools.ts, ADR 044); everything else takes parameters.
 */
export const sqlLiteral = (value: string): string => pg.escapeLiteral(value);

async function setScope(tx: Tx, scope: Scope): Promise<void> {
  // set_config(..., true) is transaction-local: nothing leaks to the next user of the connection.
  await tx.$executeRawUnsafe(`SELECT set_config('app.school_id', ${sqlLiteral(scope.schoolId ?? "")}, true),
                                     set_config('app.user_id', ${sqlLiteral(scope.userId ?? "")}, true),
                                     set_config('app.invite_token_hash', ${sqlLiteral(scope.inviteTokenHash ?? "")}, true),
                                     set_config('app.trainee_id', ${sqlLiteral(scope.traineeId ?? "")}, true)`);
}

/**
 * Runs `fn` in one transaction of the app role with the tenant (and user) set for RLS. `null` leaves the
 * setting to `fn` (the school procedure sets it together with its membership check).
 */
export function inScope<T>(scope: Scope | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return appDb().$transaction(
    async (tx) => {
      if (scope) await setScope(tx, scope);
      return fn(tx);
    },
    { timeout: 20_000, maxWait: 10_000 },
  );
}

/**
 * Runs a report: one READ ONLY transaction on the reports client with the same RLS scope as `inScope`
 * (`null`: `fn` sets it). On a replica the rows may be a few seconds old; nothing can be written through
 * it, wherever it points.
 */
export function inReportScope<T>(scope: Scope | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return reportsDb().$transaction(
    async (tx) => {
      // Must be the transaction's first statement.
      await tx.$executeRawUnsafe("SET TRANSACTION READ ONLY");
      if (scope) await setScope(tx, scope);
      return fn(tx);
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** Changes the tenant of an open transaction (sign-up creates the school, then works inside it). */
export function switchScope(tx: Tx, scope: Scope): Promise<void> {
  return setScope(tx, scope);
}
