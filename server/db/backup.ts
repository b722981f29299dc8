// `npm run db:backup` / `npm run db:restore`: PostgreSQL's own pg_dump and pg_restore (custom format), run as the
// owner of a managed PostgreSQL — no superuser, no BYPASSRLS (docs/decisions/020-backups-and-restore.md,
// docs/operations.md).
//
// Backup: pg_dump becomes avtomektep_backup (--role) and keeps row security on (--enable-row-security); that
// role's `backup_read` policies open every row to it alone. Before dumping, every table is checked to be covered:
// a table the role cannot read, or an RLS table without its policy, would otherwise be dumped EMPTY, silently.
//
// Restore, into a new database: pg_dump puts `FORCE ROW LEVEL SECURITY` in the table's definition (pre-data) but
// `ENABLE ROW LEVEL SECURITY`, the policies, the triggers (the append-only ones included) and the foreign keys
// after the data (post-data), so the owner's COPY runs before any RLS or trigger applies. FORCE is lifted from
// pre-data to the end all the same: a parallel restore may add a foreign key after its table's RLS is enabled,
// and the key's check query would then be refused under forced RLS. Objects are
// restored as the restoring role (--no-owner: a managed service's owner may have another name in another
// cluster); those the dump gave to one of the project's own roles (the SECURITY DEFINER functions of
// avtomektep_definer) are given back to it. Roles are cluster-wide and not in a dump: when one is missing, the
// release's migrations run on a scratch database first, which creates every role and membership exactly as they
// do, and the scratch database is dropped. A failed restore drops the half-made database.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { withDatabase } from "../config.ts";
import { migrationsDir, runDbmate, setRolePasswords } from "./migrate.ts";

export const BACKUP_ROLE = "avtomektep_backup";

/** An operator's mistake or a failed tool: the CLI prints the message, no stack. */
export class BackupError extends Error {
  override name = "BackupError";
}

// ---------------------------------------------------------------------------------------------------------------
// Which pg_dump / pg_restore

/** PostgreSQL's client programs the system runs (pgbench: `npm run bench`'s database ceiling). */
export type PgTool = "pg_dump" | "pg_restore" | "pgbench";
export type ToolCandidate = { path: string; major: number };

/**
 * The client for a server of major version `serverMajor`: the same major when there is one, else the oldest newer
 * one. pg_dump refuses a server newer than itself ("aborting because of server version mismatch"), and a newer
 * client writes SQL an older server may not take, so an older client is never chosen.
 */
export function pickPgTool(tool: PgTool, candidates: ToolCandidate[], serverMajor: number): ToolCandidate {
  const fit = candidates.filter((c) => c.major >= serverMajor).sort((a, b) => a.major - b.major);
  const chosen = fit.find((c) => c.major === serverMajor) ?? fit[0];
  if (chosen) return chosen;
  const found = candidates.length
    ? `only ${[...new Set(candidates.map((c) => c.major))].sort().join(", ")} found`
    : "none found";
  throw new BackupError(
    `${tool} ${serverMajor} or newer is needed for PostgreSQL ${serverMajor} (${found}): install postgresql-client-${serverMajor} ` +
      `(Debian/Ubuntu: apt-get install postgresql-client-${serverMajor} from apt.postgresql.org), or set PG_BIN_DIR to its bin directory`,
  );
}

function toolVersion(file: string): number | null {
  try {
    accessSync(file, constants.X_OK);
  } catch {
    return null;
  }
  const r = spawnSyncText(file, ["--version"]);
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(r ?? "");
  return m ? Number(m[1]) : null;
}

function spawnSyncText(file: string, args: string[]): string | null {
  const r = spawnSync(file, args, { encoding: "utf8", timeout: 10_000 });
  return r.status === 0 ? r.stdout : null;
}

/** Every pg_dump / pg_restore this machine has: PG_BIN_DIR alone when set, else Debian's versioned dirs and PATH. */
export function findPgTools(tool: PgTool, binDir = process.env.PG_BIN_DIR): ToolCandidate[] {
  const files: string[] = [];
  if (binDir) {
    files.push(path.join(binDir, tool));
  } else {
    for (const base of ["/usr/lib/postgresql", "/usr/local/lib/postgresql"]) {
      if (!existsSync(base)) continue;
      for (const v of readdirSync(base)) files.push(path.join(base, v, "bin", tool));
    }
    for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) files.push(path.join(dir, tool));
  }
  const out: ToolCandidate[] = [];
  for (const file of files) {
    if (!existsSync(file) || out.some((c) => c.path === file)) continue;
    const major = toolVersion(file);
    if (major !== null && !out.some((c) => c.major === major)) out.push({ path: file, major });
  }
  return out;
}

