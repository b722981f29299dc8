// Once per `npm test`: find or start PostgreSQL and Redis the way `npm start` does, take a managed-style
// owner role (tests/managed-owner.ts), migrate as it a template database for this run, and hand its name
// to the test files (each clones its own copy, so the developer's `avtomektep` database is never
// touched). Dropped again at the end.
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureServices } from "../server/cli/services.ts";
import { withDatabase } from "../server/config.ts";
import { migrate } from "../server/db/migrate.ts";
import { managedOwnerUrl } from "./managed-owner.ts";

export const TEST_PASSWORDS = { app: "avtomektep_app_dev", operator: "avtomektep_operator_dev" };

declare module "vitest" {
  export interface ProvidedContext {
    serverUrl: string;
    redisUrl: string;
    runId: string;
  }
}

export default async function setup(project: TestProject) {
  const services = await ensureServices();
  // Everything below, and every test database, runs as a managed-PostgreSQL-style owner (tests/managed-owner.ts).
  const ownerUrl = await managedOwnerUrl(services.databaseUrl);
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  const template = `am_t_${runId}_tpl`;
  await migrate(withDatabase(ownerUrl, template), TEST_PASSWORDS);
  project.provide("serverUrl", ownerUrl);
  project.provide("redisUrl", services.redisUrl);
  project.provide("runId", runId);

  return async () => {
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname DESC",
      [`am_t_${runId}_%`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
    }
    await client.end();
    await services.stop();
  };
}
