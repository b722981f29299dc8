// Tenant isolation is enforced by PostgreSQL, not by application code: these tests talk to the
// database as the app role directly and through the routers, with the other school's ids in hand.
import { randomUUID } from "node:crypto";
import { config } from "../server/config.ts";
import { inScope, operatorDb } from "../server/db/client.ts";
import { testState } from "./state.ts";
import { withClient } from "./pg.ts";
import { createSchool, traineeInput } from "./factories.ts";

const asRole = withClient;

const TENANT_TABLES_WITHOUT_SCHOOL_ID = ["school"];

/** Every table holding one school's data: school itself and every table with a school_id column. */
async function tenantTables(): Promise<string[]> {
  let names: string[] = [];
  await asRole(testState.databaseUrl, async (c) => {
    const { rows } = await c.query<{ table_name: string }>(
      "SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'school_id' ORDER BY 1",
    );
    names = [...TENANT_TABLES_WITHOUT_SCHOOL_ID, ...rows.map((r) => r.table_name)];
  });
  return names;
}

let a: Awaited<ReturnType<typeof createSchool>>;
let b: Awaited<ReturnType<typeof createSchool>>;
let bTraineeId: string;

beforeAll(async () => {
  a = await createSchool();
  b = await createSchool();
  await a.director.trainees.create({ school: a.slug, ...traineeInput() });
  bTraineeId = (await b.director.trainees.create({ school: b.slug, ...traineeInput({ lastName: "Бэкеев" }) })).id;
});

