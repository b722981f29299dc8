import pg from "pg";
import { migrate } from "../server/db/migrate.ts";
import { testState } from "./state.ts";
import { TEST_PASSWORDS } from "./global-setup.ts";

it("applying the migrations to an already migrated database changes nothing and keeps the data", async () => {
  const c = new pg.Client({ connectionString: testState.databaseUrl });
  await c.connect();
  const before = (await c.query("SELECT version FROM schema_migrations ORDER BY version")).rows;
  expect(before.length).toBeGreaterThan(0);
  await c.query("INSERT INTO platform_setting (key, value) VALUES ('probe', '1')");
  await migrate(testState.databaseUrl, TEST_PASSWORDS);
  expect((await c.query("SELECT version FROM schema_migrations ORDER BY version")).rows).toEqual(before);
  expect((await c.query("SELECT value FROM platform_setting WHERE key = 'probe'")).rows).toEqual([{ value: 1 }]);
  await c.end();
});
