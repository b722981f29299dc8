// `npm run db:migrate` / `npm run db:seed`: the same steps `npm start` takes, on DATABASE_URL.
// `npm run db:backup -- --out file.dump` / `npm run db:restore -- --from file.dump --database name`:
// pg_dump / pg_restore as the owner (server/db/backup.ts, docs/operations.md).
import { parseArgs } from "node:util";
import { migrate } from "../db/migrate.ts";
import { config } from "../config.ts";
import { disconnectDb, operatorDb } from "../db/client.ts";
import { seedDemo } from "../db/seed.ts";
import { BackupError, backupDatabase, restoreDatabase } from "../db/backup.ts";

const command = process.argv[2];
// Connections and log lines name the step (am-seed-operator in pg_stat_activity); clients are opened lazily, after this.
process.env.AM_SERVICE ??= command ?? "db";
const c = config();
const options = (spec: Record<string, { type: "string" }>) =>
  parseArgs({ args: process.argv.slice(3), options: spec, strict: true }).values;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

try {
  if (command === "migrate") {
    await migrate(c.DATABASE_URL, { app: c.DB_APP_PASSWORD, operator: c.DB_OPERATOR_PASSWORD });
    console.log("migrations applied");
  } else if (command === "seed") {
    await seedDemo(operatorDb());
    await disconnectDb();
    console.log("demo data in place");
  } else if (command === "backup") {
    const { out } = options({ out: { type: "string" } });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
    const r = await backupDatabase(c.DATABASE_URL, out ?? `avtomektep-${stamp}.dump`);
    console.log(
      `backup written: ${r.file} (${mb(r.bytes)}, ${r.tables} tables, ${s(r.ms)}, ${r.pgDump} for PostgreSQL ${r.serverMajor})`,
    );
  } else if (command === "restore") {
    const { from, database, jobs } = options({
      from: { type: "string" },
      database: { type: "string" },
      jobs: { type: "string" },
    });
    if (!from || !database)
      throw new BackupError("usage: npm run db:restore -- --from file.dump --database new_name [--jobs n]");
    const r = await restoreDatabase(c.DATABASE_URL, from, database, {
      passwords: { app: c.DB_APP_PASSWORD, operator: c.DB_OPERATOR_PASSWORD },
      jobs: jobs ? Number(jobs) : undefined,
      log: (line) => console.log(line),
    });
    console.log(`restored into ${r.database}: ${r.tables} tables in ${s(r.ms)}`);
    if (r.rolesCreated.length) console.log(`created roles: ${r.rolesCreated.join(", ")}`);
    console.log(
      r.pendingMigrations.length
        ? `the backup predates ${r.pendingMigrations.length} migration(s) of this release: run \`npm run db:migrate\` with DATABASE_URL on ${r.database}`
        : "schema is at this release's migrations (db:migrate has nothing to do)",
    );
  } else {
    console.error("usage: tsx server/cli/db.ts migrate|seed|backup [--out file]|restore --from file --database name");
    process.exit(2);
  }
} catch (e) {
  if (!(e instanceof BackupError)) throw e;
  console.error(e.message);
  process.exit(1);
}
