import { z } from "zod";

// Every environment variable the system reads, in one place (the README lists them).
const Env = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url(),
  APP_DATABASE_URL: z.string().url().optional(),
  OPERATOR_DATABASE_URL: z.string().url().optional(),
  DB_APP_PASSWORD: z.string().default("avtomektep_app_dev"),
  DB_OPERATOR_PASSWORD: z.string().default("avtomektep_operator_dev"),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /**
   * `on`: each parameterised statement is prepared once per connection under a name and PostgreSQL keeps its plan
   * (ADR 044). `off` behind a pooler that can't carry named statements: PgBouncer before 1.21, or later without
   * max_prepared_statements, in transaction mode.
   */
  DB_PREPARED_STATEMENTS: z.enum(["on", "off"]).default("on"),
  /** Reports (XLSX registers, the dashboard) read here, e.g. a read replica; unset → the app role's URL */
  REPORTS_DATABASE_URL: z.string().url().optional(),
  /** A session connection (straight to PostgreSQL, not a transaction-mode pooler) for the outbox relay's LISTEN; unset → the operator URL */
  LISTEN_DATABASE_URL: z.string().url().optional(),
  /** `db:backup`/`db:restore`: the bin directory of the pg_dump/pg_restore to use; unset → the one that fits the server (server/db/backup.ts) */
  PG_BIN_DIR: z.string().optional(),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  REDIS_PREFIX: z.string().default("am"),
  /** `host:port,host:port,…` (or `rediss://user:pass@host:port,…`) of a Redis Cluster; set → used instead of REDIS_URL */
  REDIS_CLUSTER_NODES: z.string().optional(),
  PORT: z.coerce.number().int().default(3000),
  /** web processes sharing PORT (node:cluster, docs/decisions/052): one renders on one core; set it to the cores the web may use */
  WEB_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /** where the web server listens; unset → 127.0.0.1 in development (the dev tools stay on this machine), 0.0.0.0 in production */
  HOST: z.string().min(1).optional(),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z.string().default("smtp://127.0.0.1:2525"),
  MAIL_FROM: z.string().default("Avtomektep <no-reply@avtomektep.kz>"),
  MAIL_SINK_URL: z.string().optional(),
  SMS_GATEWAY_URL: z.string().optional(),
  SMS_API_KEY: z.string().optional(),
  OPERATOR_ALERT_EMAIL: z.string().default("info@avtomektep.kz"),
  LOG_LEVEL: z.string().default("info"),
  /** API calls per minute per signed-in user and per IP (offer 4.3.8); 0 turns the limit off */
  API_RATE_PER_USER: z.coerce.number().int().min(0).default(1200),
  API_RATE_PER_IP: z.coerce.number().int().min(0).default(3000),
  /**
   * requests a minute one address may make to the Kaspi endpoint /pay/kaspi/* (ADR 038): Kaspi's few servers carry
   * every payer's check, pay and retries, so generous — yet a flood of junk stays bounded; 0 turns the limit off
   */
  KASPI_RATE_PER_IP: z.coerce.number().int().min(0).default(600),
  /** failed sign-ins an account may take a day from all addresses together before unknown addresses wait (docs/decisions/024) */
  LOGIN_FAILURES_PER_DAY: z.coerce.number().int().min(1).default(100),
  /** how long a job's lock lasts; a killed worker's job is retried after it */
  JOB_LOCK_MS: z.coerce.number().int().positive().default(30_000),
  /** Bearer token for /metrics (docs/decisions/022); unset → /metrics only to loopback, and off in production */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** the worker serves /metrics, /healthz and /readyz on this port; unset → it serves none */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** how long /metrics reuses queue depths and the outbox lag it read (a scrape storm can't hammer Redis) */
  METRICS_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
  /** how long /readyz waits for PostgreSQL and Redis before calling them not ready */
  READYZ_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
  // Read by server/billing/stripe.ts (listed here for the README): unset → the local Stripe stand-in.
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_API_BASE: z.string().optional(),
  /** the local Kaspi stand-in `npm start` runs (dev/kaspi/); the billing page links to it outside production */
  KASPI_STANDIN_URL: z.string().url().optional(),
});

export type Config = z.infer<typeof Env> & {
  appDatabaseUrl: string;
  operatorDatabaseUrl: string;
  reportsDatabaseUrl: string;
  listenDatabaseUrl: string;
  publicUrl: string;
  secureCookies: boolean;
};

export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let cached: Config | undefined;

export function config(): Config {
  if (cached) return cached;
  const env = Env.parse(process.env);
  const appDatabaseUrl =
    env.APP_DATABASE_URL ?? withCredentials(env.DATABASE_URL, "avtomektep_app", env.DB_APP_PASSWORD);
  cached = {
    ...env,
    appDatabaseUrl,
    operatorDatabaseUrl:
      env.OPERATOR_DATABASE_URL ?? withCredentials(env.DATABASE_URL, "avtomektep_operator", env.DB_OPERATOR_PASSWORD),
    reportsDatabaseUrl: env.REPORTS_DATABASE_URL ?? appDatabaseUrl,
    listenDatabaseUrl:
      env.LISTEN_DATABASE_URL ??
      env.OPERATOR_DATABASE_URL ??
      withCredentials(env.DATABASE_URL, "avtomektep_operator", env.DB_OPERATOR_PASSWORD),
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    secureCookies: env.NODE_ENV === "production" && !(env.PUBLIC_URL ?? "").startsWith("http://"),
  };
  return cached;
}

/** Tests change the environment per worker; they call this after doing so. */
export function resetConfig(): void {
  cached = undefined;
}
