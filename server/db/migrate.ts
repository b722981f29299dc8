// Applies the SQL migrations in prisma/migrations with dbmate (docs/decisions/001-migrations-with-dbmate.md)
// and gives the app roles their login passwords. Safe to run on a fresh or an already migrated database.
import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { resolveBinary } from "dbmate";
import { projectRoot } from "../root.ts";

const root = projectRoot;
export const migrationsDir = path.join(root, "prisma/migrations");

function dbmateUrl(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has("sslmode") && ["127.0.0.1", "localhost", "::1"].includes(u.hostname)) {
    u.searchParams.set("sslmode", "disable");
  }
  // dbmate's driver passes it on: the migration's sessions are named in pg_stat_activity (and its lock waits).
  if (!u.searchParams.has("application_name")) u.searchParams.set("application_name", "am-migrate");
  return u.toString();
}

export async function runDbmate(url: string, args: string[]): Promise<void> {
  const bin = resolveBinary();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      bin,
      ["--url", dbmateUrl(url), "--migrations-dir", migrationsDir, "--no-dump-schema", ...args],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`dbmate ${args.join(" ")} failed:\n${out}`)),
    );
  });
}

/** Creates the database when missing (dbmate does), applies pending migrations, enables the app roles' logins. */
export async function migrate(ownerUrl: string, passwords: { app: string; operator: string }): Promise<void> {
  await runDbmate(ownerUrl, ["--wait", "--wait-timeout", "20s", "up"]);
  await setRolePasswords(ownerUrl, passwords);
  await coverForBackup(ownerUrl);
}

/**
 * Opens every table to the backup role (ADR 020) after each migration run. Each table-creating migration calls
 * grant_backup_access() itself, but dbmate also applies a migration written earlier than the last one applied
 * (two branches landing), and such a table would otherwise be missed; the function is idempotent.
 */
async function coverForBackup(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: "am-migrate" });
  await client.connect();
  try {
    const { rows } = await client.query<{ present: boolean }>(
      "SELECT to_regprocedure('grant_backup_access()') IS NOT NULL AS present",
    );
    if (rows[0]?.present) await client.query("SELECT grant_backup_access()");
  } finally {
    await client.end();
  }
}

export async function setRolePasswords(ownerUrl: string, passwords: { app: string; operator: string }): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: "am-migrate" });
  await client.connect();
  try {
    // Roles are cluster-wide: several databases (dev, test runs) share them. Passwords come from the environment.
    const lit = (s: string) => client.escapeLiteral(s);
    await client.query(`ALTER ROLE avtomektep_app LOGIN PASSWORD ${lit(passwords.app)}`);
    await client.query(`ALTER ROLE avtomektep_operator LOGIN PASSWORD ${lit(passwords.operator)}`);
  } finally {
    await client.end();
  }
}
