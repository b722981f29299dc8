// The database as the cabinet's trainee role sees it: a connection of the app's role switched to
// avtomektep_trainee for one school and trainee, for tests of what RLS and the grants let through.
import pg from "pg";
import { config } from "../server/config.ts";

/**
 * Runs `body` in a transaction as the trainee role with the school, the trainee (and, where given, the user)
 * set; the transaction is rolled back after a body that succeeds, and the connection closed in any case.
 */
export async function asTraineeRole(
  who: { schoolId: string; traineeId: string; userId?: string },
  body: (c: pg.Client) => Promise<void>,
) {
  const c = new pg.Client({ connectionString: config().appDatabaseUrl });
  await c.connect();
  try {
    await c.query("BEGIN");
    if (who.userId)
      await c.query(
        "SELECT set_config('app.school_id', $1, true), set_config('app.trainee_id', $2, true), set_config('app.user_id', $3, true)",
        [who.schoolId, who.traineeId, who.userId],
      );
    else
      await c.query("SELECT set_config('app.school_id', $1, true), set_config('app.trainee_id', $2, true)", [
        who.schoolId,
        who.traineeId,
      ]);
    await c.query("SET LOCAL ROLE avtomektep_trainee");
    await body(c);
    await c.query("ROLLBACK");
  } finally {
    await c.end();
  }
}

/**
 * Each statement is refused with its error (by default "permission denied"); each refusal aborts the
 * statement only: a savepoint before each keeps the transaction going.
 */
export async function expectRefused(
  c: pg.Client,
  statements: (string | [sql: string, params: unknown[], error: RegExp])[],
  error: RegExp = /permission denied/,
) {
  for (const s of statements) {
    const [sql, params, refusal] = typeof s === "string" ? [s, [], error] : s;
    await c.query("SAVEPOINT s");
    await expect(params.length ? c.query(sql, params) : c.query(sql), sql).rejects.toThrow(refusal);
    await c.query("ROLLBACK TO SAVEPOINT s");
  }
}
