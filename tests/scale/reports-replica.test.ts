// Reports from a real hot standby. The test starts its own PostgreSQL primary and a standby that streams from
// it (tests/scale/streaming-replica.ts), migrates the primary as a managed-PostgreSQL-style owner (no superuser,
// no BYPASSRLS), and points REPORTS_DATABASE_URL at the standby with the app role — the roles and their
// passwords arrive there by replication, like everything else. Then, by behaviour alone: a write on the primary
// reaches the XLSX register and the dashboard; with replay paused on the standby the report does not have a new
// trainee while the trainee's card (read on the primary) does, and catches up once replay resumes; nothing can
// be written there; and row-level security keeps the schools apart there too.
import type { TRPCError } from "@trpc/server";
import { resetConfig, withCredentials } from "../../server/config.ts";
import { appDb, disconnectDb, inReportScope, operatorDb, reportsDb } from "../../server/db/client.ts";
import { migrate } from "../../server/db/migrate.ts";
import { addMember, createSchool, traineeInput } from "../factories.ts";
import { pdfText, xlsxRows } from "../documents.ts";
import { TEST_PASSWORDS } from "../global-setup.ts";
import { testState } from "../state.ts";
import { standbyCaughtUp, startStreamingPair, type StreamingPair } from "./streaming-replica.ts";
import type { FileDownload } from "../../domain/files.ts";

const OWNER = { user: "am_managed_owner", password: "am-managed-owner-pw" };
const DB = "avtomektep";

type School = Awaited<ReturnType<typeof createSchool>>;
let pair: StreamingPair;
let a: School;
let b: School;
let aTrainee: string;
const saved = { ...process.env };
const savedDatabaseUrl = testState.databaseUrl;

const A_NAMES = ["Әбенова Айгерім", "Жүнісов Нұрлан", "Сапаров Ерлан"].sort();
const B_NAMES = ["Оспанов Дәурен", "Түменова Сәуле"].sort();

/** The register's trainee names, as the file lists them. */
async function registerNames(file: FileDownload): Promise<string[]> {
  const rows = Object.values(await xlsxRows(Buffer.from(file.base64, "base64")))[0]!;
  return rows
    .slice(1)
    .map((r) => r[1]!)
    .sort();
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err as TRPCError,
  );
  return e?.code ?? "none";
}

async function addTrainee(school: School, name: string): Promise<string> {
  const [lastName, firstName] = name.split(" ");
  return (await school.director.trainees.create({ school: school.slug, ...traineeInput({ lastName, firstName }) })).id;
}

