// What lets a managed-PostgreSQL owner back the database up (docs/decisions/020-backups-and-restore.md): the role
// avtomektep_backup reads every row of every table — but only in a session that has become it — and a table a
// migration forgot to cover stops the backup instead of being dumped empty.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { config, withCredentials } from "../../server/config.ts";
import { BACKUP_ROLE, backupDatabase, backupGaps, resolvePgTool } from "../../server/db/backup.ts";
import { migrate } from "../../server/db/migrate.ts";
import { TEST_PASSWORDS } from "../global-setup.ts";
import { createSchool, traineeInput } from "../factories.ts";
import { testState } from "../state.ts";
import { withClient } from "../pg.ts";

const owner = <T>(fn: (c: pg.Client) => Promise<T>) => withClient(testState.databaseUrl, fn);
const count = async (c: pg.Client, table: string) =>
  (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "am-backup-access-"));
  for (const lastName of ["Әбенов", "Бекова"]) {
    const s = await createSchool();
    await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName }) });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the backup role", () => {
  it("covers every table of the migrated schema: readable, and RLS tables open to it by a policy", async () => {
    await owner(async (c) => {
      expect(await backupGaps(c)).toEqual([]);
      const { rows } = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_policy p JOIN pg_class t ON t.oid = p.polrelid
          WHERE p.polname = 'backup_read' AND t.relnamespace = 'public'::regnamespace AND t.relrowsecurity`,
      );
      // every RLS table (tests/rls.test.ts: at least the tenant tables) has exactly one
      const rls = await c.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relrowsecurity",
      );
      expect(rows[0]!.n).toBe(rls.rows[0]!.n);
      expect(rls.rows[0]!.n).toBeGreaterThan(30);
    });
  });

  it("opens every school's rows only to a session that has become it; the owner's own sessions still see none", async () => {
    await owner(async (c) => {
      const me = (
        await c.query<{ member: boolean }>("SELECT pg_has_role(current_user, $1, 'MEMBER') AS member", [BACKUP_ROLE])
      ).rows[0]!;
      expect(me.member).toBe(true);
      expect(await count(c, "trainee")).toBe(0);
      await c.query(`SET ROLE ${BACKUP_ROLE}`);
      expect(await count(c, "trainee")).toBe(2);
      expect(await count(c, "school")).toBe(2);
      // read-only
      await expect(c.query("UPDATE trainee SET last_name = 'X'")).rejects.toThrow(/permission denied/);
      await expect(c.query("DELETE FROM audit_log")).rejects.toThrow(/permission denied/);
      await c.query("RESET ROLE");
      expect(await count(c, "trainee")).toBe(0);
    });
  });

  it("cannot be taken up by the app or operator role", async () => {
    for (const url of [config().appDatabaseUrl, config().operatorDatabaseUrl]) {
      await withClient(url, async (c) => {
        await expect(c.query(`SET ROLE ${BACKUP_ROLE}`)).rejects.toThrow(/permission denied/);
        expect(await count(c, "trainee")).toBe(url === config().appDatabaseUrl ? 0 : 2);
      });
    }
  });
});

describe("npm run db:backup", () => {
  it("refuses a table a migration left uncovered, naming it and writing no file, and grant_backup_access() covers it", async () => {
    await owner((c) =>
      c.query(`CREATE TABLE backup_probe (id int PRIMARY KEY, school_id uuid NOT NULL);
               INSERT INTO backup_probe VALUES (1, gen_random_uuid());
               ALTER TABLE backup_probe ENABLE ROW LEVEL SECURITY; ALTER TABLE backup_probe FORCE ROW LEVEL SECURITY;`),
    );
    const out = path.join(dir, "probe.dump");
    const refused = await backupDatabase(testState.databaseUrl, out).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/refusing to write a backup that would miss rows/);
    expect(refused).toContain("backup_probe: not readable by avtomektep_backup");
    expect(refused).toContain("backup_probe: row-level security without a policy for avtomektep_backup");
    expect(readdirSync(dir)).toEqual([]);

    await owner((c) => c.query("SELECT grant_backup_access()"));
    const r = await backupDatabase(testState.databaseUrl, out);
    expect(r.tables).toBeGreaterThan(30);
    expect(existsSync(out)).toBe(true);
    // every school's personal data: readable by its owner alone
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["probe.dump"]);
    await owner((c) => c.query("DROP TABLE backup_probe"));
  });

  it("covers a table whose migration dbmate applied after the backup role's (written earlier, landed later): db:migrate opens it", async () => {
    await owner((c) =>
      c.query(`CREATE TABLE backup_late (id int PRIMARY KEY, school_id uuid NOT NULL);
               ALTER TABLE backup_late ENABLE ROW LEVEL SECURITY; ALTER TABLE backup_late FORCE ROW LEVEL SECURITY;`),
    );
    expect((await owner(backupGaps)).join("\n")).toContain("backup_late");
    await migrate(testState.databaseUrl, TEST_PASSWORDS);
    expect(await owner(backupGaps)).toEqual([]);
    await owner((c) => c.query("DROP TABLE backup_late"));
  });

  it("runs as a dedicated backup login the DBA gave the role to (LOGIN, member of avtomektep_backup, nothing else)", async () => {
    const login = `am_backup_login_${randomBytes(4).toString("hex")}`;
    const password = randomBytes(12).toString("hex");
    await owner((c) => c.query(`CREATE ROLE ${login} LOGIN PASSWORD '${password}' IN ROLE ${BACKUP_ROLE}`));
    try {
      const out = path.join(dir, "login.dump");
      await backupDatabase(withCredentials(testState.databaseUrl, login, password), out);
      // Every school's trainees are in it.
      const major = await owner(async (c) =>
        Math.floor(Number((await c.query("SHOW server_version_num")).rows[0].server_version_num) / 10000),
      );
      const sql = await new Promise<string>((resolve, reject) =>
        execFile(
          resolvePgTool("pg_restore", major).path,
          ["--data-only", "--table=trainee", "--file=-", out],
          (err, stdout) => (err ? reject(err) : resolve(stdout)),
        ),
      );
      expect(sql).toContain("Әбенов");
      expect(sql).toContain("Бекова");
    } finally {
      await owner((c) => c.query(`DROP ROLE ${login}`));
    }
  });
});