export function resolvePgTool(tool: PgTool, serverMajor: number): ToolCandidate {
  return pickPgTool(tool, findPgTools(tool), serverMajor);
}

// ---------------------------------------------------------------------------------------------------------------
// Running them

/** Prisma-only URL parameters libpq rejects. */
const NOT_LIBPQ = [
  "schema",
  "connection_limit",
  "pool_timeout",
  "pgbouncer",
  "socket_timeout",
  "statement_cache_size",
  "sslaccept",
];

/** A libpq connection URI without the password (kept out of the process list) and the environment carrying it. */
export function libpqConnection(url: string): { uri: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  for (const p of NOT_LIBPQ) u.searchParams.delete(p);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGPASSWORD: password || process.env.PGPASSWORD,
    PGAPPNAME: "am-backup",
  };
  if (!password) delete env.PGPASSWORD;
  return { uri: u.toString(), env };
}

async function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", (e) => reject(new BackupError(`${path.basename(file)} could not start: ${e.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else
        reject(
          new BackupError(
            `${path.basename(file)} failed (exit ${code}):\n${err.trim().split("\n").slice(-8).join("\n")}`,
          ),
        );
    });
  });
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, application_name: "am-backup" });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function serverMajor(c: pg.Client): Promise<number> {
  const { rows } = await c.query<{ v: number }>("SELECT current_setting('server_version_num')::int AS v");
  return Math.floor(rows[0]!.v / 10000);
}

// ---------------------------------------------------------------------------------------------------------------
// Backup

/**
 * What would keep a backup from being whole: tables and sequences avtomektep_backup cannot read, RLS tables
 * without a permissive policy that lets it read, and restrictive policies that would hide rows from it.
 */
export async function backupGaps(c: pg.Client): Promise<string[]> {
  const { rows } = await c.query<{ relname: string; gap: string }>(
    `SELECT c.relname, gap FROM pg_class c
       CROSS JOIN LATERAL (VALUES
         (CASE WHEN NOT has_table_privilege($1, c.oid, 'SELECT') THEN 'not readable by ' || $1 END),
         (CASE WHEN c.relrowsecurity AND NOT EXISTS (
                 SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polpermissive AND p.polcmd IN ('r', '*')
                    AND $1::regrole = ANY (p.polroles))
               THEN 'row-level security without a policy for ' || $1 END),
         (CASE WHEN c.relrowsecurity AND EXISTS (
                 SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND NOT p.polpermissive AND p.polcmd IN ('r', '*')
                    AND ($1::regrole = ANY (p.polroles) OR 0::oid = ANY (p.polroles)))
               THEN 'a restrictive policy applies to ' || $1 END)) AS g(gap)
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'S', 'v', 'm') AND gap IS NOT NULL
      ORDER BY 1, 2`,
    [BACKUP_ROLE],
  );
  return rows.map((r) => `${r.relname}: ${r.gap}`);
}

export type BackupResult = {
  file: string;
  bytes: number;
  ms: number;
  tables: number;
  serverMajor: number;
  pgDump: string;
};