/** Polls `what` until it holds, for at most `ms`. */
async function eventually(what: () => Promise<boolean>, ms: number, label: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${label}\n${pair.standby.log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const replayPaused = async () =>
  (await pair.standby.sql<{ state: string }>("SELECT pg_get_wal_replay_pause_state() AS state"))[0]!.state === "paused";

beforeAll(async () => {
  pair = await startStreamingPair();
  // What a managed service gives the operator: an owner with CREATEDB, CREATEROLE and pg_signal_backend, nothing more.
  await pair.primary.sql(
    `CREATE ROLE ${OWNER.user} LOGIN PASSWORD '${OWNER.password}' NOSUPERUSER NOBYPASSRLS NOREPLICATION CREATEDB CREATEROLE`,
  );
  await pair.primary.sql(`GRANT pg_signal_backend TO ${OWNER.user}`);
  const ownerUrl = pair.primary.url(DB, OWNER.user, OWNER.password);
  await migrate(ownerUrl, TEST_PASSWORDS);

  Object.assign(process.env, {
    DATABASE_URL: ownerUrl,
    APP_DATABASE_URL: withCredentials(ownerUrl, "avtomektep_app", TEST_PASSWORDS.app),
    OPERATOR_DATABASE_URL: withCredentials(ownerUrl, "avtomektep_operator", TEST_PASSWORDS.operator),
    // The standby, as the app role: the same role and password as on the primary, replicated.
    REPORTS_DATABASE_URL: pair.standby.url(DB, "avtomektep_app", TEST_PASSWORDS.app),
  });
  testState.databaseUrl = ownerUrl;
  resetConfig();
  await disconnectDb();

  a = await createSchool({ schoolName: "Ақтөбе Автомектебі" });
  b = await createSchool({ schoolName: "Орал Автомектебі" });
  for (const name of A_NAMES) {
    const id = await addTrainee(a, name);
    aTrainee ??= id;
  }
  for (const name of B_NAMES) await addTrainee(b, name);
}, 180_000);

afterAll(async () => {
  // The app's pools first (a server stopping under an idle pooled client is an error event), then the servers.
  await disconnectDb();
  for (const k of ["DATABASE_URL", "APP_DATABASE_URL", "OPERATOR_DATABASE_URL", "REPORTS_DATABASE_URL"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  testState.databaseUrl = savedDatabaseUrl;
  resetConfig();
  await pair?.dispose();
}, 60_000);

describe("reports on a streaming hot standby (REPORTS_DATABASE_URL)", () => {
  it("the report client is connected to the standby, and a write on the primary reaches the register and the dashboard", async () => {
    const [where] = await inReportScope(
      { schoolId: a.schoolId },
      (tx) => tx.$queryRaw<{ recovery: boolean; port: number }[]>`
      SELECT pg_is_in_recovery() AS recovery, current_setting('port')::int AS port`,
    );
    expect(where).toEqual({ recovery: true, port: pair.standby.port });

    await standbyCaughtUp(pair);
    expect(await registerNames(await a.director.exports.register({ school: a.slug, lang: "ru" }))).toEqual(A_NAMES);
    const overview = await a.director.dashboard.overview({ school: a.slug });
    expect(overview.cards.currentTrainees).toBe(3);
    expect(overview.byStatus.find((s) => s.status === "applicant")!.count).toBe(3);
  });

  it("with replay paused, a new trainee is on the card (primary) but not in the reports (standby) until replay resumes", {
    timeout: 60_000,
  }, async () => {
    await standbyCaughtUp(pair);
    await pair.standby.sql("SELECT pg_wal_replay_pause()");
    try {
      await eventually(replayPaused, 10_000, "replay to pause");
      const late = "Кешегі Данияр";
      const id = await addTrainee(a, late);

      // The card is printed right after saving: it reads the primary and has the trainee.
      const card = await a.director.exports.traineeCard({ school: a.slug, id, lang: "ru" });
      expect(await pdfText(Buffer.from(card.base64, "base64"))).toContain(late);
      // The reports read the standby, which has not replayed the insert.
      expect(await registerNames(await a.director.exports.register({ school: a.slug, lang: "ru" }))).toEqual(A_NAMES);
      expect((await a.director.dashboard.overview({ school: a.slug })).cards.currentTrainees).toBe(3);

      await pair.standby.sql("SELECT pg_wal_replay_resume()");
      await eventually(
        async () =>
          (await registerNames(await a.director.exports.register({ school: a.slug, lang: "ru" }))).includes(late),
        20_000,
        "the register to list the trainee added on the primary",
      );
      expect(await registerNames(await a.director.exports.register({ school: a.slug, lang: "ru" }))).toEqual(
        [...A_NAMES, late].sort(),
      );
      expect((await a.director.dashboard.overview({ school: a.slug })).cards.currentTrainees).toBe(4);
    } finally {
      await pair.standby.sql("SELECT pg_wal_replay_resume()").catch(() => {});
    }
  });

  it("a member removed on the primary is refused at once, though the standby still lists the membership", {
    timeout: 60_000,
  }, async () => {
    const registrar = await addMember(a.schoolId, "registrar");
    expect(await registerNames(await registrar.caller.exports.register({ school: a.slug, lang: "ru" }))).toContain(
      A_NAMES[0],
    );
    await standbyCaughtUp(pair);
    await pair.standby.sql("SELECT pg_wal_replay_pause()");
    try {
      await eventually(replayPaused, 10_000, "replay to pause");
      await a.director.staff.remove({ school: a.slug, userId: registrar.userId });
      const onStandby = await inReportScope({ schoolId: a.schoolId }, (tx) =>
        tx.membership.count({ where: { userId: registrar.userId } }),
      );
      expect(onStandby).toBe(1); // the standby has not seen the removal …
      expect(await refusal(registrar.caller.exports.register({ school: a.slug }))).toBe("FORBIDDEN"); // … the check on the primary has
      expect(await refusal(registrar.caller.dashboard.overview({ school: a.slug }))).toBe("FORBIDDEN");
    } finally {
      await pair.standby.sql("SELECT pg_wal_replay_resume()").catch(() => {});
    }
  });

  it("nothing can be written there", async () => {
    const rename = { data: { lastName: "Өзгертілген" } };
    // A report's transaction is READ ONLY …
    await expect(inReportScope({ schoolId: a.schoolId }, (tx) => tx.trainee.updateMany(rename))).rejects.toThrow(
      /read-only transaction/,
    );
    // … and the standby itself refuses a write in a transaction that did not ask to be read-only.
    await expect(
      reportsDb().$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('app.school_id', ${a.schoolId}, true)`;
        return tx.trainee.updateMany(rename);
      }),
    ).rejects.toThrow(/read-only transaction/);
    await standbyCaughtUp(pair);
    expect(await operatorDb().trainee.count({ where: { lastName: "Өзгертілген" } })).toBe(0);
  });

  it("keeps the schools apart: row-level security on the standby", async () => {
    await standbyCaughtUp(pair);
    const mine = await inReportScope({ schoolId: a.schoolId }, (tx) =>
      tx.trainee.findMany({ select: { schoolId: true } }),
    );
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(new Set(mine.map((t) => t.schoolId))).toEqual(new Set([a.schoolId]));
    expect(
      await inReportScope({ schoolId: b.schoolId }, (tx) => tx.trainee.findUnique({ where: { id: aTrainee } })),
    ).toBeNull();
    expect(await inReportScope({}, (tx) => tx.trainee.count())).toBe(0); // no school set: nothing
    expect(await registerNames(await b.director.exports.register({ school: b.slug, lang: "ru" }))).toEqual(B_NAMES);
    expect(await refusal(b.director.exports.register({ school: a.slug }))).toBe("FORBIDDEN");
    expect(await refusal(b.director.dashboard.overview({ school: a.slug }))).toBe("FORBIDDEN");
  });

  it("without REPORTS_DATABASE_URL the reports read the primary through the app client, still read-only", async () => {
    delete process.env.REPORTS_DATABASE_URL;
    resetConfig();
    await disconnectDb();
    expect(reportsDb()).toBe(appDb());
    const [where] = await inReportScope(
      { schoolId: a.schoolId },
      (tx) => tx.$queryRaw<{ recovery: boolean }[]>`SELECT pg_is_in_recovery() AS recovery`,
    );
    expect(where!.recovery).toBe(false);
    await expect(
      inReportScope({ schoolId: a.schoolId }, (tx) => tx.trainee.updateMany({ data: { lastName: "Өзгертілген" } })),
    ).rejects.toThrow(/read-only transaction/);
    expect(await registerNames(await b.director.exports.register({ school: b.slug, lang: "ru" }))).toEqual(B_NAMES);
  });
});
