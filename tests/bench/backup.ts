// `npm run bench` (part 6): backup and restore of the 200-school database of the http part (200 schools,
// 200,000 trainees, 400,000 lessons; kept as am_bench_http, loaded here the same way when missing) with the real
// `db:backup` / `db:restore` code (server/db/backup.ts) as a managed-PostgreSQL-style owner: the time of pg_dump,
// the dump's size, and the time until a new database is restored, its RLS forced again and analyzed — the restore
// time an operator plans with. Reports, doesn't assert. BENCH_RESTORE_JOBS sets pg_restore's --jobs.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureServices } from "../../server/cli/services.ts";
import { withDatabase } from "../../server/config.ts";
import { BACKUP_ROLE, backupDatabase, restoreDatabase } from "../../server/db/backup.ts";
import { migrate } from "../../server/db/migrate.ts";
import { managedOwnerUrl } from "../managed-owner.ts";
import { loadTenants, type Shape } from "./generate.ts";
import { recordFigures } from "./report.ts";

const env = process.env;
// The http part's shape (tests/bench/http.ts): its database is reused when it is there.
const SHAPE: Shape = {
  schools: Number(env.BENCH_SCHOOLS ?? 200),
  traineesPerSchool: Number(env.BENCH_TRAINEES_PER_SCHOOL ?? 1000),
  lessonsPerTrainee: 2,
  instructorsPerSchool: 5,
  seed: Number(env.BENCH_SEED ?? 20261125),
};
const DB = "am_bench_http";
const RESTORED = "am_bench_restore";
const PASSWORDS = { app: "avtomektep_app_dev", operator: "avtomektep_operator_dev" };

const services = await ensureServices();
const admin = new pg.Client({ connectionString: services.databaseUrl });
await admin.connect();
const url = withDatabase(services.databaseUrl, DB);
const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DB])).rowCount === 1;
const tag = exists
  ? await (async () => {
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      const r = await db
        .query("SELECT obj_description('school'::regclass) AS tag")
        .catch(() => ({ rows: [{ tag: null }] }));
      await db.end();
      return r.rows[0].tag as string | null;
    })()
  : null;
if (tag === JSON.stringify(SHAPE)) {
  await migrate(url, PASSWORDS);
  console.log(`backing up the http part's database ${DB}`);
} else {
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await migrate(url, PASSWORDS);
  const t0 = Date.now();
  await loadTenants(url, SHAPE);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(`COMMENT ON TABLE school IS '${JSON.stringify(SHAPE)}'`);
  await db.end();
  console.log(
    `loaded ${DB}: ${SHAPE.schools} schools, ${SHAPE.schools * SHAPE.traineesPerSchool} trainees in ${((Date.now() - t0) / 1000).toFixed(0)} s (kept for the http part's BENCH_REUSE)`,
  );
}

// As production runs it on a managed PostgreSQL: an owner that is neither superuser nor BYPASSRLS.
const ownerUrl = await managedOwnerUrl(services.databaseUrl);
const owner = new URL(ownerUrl).username;
const isSuper = (await admin.query<{ s: boolean }>("SELECT rolsuper AS s FROM pg_roles WHERE rolname = current_user"))
  .rows[0]!.s;
if (isSuper && owner !== new URL(services.databaseUrl).username) {
  // The bench database was made by the superuser; the owner takes part as a member of the backup role.
  await admin.query(`GRANT ${BACKUP_ROLE} TO ${owner}`);
}
await admin.query(`DROP DATABASE IF EXISTS ${RESTORED} WITH (FORCE)`);
const { rows: size } = await admin.query<{ mb: string }>("SELECT pg_database_size($1) / 1048576.0 AS mb", [DB]);
await admin.end();

const dir = mkdtempSync(path.join(os.tmpdir(), "am-bench-backup-"));
try {
  const file = path.join(dir, "bench.dump");
  const backup = await backupDatabase(withDatabase(ownerUrl, DB), file);
  console.log(`backup: ${(backup.ms / 1000).toFixed(1)} s, ${(backup.bytes / 2 ** 20).toFixed(1)} MB`);
  const jobs = Number(env.BENCH_RESTORE_JOBS ?? Math.min(4, os.cpus().length));
  const restore = await restoreDatabase(ownerUrl, file, RESTORED, {
    passwords: PASSWORDS,
    jobs,
    log: (l) => console.log(`  ${l}`),
  });
  const check = new pg.Client({ connectionString: restore.url });
  await check.connect();
  await check.query(`SET ROLE ${BACKUP_ROLE}`);
  const { rows } = await check.query<{ trainees: number; lessons: number }>(
    "SELECT (SELECT count(*) FROM trainee)::int AS trainees, (SELECT count(*) FROM driving_lesson)::int AS lessons",
  );
  await check.end();
  console.log(`restored: ${rows[0]!.trainees} trainees, ${rows[0]!.lessons} lessons in ${RESTORED}`);
  const label = `${SHAPE.schools} schools, ${rows[0]!.trainees} trainees, ${rows[0]!.lessons} lessons`;
  await recordFigures([
    { bench: "backup", what: `database on disk (${label})`, value: Number(size[0]!.mb), unit: "MB" },
    {
      bench: "backup",
      what: "db:backup (pg_dump --format=custom as avtomektep_backup)",
      value: backup.ms / 1000,
      unit: "s",
    },
    { bench: "backup", what: "backup file size", value: backup.bytes / 2 ** 20, unit: "MB" },
    {
      bench: "backup",
      what: `db:restore into a new database (pg_restore --jobs=${jobs}, RLS re-forced, ANALYZE)`,
      value: restore.ms / 1000,
      unit: "s",
    },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
  const cleanup = new pg.Client({ connectionString: services.databaseUrl });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE IF EXISTS ${RESTORED} WITH (FORCE)`);
  await cleanup.end();
  await services.stop();
}
process.exit(0);
