// Puts a PgBouncer in transaction pooling mode between the app and this test file's database: imported FIRST
// by a file in this folder, its hooks run after tests/setup.ts made the database and before the suite it wraps
// starts its web app, so APP_DATABASE_URL and OPERATOR_DATABASE_URL (every request, the console, the jobs)
// lead through the pooler. The owner's own connections (DATABASE_URL: test fixtures, row counts) stay direct.
// A wrapper is three lines — this import, the suite's import, `itWentThroughThePooler()` — so the suites
// themselves are not copied.
import { afterAll, beforeAll, expect, it } from "vitest";
import { config, resetConfig, withCredentials } from "../../../server/config.ts";
import { disconnectDb } from "../../../server/db/client.ts";
import { resetSessions } from "../../../server/auth/sessions.ts";
import { TEST_PASSWORDS } from "../../global-setup.ts";
import { testState } from "../../state.ts";
import { startPgBouncer, type PgBouncer } from "../pgbouncer.ts";

const ROLES = { avtomektep_app: TEST_PASSWORDS.app, avtomektep_operator: TEST_PASSWORDS.operator };
const VARS = ["APP_DATABASE_URL", "OPERATOR_DATABASE_URL", "DB_PREPARED_STATEMENTS"] as const;
const saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));

export const pooler: {
  bouncer?: PgBouncer;
  /** The operator role straight to PostgreSQL, bypassing the pooler (for a session that must stay one). */
  directOperatorUrl: string;
} = { directOperatorUrl: "" };

beforeAll(async () => {
  const direct = (role: keyof typeof ROLES) => withCredentials(testState.databaseUrl, role, ROLES[role]);
  const bouncer = await startPgBouncer({
    serverUrl: testState.databaseUrl,
    users: Object.entries(ROLES).map(([name, password]) => ({ name, password })),
  });
  pooler.bouncer = bouncer;
  pooler.directOperatorUrl = direct("avtomektep_operator");
  process.env.APP_DATABASE_URL = bouncer.through(direct("avtomektep_app"));
  process.env.OPERATOR_DATABASE_URL = bouncer.through(direct("avtomektep_operator"));
  // Debian's PgBouncer (1.18) can't carry named prepared statements in transaction mode (docs/scaling.md).
  process.env.DB_PREPARED_STATEMENTS = "off";
  resetConfig();
  resetSessions();
  await disconnectDb();
  expect(new URL(config().appDatabaseUrl).port).toBe(String(bouncer.port));
});

afterAll(async () => {
  // The app's pools first (PgBouncer going away under idle pooled clients is an error for them), then PgBouncer.
  await disconnectDb();
  for (const k of VARS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetConfig();
  resetSessions();
  await pooler.bouncer?.stop();
});

/** The wrapper's last test: the suite's transactions really went through PgBouncer, pooled per transaction. */
export function itWentThroughThePooler(): void {
  it("sent the suite's transactions through PgBouncer in transaction mode", async () => {
    const bouncer = pooler.bouncer!;
    const pools = await bouncer.show("POOLS");
    const users = pools.map((p) => String(p.user));
    expect(users).toContain("avtomektep_app"); // every request; the console and fixtures add the operator's
    expect(users.every((u) => u in ROLES)).toBe(true);
    expect(new Set(pools.map((p) => p.pool_mode))).toEqual(new Set(["transaction"]));
    const [stats] = await bouncer.show("STATS");
    expect(Number(stats!.total_xact_count)).toBeGreaterThan(0);
  });
}
