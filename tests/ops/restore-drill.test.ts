// The restore drill (docs/operations.md): demo data and a school's real work → `npm run db:backup` → `npm run
// db:restore` into a new database → every table holds the same rows, the journal's hash chain is intact, and a
// demo login signs in on the copy. Then the same backup into another cluster, under an owner of another name,
// where none of the project's roles exist yet. All as a managed-PostgreSQL-style owner, like the whole suite.
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { resetConfig, withCredentials } from "../../server/config.ts";
import { BACKUP_ROLE, restoreDatabase } from "../../server/db/backup.ts";
import { disconnectDb, operatorDb } from "../../server/db/client.ts";
import { migrate } from "../../server/db/migrate.ts";
import { DEMO_PASSWORD, demoId, seedDemo } from "../../server/db/seed.ts";
import { resetSessions } from "../../server/auth/sessions.ts";
import { createCaller } from "../../server/router.ts";
import { anonymousCaller, contextFor, createSchool, traineeInput, uniqueIin } from "../factories.ts";
import { TEST_PASSWORDS } from "../global-setup.ts";
import { testState } from "../state.ts";
import { withClient } from "../pg.ts";
import { startOwnCluster } from "./own-cluster.ts";

const root = path.resolve(import.meta.dirname, "../..");
const runId = inject("runId");
const ALMATY = demoId("school:demo-almaty");

/** Rows of every table, read as avtomektep_backup — the one path on which the owner may see every school's rows. */
async function rowCounts(url: string): Promise<Record<string, number>> {
  return withClient(url, async (c) => {
    await c.query(`SET ROLE ${BACKUP_ROLE}`);
    const { rows } = await c.query<{ t: string }>(
      "SELECT relname AS t FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') ORDER BY 1",
    );
    const out: Record<string, number> = {};
    for (const { t } of rows)
      out[t] = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t}"`)).rows[0]!.n;
    return out;
  });
}

/** What keeps the data safe, as the catalog says: RLS flags, policies, triggers, function owners and grants. */
async function safeguards(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ line: string }>(`
      SELECT format('table %s rls=%s forced=%s acl=%s', relname, relrowsecurity, relforcerowsecurity, relacl) AS line
        FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
      UNION ALL
      SELECT format('policy %s.%s %s %s %s %s', p.polrelid::regclass, p.polname, p.polcmd, p.polroles::regrole[], pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
        FROM pg_policy p
      UNION ALL
      SELECT format('trigger %s.%s %s', tgrelid::regclass, tgname, pg_get_triggerdef(oid)) FROM pg_trigger WHERE NOT tgisinternal
      UNION ALL
      SELECT format('function %s owner=%s definer=%s acl=%s', oid::regprocedure, pg_get_userbyid(proowner), prosecdef, proacl)
        FROM pg_proc WHERE pronamespace = 'public'::regnamespace
      ORDER BY 1`);
    // The owner's name differs between clusters; grants and ownership name it. Compare the rest.
    const me = (await c.query<{ u: string }>("SELECT current_user AS u")).rows[0]!.u;
    return rows.map((r) => r.line.replaceAll(me, "<owner>"));
  });
}

/** `npm run db:<command>` as an operator would run it, with DATABASE_URL = `url`. */
function cli(args: string[], url: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ["--import", "tsx", "server/cli/db.ts", ...args],
      { cwd: root, env: { ...process.env, DATABASE_URL: url }, timeout: 120_000 },
      (err, out, errOut) =>
        err ? reject(new Error(`db.ts ${args.join(" ")}: ${err.message}\n${out}${errOut}`)) : resolve(out),
    ),
  );
}

let dir: string;
let dump: string;
let before: Record<string, number>;
let beforeSafeguards: string[];
let almatyJournal: number;
const sourceUrl = () => testState.databaseUrl;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "am-drill-"));
  dump = path.join(dir, "drill.dump");
  // The demo (two schools, 100 trainees, journals, lessons, invoices, payments, acts) and one school's own work.
  await seedDemo(operatorDb());
  const s = await createSchool({ schoolName: "Қостанай Автомектебі" });
  const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName: "Тұрсынов" }) });
  await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" });
  await s.director.training.addPayment({ school: s.slug, traineeId: id, amountTiyn: 150_000_00, paidOn: "2026-12-01" });
  almatyJournal = await operatorDb().journalEntry.count({ where: { schoolId: ALMATY } });
}, 180_000);

afterAll(async () => {
  process.env.DATABASE_URL = testState.databaseUrl;
  resetConfig();
  resetSessions();
  await disconnectDb();
  rmSync(dir, { recursive: true, force: true });
});

