// Reports from a replica: with REPORTS_DATABASE_URL set, the XLSX registers and the dashboard read through
// a second connection (here the same server under another URL: application_name=am-reports and every
// transaction read-only by default, as on a hot standby). The test sees the report queries arrive on that
// connection, the right data come back, no write get through, and the tenants stay apart.
import pg from "pg";
import type { TRPCError } from "@trpc/server";
import { config, resetConfig } from "../../server/config.ts";
import { appDb, disconnectDb, inReportScope, operatorDb, reportsDb } from "../../server/db/client.ts";
import type { FileDownload } from "../../server/documents/pdf.ts";
import { createSchool, traineeInput } from "../factories.ts";
import { xlsxRows } from "../documents.ts";
import { testState } from "../state.ts";

type School = Awaited<ReturnType<typeof createSchool>>;
let a: School;
let b: School;
let aTrainee: string;
/** Owner connections: one holds the lock, the other watches (pg_stat_activity is frozen inside a transaction). */
let locker: pg.Client;
let admin: pg.Client;

const A_NAMES = ["Әбенова Айгерім", "Жүнісов Нұрлан", "Сапаров Ерлан"].sort();
const B_NAMES = ["Оспанов Дәурен", "Түменова Сәуле"].sort();

/** The register's trainee names, as the file lists them. */
async function registerNames(file: FileDownload): Promise<string[]> {
  const rows = Object.values(await xlsxRows(Buffer.from(file.base64, "base64")))[0]!;
  return rows.slice(1).map((r) => r[1]!).sort();
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => null, (err: unknown) => err as TRPCError);
  return e?.code ?? "none";
}

/**
 * Runs `call` while `table` is locked by another session, and reports who waited for the lock: the
 * connection the call's query really arrived on.
 */
async function whoReads<T>(table: string, call: () => Promise<T>): Promise<{ applicationName: string; user: string; result: T }> {
  await locker.query("BEGIN");
  await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  const pending = call();
  pending.catch(() => {});
  let waiter: { application_name: string; usename: string } | undefined;
  try {
    const end = Date.now() + 10_000;
    while (!waiter && Date.now() < end) {
      ({ rows: [waiter] } = await admin.query<{ application_name: string; usename: string }>(
        `SELECT application_name, usename FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE $1`, [`%${table}%`]));
      if (!waiter) await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await locker.query("ROLLBACK");
  }
  const result = await pending;
  if (!waiter) throw new Error(`no query waited for ${table}`);
  return { applicationName: waiter.application_name, user: waiter.usename, result };
}

async function reportsBackends(): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'am-reports'");
  return rows[0]!.n;
}

beforeAll(async () => {
  locker = new pg.Client({ connectionString: testState.databaseUrl });
  admin = new pg.Client({ connectionString: testState.databaseUrl });
  await Promise.all([locker.connect(), admin.connect()]);
  const url = new URL(config().appDatabaseUrl);
  url.searchParams.set("application_name", "am-reports");
  url.searchParams.set("options", "-c default_transaction_read_only=on");
  process.env.REPORTS_DATABASE_URL = url.toString();
  resetConfig();
  await disconnectDb();

  a = await createSchool({ schoolName: "Ақтөбе Автомектебі" });
  b = await createSchool({ schoolName: "Орал Автомектебі" });
  for (const [school, names] of [[a, A_NAMES], [b, B_NAMES]] as const) {
    for (const name of names) {
      const [lastName, firstName] = name.split(" ");
      const { id } = await school.director.trainees.create({ school: school.slug, ...traineeInput({ lastName, firstName }) });
      if (school === a) aTrainee ??= id;
    }
  }
});

afterAll(async () => {
  delete process.env.REPORTS_DATABASE_URL;
  resetConfig();
  await disconnectDb();
  await Promise.all([locker.end(), admin.end()]);
});

describe("reports on the reports connection (REPORTS_DATABASE_URL)", () => {
  it("the trainee register is read there, and lists the school's trainees", async () => {
    expect(await reportsBackends()).toBe(0); // opened on first use only
    const seen = await whoReads("trainee", () => a.director.exports.register({ school: a.slug, lang: "ru" }));
    expect(seen.applicationName).toBe("am-reports");
    expect(seen.user).toBe("avtomektep_app"); // the app role: row-level security applies
    expect(await registerNames(seen.result)).toEqual(A_NAMES);
    expect(await reportsBackends()).toBeGreaterThan(0);
  });

  it("the dashboard is read there, with the school's numbers", async () => {
    const seen = await whoReads("trainee", () => a.director.dashboard.overview({ school: a.slug }));
    expect(seen.applicationName).toBe("am-reports");
    expect(seen.result.cards.currentTrainees).toBe(3);
    expect(seen.result.byStatus.find((s) => s.status === "applicant")!.count).toBe(3);
  });

  it("the trainee's card is a document printed right after saving, not a report: it reads the primary", async () => {
    const seen = await whoReads("trainee", () => a.director.exports.traineeCard({ school: a.slug, id: aTrainee }));
    expect(seen.applicationName).not.toBe("am-reports");
    expect(seen.result.fileName).toMatch(/\.pdf$/);
  });

  it("nothing can be written through it", async () => {
    const rename = { data: { lastName: "Өзгертілген" } };
    // A report's transaction is READ ONLY, whatever the URL says …
    await expect(inReportScope({ schoolId: a.schoolId }, (tx) => tx.trainee.updateMany(rename))).rejects.toThrow(/read-only transaction/);
    // … and the connection itself refuses a write in a transaction that did not ask to be read-only.
    await expect(
      reportsDb().$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('app.school_id', ${a.schoolId}, true)`;
        return tx.trainee.updateMany(rename);
      }),
    ).rejects.toThrow(/read-only transaction/);
    expect(await operatorDb().trainee.count({ where: { lastName: "Өзгертілген" } })).toBe(0);
  });

  it("keeps the schools apart: the same row-level security on the reports connection", async () => {
    const mine = await inReportScope({ schoolId: a.schoolId }, (tx) => tx.trainee.findMany({ select: { schoolId: true } }));
    expect(mine).toHaveLength(3);
    expect(new Set(mine.map((t) => t.schoolId))).toEqual(new Set([a.schoolId]));
    expect(await inReportScope({ schoolId: b.schoolId }, (tx) => tx.trainee.findUnique({ where: { id: aTrainee } }))).toBeNull();
    expect(await inReportScope({}, (tx) => tx.trainee.count())).toBe(0); // no school set: nothing
    expect(await registerNames(await b.director.exports.register({ school: b.slug, lang: "ru" }))).toEqual(B_NAMES);
    expect(await refusal(b.director.exports.register({ school: a.slug }))).toBe("FORBIDDEN");
    expect(await refusal(b.director.dashboard.overview({ school: a.slug }))).toBe("FORBIDDEN");
  });

  it("without REPORTS_DATABASE_URL the reports use the primary's app client, still read-only", async () => {
    delete process.env.REPORTS_DATABASE_URL;
    resetConfig();
    await disconnectDb();
    expect(reportsDb()).toBe(appDb());
    await expect(inReportScope({ schoolId: a.schoolId }, (tx) => tx.trainee.updateMany({ data: { lastName: "Өзгертілген" } }))).rejects.toThrow(/read-only transaction/);
    expect(await registerNames(await a.director.exports.register({ school: a.slug, lang: "ru" }))).toEqual(A_NAMES);
    // The reports connections closed above are gone, and the register opened none.
    const end = Date.now() + 5_000;
    while ((await reportsBackends()) > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(await reportsBackends()).toBe(0);
  });
});