/** Writes a custom-format dump of DATABASE_URL's database to `out` (0600; written beside it, then renamed). */
export async function backupDatabase(ownerUrl: string, out: string): Promise<BackupResult> {
  const t0 = Date.now();
  const major = await withClient(ownerUrl, async (c) => {
    const role = await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [BACKUP_ROLE]);
    if (role.rowCount === 0)
      throw new BackupError(`role ${BACKUP_ROLE} does not exist: run \`npm run db:migrate\` first`);
    const { rows } = await c.query<{ member: boolean; me: string }>(
      "SELECT pg_has_role(current_user, $1, 'MEMBER') AS member, current_user AS me",
      [BACKUP_ROLE],
    );
    if (!rows[0]!.member) {
      throw new BackupError(
        `${rows[0]!.me} is not a member of ${BACKUP_ROLE}: GRANT ${BACKUP_ROLE} TO ${rows[0]!.me}; (docs/operations.md)`,
      );
    }
    const gaps = await backupGaps(c);
    if (gaps.length) {
      throw new BackupError(
        `refusing to write a backup that would miss rows — not covered for ${BACKUP_ROLE}:\n  ${gaps.join("\n  ")}\n` +
          "a migration that creates a table ends with `SELECT grant_backup_access();`",
      );
    }
    return serverMajor(c);
  });
  const pgDump = resolvePgTool("pg_dump", major);
  const file = path.resolve(out);
  const partial = `${file}.partial-${randomBytes(3).toString("hex")}`;
  const { uri, env } = libpqConnection(ownerUrl);
  // The dump holds every school's personal data: readable by its owner only, from the first byte.
  await writeFile(partial, "", { mode: 0o600 });
  try {
    await run(
      pgDump.path,
      [
        "--format=custom",
        `--role=${BACKUP_ROLE}`,
        "--enable-row-security",
        "--no-password",
        `--file=${partial}`,
        `--dbname=${uri}`,
      ],
      env,
    );
    await chmod(partial, 0o600);
    await rename(partial, file);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
  const toc = await listArchive(file, major);
  return {
    file,
    bytes: (await stat(file)).size,
    ms: Date.now() - t0,
    tables: toc.tables,
    serverMajor: major,
    pgDump: pgDump.path,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Restore

type ArchiveInfo = { tables: number; dumpedBy: number | null; toc: string };

async function listArchive(
  file: string,
  major: number,
  pgRestore = resolvePgTool("pg_restore", major),
): Promise<ArchiveInfo> {
  const toc = await run(pgRestore.path, ["--list", file], process.env);
  const by = /Dumped by pg_dump version: (\d+)/.exec(toc);
  return {
    tables: toc.split("\n").filter((l) => / TABLE DATA /.test(l)).length,
    dumpedBy: by ? Number(by[1]) : null,
    toc,
  };
}

/** The roles the migrations create (cluster-wide, so never in a dump). */
export function migrationRoles(dir = migrationsDir): string[] {
  const roles = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".sql"))) {
    const up = readFileSync(path.join(dir, f), "utf8").split(/^-- migrate:down/m)[0]!;
    for (const m of up.matchAll(/CREATE ROLE\s+"?([a-z_][a-z0-9_]*)"?/gi)) roles.add(m[1]!.toLowerCase());
  }
  return [...roles].sort();
}

/** The `ALTER … OWNER TO role;` statements of the dump that give an object to one of `roles`. */
export function ownershipStatements(schemaSql: string, roles: string[]): Array<{ role: string; sql: string }> {
  const out: Array<{ role: string; sql: string }> = [];
  for (const line of schemaSql.split("\n")) {
    const m = /^ALTER .+ OWNER TO "?([a-z_][a-z0-9_]*)"?;$/.exec(line);
    if (m && roles.includes(m[1]!)) out.push({ role: m[1]!, sql: line });
  }
  return out;
}

export type RestoreResult = {
  database: string;
  url: string;
  ms: number;
  tables: number;
  rolesCreated: string[];
  /** migrations of this release the restored database has not had (run `npm run db:migrate` for them) */
  pendingMigrations: string[];
};

export const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Restores `from` into a NEW database `database` on DATABASE_URL's server, as DATABASE_URL's role.
 * `passwords` are given to avtomektep_app/operator only when this restore had to create them.
 */