describe("the restore drill", () => {
  it("seed → db:backup → db:restore into a new database: same rows in every table, journal intact, a demo login signs in", async () => {
    before = await rowCounts(sourceUrl());
    for (const t of [
      "trainee",
      "journal_entry",
      "school_document",
      "payment",
      "invoice",
      "trainee_payment",
      "driving_lesson",
      "audit_log",
      "app_user",
      "schema_migrations",
    ]) {
      expect({ t, some: before[t]! > 0 }).toEqual({ t, some: true });
    }
    expect(almatyJournal).toBeGreaterThan(50);
    beforeSafeguards = await safeguards(sourceUrl());

    const backedUp = await cli(["backup", "--out", dump], sourceUrl());
    expect(backedUp).toMatch(/^backup written: .*drill\.dump \(.* MB, \d+ tables/m);
    expect(statSync(dump).size).toBeGreaterThan(100_000);
    // Written after the backup: must not be in the copy.
    await operatorDb().trainee.create({
      data: {
        id: randomUUID(),
        schoolId: ALMATY,
        iin: uniqueIin(),
        lastName: "Кейінгі",
        firstName: "Жазба",
        birthDate: new Date("1990-01-01"),
        sex: "male",
        category: "B",
      },
    });

    const name = `am_t_${runId}_drill_${randomBytes(3).toString("hex")}`;
    const restored = await cli(["restore", "--from", dump, "--database", name], sourceUrl());
    expect(restored).toContain(`restored into ${name}`);
    expect(restored).toContain("schema is at this release's migrations (db:migrate has nothing to do)");
    const copyUrl = new URL(sourceUrl());
    copyUrl.pathname = `/${name}`;
    const copy = copyUrl.toString();

    expect(await rowCounts(copy)).toEqual(before);
    // The copy is as safe as the original: RLS forced, the same policies, the append-only triggers, the
    // SECURITY DEFINER functions back with their own role — and the owner is held to RLS there too.
    expect(await safeguards(copy)).toEqual(beforeSafeguards);
    await withClient(copy, async (c) => {
      expect((await c.query("SELECT count(*)::int AS n FROM trainee")).rows[0].n).toBe(0);
      await expect(c.query("DELETE FROM audit_log")).rejects.toThrow(/append-only/);
    });
    // db:migrate on the copy has nothing to do: dbmate's schema_migrations came along.
    const versions = (u: string) =>
      withClient(u, async (c) => (await c.query("SELECT version FROM schema_migrations ORDER BY 1")).rows);
    const applied = await versions(copy);
    await migrate(copy, TEST_PASSWORDS);
    expect(await versions(copy)).toEqual(applied);

    // The app pointed at the copy: a demo director signs in through the real login and checks the journal.
    process.env.DATABASE_URL = copy;
    resetConfig();
    resetSessions();
    await disconnectDb();
    const { caller, setCookies } = await anonymousCaller({ locale: "ru" });
    await expect(caller.auth.login({ email: "director@almaty.demo.kz", password: DEMO_PASSWORD })).resolves.toEqual({
      ok: true,
    });
    const session = setCookies.find((c) => c.startsWith("am_session="))!.split(";")[0]!;
    const director = createCaller((await contextFor(session)).ctx);
    await expect(director.training.journalCheck({ school: "demo-almaty" })).resolves.toMatchObject({
      intact: true,
      entries: almatyJournal,
    });
    expect((await director.trainees.list({ school: "demo-almaty" })).total).toBe(50);
    expect((await director.trainees.list({ school: "demo-almaty", q: "Кейінгі" })).total).toBe(0);
    // …and the session it started lives in the copy.
    expect((await rowCounts(copy)).session).toBe(before.session! + 1);
    expect(await rowCounts(sourceUrl())).toMatchObject({ session: before.session, trainee: before.trainee! + 1 });
  }, 240_000);

  it("into another cluster, as an owner of another name: the missing roles come from the migrations, the same rows and safeguards", async () => {
    const major = await withClient(sourceUrl(), async (c) =>
      Math.floor(Number((await c.query("SHOW server_version_num")).rows[0].server_version_num) / 10000),
    );
    const other = await startOwnCluster(major);
    try {
      await other.sql(
        `CREATE ROLE managed_owner LOGIN PASSWORD 'managed-owner-pw' NOSUPERUSER NOBYPASSRLS CREATEDB CREATEROLE; GRANT pg_signal_backend TO managed_owner;`,
      );
      const ownerUrl = other.url("postgres", "managed_owner", "managed-owner-pw");
      const r = await restoreDatabase(ownerUrl, dump, "avtomektep", { passwords: TEST_PASSWORDS });
      expect(r.rolesCreated).toEqual(
        expect.arrayContaining([
          "avtomektep_app",
          "avtomektep_backup",
          "avtomektep_definer",
          "avtomektep_operator",
          "avtomektep_trainee",
        ]),
      );
      expect(r.pendingMigrations).toEqual([]);
      expect(await rowCounts(r.url)).toEqual(before);
      expect(await safeguards(r.url)).toEqual(beforeSafeguards);
      // The app's role logs in there with the password db:migrate gives it, and sees one school only.
      await withClient(withCredentials(r.url, "avtomektep_app", TEST_PASSWORDS.app), async (c) => {
        await c.query("BEGIN");
        await c.query("SELECT set_config('app.school_id', $1, true)", [ALMATY]);
        expect(
          (await c.query("SELECT count(DISTINCT school_id)::int AS schools, count(*)::int AS n FROM trainee")).rows[0],
        ).toEqual({ schools: 1, n: 50 });
        await c.query("ROLLBACK");
      });
    } finally {
      await other.stop();
    }
  }, 240_000);
});
