// A fresh, migrated database for one benchmark on the services `npm start` would use, with the
// environment pointed at it (the config is re-read).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { ensureServices } from "../../server/cli/services.ts";
import { resetConfig, withDatabase } from "../../server/config.ts";
import { migrate } from "../../server/db/migrate.ts";

export async function benchDatabase(dbName: string, env: Record<string, string> = {}) {
  const services = await ensureServices();
  const admin = new pg.Client({ connectionString: services.databaseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  const url = withDatabase(services.databaseUrl, dbName);
  await migrate(url, { app: "avtomektep_app_dev", operator: "avtomektep_operator_dev" });
  Object.assign(process.env, {
    DATABASE_URL: url,
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: `ambench-${randomUUID().slice(0, 6)}`,
    LOG_LEVEL: "warn",
    API_RATE_PER_USER: "0",
    API_RATE_PER_IP: "0",
    ...env,
  });
  resetConfig();
  return { url, services };
}