export async function restoreDatabase(
  ownerUrl: string,
  from: string,
  database: string,
  opts: { passwords: { app: string; operator: string }; jobs?: number; log?: (line: string) => void },
): Promise<RestoreResult> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  if (!DATABASE_NAME.test(database))
    throw new BackupError(`database name ${JSON.stringify(database)}: lower-case letters, digits and _ only`);
  const file = path.resolve(from);
  if (!existsSync(file)) throw new BackupError(`no such backup file: ${file}`);
  const target = withDatabase(ownerUrl, database);

  const { major, missing } = await withClient(ownerUrl, async (c) => {
    if ((await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount) {
      throw new BackupError(
        `database ${database} already exists: restore into a new one (docs/operations.md says how to switch)`,
      );
    }
    const roles = migrationRoles();
    const { rows } = await c.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname = ANY ($1)", [
      roles,
    ]);
    return { major: await serverMajor(c), missing: roles.filter((r) => !rows.some((x) => x.rolname === r)) };
  });
  const pgRestore = resolvePgTool("pg_restore", major);
  const archive = await listArchive(file, major, pgRestore).catch((e: Error) => {
    throw new BackupError(`${file} is not a backup pg_restore ${pgRestore.major} can read: ${e.message}`);
  });
  if (archive.dumpedBy && archive.dumpedBy > pgRestore.major) {
    throw new BackupError(
      `${file} was written by pg_dump ${archive.dumpedBy}; pg_restore ${pgRestore.major} cannot read it (set PG_BIN_DIR to a newer one)`,
    );
  }

  if (missing.length) {
    // Another cluster: the release's own migrations create the roles and their memberships, on a scratch database.
    log(`creating the roles ${missing.join(", ")} with the migrations (on a scratch database)`);
    const scratch = withDatabase(ownerUrl, `am_restore_roles_${randomBytes(4).toString("hex")}`);
    try {
      await runDbmate(scratch, ["--wait", "--wait-timeout", "20s", "up"]);
      await setRolePasswords(scratch, opts.passwords);
    } catch (e) {
      throw new BackupError(
        `creating the roles ${missing.join(", ")} with the migrations failed (the owner needs CREATEROLE):\n${(e as Error).message}`,
      );
    } finally {
      await runDbmate(scratch, ["drop"]).catch(() => {});
    }
  }

  await withClient(ownerUrl, (c) => c.query(`CREATE DATABASE "${database}" TEMPLATE template0 ENCODING 'UTF8'`));
  try {
    const { uri, env } = libpqConnection(target);
    const jobs = Math.max(1, opts.jobs ?? Math.min(4, os.cpus().length));
    log(`restoring ${archive.tables} tables into ${database} (pg_restore ${pgRestore.major}, ${jobs} jobs)`);
    const args = ["--no-owner", "--exit-on-error", "--no-password", `--dbname=${uri}`];
    const phase = (name: string, since: number) => log(`${name}: ${((Date.now() - since) / 1000).toFixed(1)} s`);
    let t = Date.now();
    await run(pgRestore.path, [...args, "--section=pre-data", file], env);
    phase("tables, types, functions (pre-data)", t);
    // The tables now exist with FORCE ROW LEVEL SECURITY (part of their definition). Until the end the owner is
    // not held to RLS: post-data enables it table by table, and a foreign key added after that is checked by a
    // query that forced RLS would refuse (row_security is off in pg_restore's sessions).
    const forced = await withClient(target, async (c) => {
      const { rows } = await c.query<{ t: string }>(
        "SELECT oid::regclass::text AS t FROM pg_class WHERE relforcerowsecurity AND relnamespace = 'public'::regnamespace ORDER BY 1",
      );
      for (const { t } of rows) await c.query(`ALTER TABLE ${t} NO FORCE ROW LEVEL SECURITY`);
      return rows.map((r) => r.t);
    });
    t = Date.now();
    await run(pgRestore.path, [...args, `--jobs=${jobs}`, "--section=data", "--section=post-data", file], env);
    phase("rows, indexes, constraints, policies, triggers (data, post-data)", t);

    const roles = migrationRoles();
    const schemaSql = await run(pgRestore.path, ["--schema-only", "--file=-", file], process.env);
    const owned = ownershipStatements(schemaSql, roles);
    const pendingMigrations = await withClient(target, async (c) => {
      await giveBack(c, owned);
      for (const t of forced) await c.query(`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
      // Statistics are not in a dump; without them the first queries plan blind. (This schema's tables only:
      // the shared catalogs are the superuser's.)
      t = Date.now();
      const { rows } = await c.query<{ t: string | null }>(
        "SELECT string_agg(oid::regclass::text, ', ') AS t FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'm')",
      );
      if (rows[0]!.t) await c.query(`ANALYZE ${rows[0]!.t}`);
      phase("ANALYZE", t);
      const applied = new Set(
        (await c.query<{ version: string }>("SELECT version FROM schema_migrations")).rows.map((r) => r.version),
      );
      return readdirSync(migrationsDir)
        .filter((f) => f.endsWith(".sql"))
        .map((f) => f.split("_")[0]!)
        .filter((v) => !applied.has(v));
    });
    return {
      database,
      url: target,
      ms: Date.now() - t0,
      tables: archive.tables,
      rolesCreated: missing,
      pendingMigrations,
    };
  } catch (e) {
    // No half-restored database is left to be mistaken for a good one.
    await withClient(ownerUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)).catch(() => {});
    throw e;
  }
}

/** Gives objects back to the project role the dump had them owned by (what the migrations did when creating them). */
async function giveBack(c: pg.Client, owned: Array<{ role: string; sql: string }>): Promise<void> {
  if (owned.length === 0) return;
  await c.query("BEGIN");
  try {
    for (const role of new Set(owned.map((o) => o.role))) {
      const { rows } = await c.query<{ member: boolean; create: boolean }>(
        "SELECT pg_has_role(current_user, $1, 'MEMBER') AS member, has_schema_privilege($1, 'public', 'CREATE') AS create",
        [role],
      );
      // As the migration that gave it the objects: the owner may become the role, and the role may own objects here.
      if (!rows[0]!.member) await c.query(`GRANT "${role}" TO CURRENT_USER`);
      if (!rows[0]!.create) await c.query(`GRANT CREATE ON SCHEMA public TO "${role}"`);
      for (const o of owned.filter((x) => x.role === role)) await c.query(o.sql);
      if (!rows[0]!.create) await c.query(`REVOKE CREATE ON SCHEMA public FROM "${role}"`);
    }
    await c.query("COMMIT");
  } catch (e) {
    await c.query("ROLLBACK");
    throw e;
  }
}
