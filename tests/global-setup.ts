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

async function oneRunAtATime<T>(serverUrl: string, work: () => Promise<T>): Promise<T> {
  const lock = new pg.Client({ connectionString: serverUrl });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext('avtomektep test roles'))");
    return await work();
  } finally {
    await lock.end(); // ends the session, which releases the lock
  }
}

export default async function setup(project: TestProject) {
  const services = await ensureServices();
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  const template = `am_t_${runId}_tpl`;
  // Everything below, and every test database, runs as a managed-PostgreSQL-style owner (tests/managed-owner.ts).
  // Two runs at once on one server (two developers, a helper's subset) would both ALTER the shared roles and
  // one would fail with "tuple concurrently updated": the role work is serialised by an advisory lock.
  const ownerUrl = await oneRunAtATime(services.databaseUrl, async () => {
    const url = await managedOwnerUrl(services.databaseUrl);
    await migrate(withDatabase(url, template), TEST_PASSWORDS);
    return url;
  });
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
