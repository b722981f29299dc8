// First step of `npm test`: the system programs the suite drives for real — Debian's Chromium (browser
// tests) with fonts that have Kazakh letters, PgBouncer (the pooler suite), Redis and PostgreSQL's own
// binaries (the replica, backup and fault suites). Whatever is missing is installed from Debian's
// packages when this user can (root, apt-get); otherwise the run stops at once with one line saying what
// to install. No test is ever skipped for a missing program.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const onPath = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
const debInstalled = (pkg) =>
  // biome-ignore lint/suspicious/noTemplateCurlyInString: ${Status} is dpkg-query's format, not ours
  spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" }).stdout?.includes("install ok installed") ??
  false;
/** A PostgreSQL server's binaries (initdb, pg_ctl, pg_basebackup) in Debian's layout. */
const postgresBin = () =>
  existsSync("/usr/lib/postgresql") &&
  readdirSync("/usr/lib/postgresql").some((v) =>
    ["initdb", "pg_ctl", "postgres", "pg_basebackup"].every((b) => existsSync(`/usr/lib/postgresql/${v}/bin/${b}`)),
  );

const needs = [
  {
    pkg: "chromium",
    what: "Chromium for the browser tests",
    ok: () => existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"),
  },
  {
    pkg: "fonts-dejavu-core",
    what: "fonts with Kazakh letters for the browser",
    ok: () => debInstalled("fonts-dejavu-core") || existsSync("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
  },
  {
    pkg: "pgbouncer",
    what: "PgBouncer for the pooler suite",
    ok: () => onPath("pgbouncer") || existsSync("/usr/sbin/pgbouncer"),
  },
  {
    pkg: "redis-server",
    what: "redis-server for the Redis fault and cluster suites",
    ok: () => onPath("redis-server"),
  },
  { pkg: "postgresql", what: "PostgreSQL server binaries for the replica suite", ok: postgresBin },
  {
    pkg: "postgresql-client",
    what: "pg_dump and pg_restore for backups",
    ok: () => onPath("pg_dump") && onPath("pg_restore"),
  },
];

const missing = needs.filter((n) => !n.ok());
if (missing.length === 0) process.exit(0);

const pkgs = missing.map((n) => n.pkg);
const canInstall = process.getuid?.() === 0 && onPath("apt-get");
if (!canInstall) {
  console.error(
    `npm test needs ${missing.map((n) => n.what).join(", ")}: install them with  sudo apt-get install -y ${pkgs.join(" ")}`,
  );
  process.exit(1);
}
console.log(`installing Debian packages the tests need: ${pkgs.join(" ")}`);
try {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
} catch {
  console.error(`could not install ${pkgs.join(" ")}; install them with  sudo apt-get install -y ${pkgs.join(" ")}`);
  process.exit(1);
}
const still = missing.filter((n) => !n.ok());
if (still.length > 0) {
  console.error(`still missing after apt-get: ${still.map((n) => n.pkg).join(" ")}`);
  process.exit(1);
}
