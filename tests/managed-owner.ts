// The suite runs the way production runs on managed PostgreSQL (RDS, Cloud SQL, Azure): the role that owns
// the database and runs the migrations is neither superuser nor BYPASSRLS; it has CREATEDB, CREATEROLE and
// pg_signal_backend, and nothing else. Given a superuser (a developer's local server, the embedded one), the
// test run creates such a role and does everything as it; given a non-superuser, it uses that role as it is.
import pg from "pg";
import { withCredentials } from "../server/config.ts";

export const TEST_OWNER = { user: "avtomektep_test_owner", password: "avtomektep_test_owner_dev" };

/** The roles the migrations create; on PostgreSQL 16+ a CREATEROLE owner needs ADMIN on roles made by someone else. */
const APP_ROLES = [
  "avtomektep_app",
  "avtomektep_operator",
  "avtomektep_trainee",
  "avtomektep_definer",
  "avtomektep_backup",
];

export async function managedOwnerUrl(serverUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean; version: number }>(
      "SELECT rolsuper, rolbypassrls, current_setting('server_version_num')::int AS version FROM pg_roles WHERE rolname = current_user",
    );
    const me = rows[0]!;
    if (!me.rolsuper) {
      if (me.rolbypassrls)
        throw new Error(
          "DATABASE_URL's role may bypass row-level security; the tests need one that may not (docs/operations.md)",
        );
      return serverUrl;
    }
    const { user, password } = TEST_OWNER;
    const exists = (await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [user])).rowCount === 1;
    // Exactly the managed owner's rights, re-asserted each run in case someone changed the role.
    const attrs = `LOGIN PASSWORD ${client.escapeLiteral(password)} NOSUPERUSER NOBYPASSRLS NOREPLICATION CREATEDB CREATEROLE INHERIT`;
    await client.query(exists ? `ALTER ROLE ${user} ${attrs}` : `CREATE ROLE ${user} ${attrs}`);
    await client.query(`GRANT pg_signal_backend TO ${user}`);
    if (me.version >= 160000) {
      // Roles left by an earlier run as another owner: what a DBA would hand over, administration only.
      const { rows: existing } = await client.query<{ rolname: string }>(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY($1)",
        [APP_ROLES],
      );
      for (const { rolname } of existing)
        await client.query(`GRANT ${rolname} TO ${user} WITH ADMIN TRUE, INHERIT FALSE, SET FALSE`);
    }
    return withCredentials(serverUrl, user, password);
  } finally {
    await client.end();
  }
}