describe("row-level security", () => {
  it("is enabled and forced on every table that has a school_id, and on school itself", async () => {
    await asRole(testState.databaseUrl, async (c) => {
      const { rows } = await c.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
        `
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        WHERE c.relkind = 'r' AND (c.relname = ANY($1) OR EXISTS (
          SELECT 1 FROM information_schema.columns col
          WHERE col.table_schema = 'public' AND col.table_name = c.relname AND col.column_name = 'school_id'))`,
        [TENANT_TABLES_WITHOUT_SCHOOL_ID],
      );
      expect(rows.map((r) => r.relname)).toEqual(
        expect.arrayContaining(["audit_log", "membership", "school", "trainee", "driving_lesson", "journal_entry"]),
      );
      for (const r of rows)
        expect({ table: r.relname, enabled: r.relrowsecurity, forced: r.relforcerowsecurity }).toEqual({
          table: r.relname,
          enabled: true,
          forced: true,
        });
    });
  });

  it("every tenant table has an index that starts with school_id", async () => {
    await asRole(testState.databaseUrl, async (c) => {
      const { rows } = await c.query<{ table_name: string; indexed: boolean }>(`
        SELECT t.table_name, EXISTS (
          SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indrelid
          JOIN pg_attribute a ON a.attrelid = ic.oid AND a.attnum = i.indkey[0]
          WHERE ic.relname = t.table_name AND a.attname = 'school_id') AS indexed
        FROM information_schema.columns t WHERE t.table_schema = 'public' AND t.column_name = 'school_id'`);
      expect(rows.filter((r) => !r.indexed).map((r) => r.table_name)).toEqual([]);
    });
  });

  it("every policy reads the request's school, trainee and user once per query, not once per row", async () => {
    // `(SELECT app_school_id())` is an InitPlan, computed once; a bare app_school_id() is inlined and its
    // current_setting() evaluated for every row a scan reads (migration 20261212090000)
    await asRole(testState.databaseUrl, async (c) => {
      const { rows } = await c.query<{ policy: string }>(`
        SELECT tablename || '.' || policyname AS policy FROM pg_policies
         WHERE schemaname = 'public'
           AND (qual ~ '(?<!SELECT )app_(school|trainee|user)_id\\(\\)'
                OR with_check ~ '(?<!SELECT )app_(school|trainee|user)_id\\(\\)')`);
      expect(rows.map((r) => r.policy)).toEqual([]);
      const { rows: all } = await c.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_policies WHERE schemaname = 'public' AND qual ~ 'SELECT app_school_id'",
      );
      expect(all[0]!.n).toBeGreaterThan(50);
    });
  });

  it("the app role is neither superuser, table owner, nor allowed to bypass RLS", async () => {
    await asRole(config().appDatabaseUrl, async (c) => {
      const { rows } = await c.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
      expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
      const owners = await c.query(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`,
      );
      expect(owners.rows[0].n).toBe(0);
    });
  });

  it("the suite's owner is a managed-PostgreSQL owner: no superuser, no RLS bypass, held to forced RLS itself", async () => {
    await asRole(testState.databaseUrl, async (c) => {
      const { rows } = await c.query(`
        SELECT rolsuper, rolbypassrls, rolcreatedb, rolcreaterole, rolreplication, pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') AS signal
        FROM pg_roles WHERE rolname = current_user`);
      expect(rows[0]).toEqual({
        rolsuper: false,
        rolbypassrls: false,
        rolcreatedb: true,
        rolcreaterole: true,
        rolreplication: false,
        signal: true,
      });
      const owned = await c.query(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`,
      );
      expect(owned.rows[0].n).toBeGreaterThan(30);
      // It owns the tables, yet FORCE ROW LEVEL SECURITY holds it to the policies: no school's trainee shows.
      expect((await c.query(`SELECT count(*)::int AS n FROM trainee`)).rows[0].n).toBe(0);
    });
    expect(await operatorDb().trainee.count()).toBe(2);
  });

  it("the app role with no school set reads zero tenant rows", async () => {
    const tables = await tenantTables();
    expect(tables.length).toBeGreaterThanOrEqual(16);
    await asRole(config().appDatabaseUrl, async (c) => {
      for (const table of tables) {
        const { rows } = await c.query(`SELECT count(*)::int AS n FROM ${table}`);
        expect({ table, rows: rows[0].n }).toEqual({ table, rows: 0 });
      }
    });
    // …while the rows are there: the operator role, which has its own policies, sees both schools' trainees.
    expect(await operatorDb().trainee.count()).toBe(2);
  });

  it("a transaction of school A cannot read, update or delete school B's trainee even by id", async () => {
    await inScope({ schoolId: a.schoolId, userId: a.userId }, async (tx) => {
      expect(await tx.trainee.findUnique({ where: { id: bTraineeId } })).toBeNull();
      expect(await tx.trainee.updateMany({ where: { id: bTraineeId }, data: { lastName: "Hacked" } })).toEqual({
        count: 0,
      });
      expect(await tx.trainee.deleteMany({ where: { id: bTraineeId } })).toEqual({ count: 0 });
      expect(await tx.trainee.count()).toBe(1);
    });
    const still = await operatorDb().trainee.findUniqueOrThrow({ where: { id: bTraineeId } });
    expect(still.lastName).toBe("Бэкеев");
  });

  it("a transaction of school A cannot write a row into school B", async () => {
    await expect(
      inScope({ schoolId: a.schoolId }, (tx) =>
        tx.trainee.createMany({
          data: [
            {
              id: randomUUID(),
              schoolId: b.schoolId,
              iin: "900101300019",
              lastName: "X",
              firstName: "Y",
              birthDate: new Date("1990-01-01"),
              sex: "male",
              category: "B",
            },
          ],
        }),
      ),
    ).rejects.toThrow(/row-level security|42501/i);
    expect(await operatorDb().trainee.count({ where: { schoolId: b.schoolId } })).toBe(1);
  });

  it("the school setting does not outlive its transaction", async () => {
    await asRole(config().appDatabaseUrl, async (c) => {
      await c.query("BEGIN");
      await c.query("SELECT set_config('app.school_id', $1, true)", [a.schoolId]);
      expect((await c.query("SELECT count(*)::int AS n FROM trainee")).rows[0].n).toBe(1);
      await c.query("COMMIT");
      expect((await c.query("SELECT count(*)::int AS n FROM trainee")).rows[0].n).toBe(0);
    });
  });

  it("through the API, school A's director gets 'not found' for B's trainee and B's is unchanged", async () => {
    await expect(a.director.trainees.get({ school: a.slug, id: bTraineeId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      a.director.trainees.update({ school: a.slug, id: bTraineeId, data: traineeInput({ lastName: "Hacked" }) }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(b.director.trainees.get({ school: b.slug, id: bTraineeId })).resolves.toMatchObject({
      lastName: "Бэкеев",
    });
  });

  it("school A's director cannot open school B's workspace at all", async () => {
    await expect(a.director.trainees.list({ school: b.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(a.director.school.workspace({ school: b.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("the audit log", () => {
  it("cannot be updated, deleted or truncated by the app role, the operator role, or even the owner", async () => {
    const total = await operatorDb().auditLog.count();
    expect(total).toBeGreaterThanOrEqual(2);
    for (const url of [config().appDatabaseUrl, config().operatorDatabaseUrl]) {
      await asRole(url, async (c) => {
        await c.query("BEGIN");
        await c.query("SELECT set_config('app.school_id', $1, true)", [a.schoolId]);
        await expect(c.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/permission denied/);
        await c.query("ROLLBACK");
        await expect(c.query("DELETE FROM audit_log")).rejects.toThrow(/permission denied/);
        await expect(c.query("TRUNCATE audit_log")).rejects.toThrow(/permission denied/);
      });
    }
    await asRole(testState.databaseUrl, async (c) => {
      await expect(c.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
      await expect(c.query("DELETE FROM audit_log")).rejects.toThrow(/append-only/);
      // TRUNCATE fires no row triggers; a statement trigger refuses it.
      await expect(c.query("TRUNCATE audit_log")).rejects.toThrow(/append-only/);
      await expect(c.query("TRUNCATE audit_log CASCADE")).rejects.toThrow(/append-only/);
    });
    expect(await operatorDb().auditLog.count()).toBe(total);
    expect(await operatorDb().auditLog.count({ where: { action: "signup" } })).toBe(2);
  });

  it("school A reads only its own entries", async () => {
    const entries = await inScope({ schoolId: a.schoolId }, (tx) =>
      tx.auditLog.findMany({ select: { schoolId: true } }),
    );
    expect(entries.length).toBeGreaterThan(0);
    expect(new Set(entries.map((e) => e.schoolId))).toEqual(new Set([a.schoolId]));
  });
});
