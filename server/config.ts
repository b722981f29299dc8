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
  /** Reports (XLSX registers, the dashboard) read here, e.g. a read replica; unset → the app role's URL */
  REPORTS_DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  REDIS_PREFIX: z.string().default("am"),
  /** `host:port,host:port,…` (or `rediss://user:pass@host:port,…`) of a Redis Cluster; set → used instead of REDIS_URL */
  REDIS_CLUSTER_NODES: z.string().optional(),
  PORT: z.coerce.number().int().default(3000),
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
  /** how long a job's lock lasts; a killed worker's job is retried after it */
  JOB_LOCK_MS: z.coerce.number().int().positive().default(30_000),
  // Read by server/billing/stripe.ts (listed here for the README): unset → the local Stripe stand-in.
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_API_BASE: z.string().optional(),
});

export type Config = z.infer<typeof Env> & {
  appDatabaseUrl: string;
  operatorDatabaseUrl: string;
  reportsDatabaseUrl: string;
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
  const appDatabaseUrl = env.APP_DATABASE_URL ?? withCredentials(env.DATABASE_URL, "avtomektep_app", env.DB_APP_PASSWORD);
  cached = {
    ...env,
    appDatabaseUrl,
    operatorDatabaseUrl:
      env.OPERATOR_DATABASE_URL ?? withCredentials(env.DATABASE_URL, "avtomektep_operator", env.DB_OPERATOR_PASSWORD),
    reportsDatabaseUrl: env.REPORTS_DATABASE_URL ?? appDatabaseUrl,
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    secureCookies: env.NODE_ENV === "production" && !(env.PUBLIC_URL ?? "").startsWith("http://"),
  };
  return cached;
}

/** Tests change the environment per worker; they call this after doing so. */
export function resetConfig(): void {
  cached = undefined;
}
