// A PgBouncer of the test's own (Debian's /usr/sbin/pgbouncer; `npm test` installs it through
// tests/prerequisites.mjs) in transaction pooling mode, in front of one database of the test server. Clients
// log in with SCRAM against its own userlist (the app and operator roles with their passwords); it logs in to
// PostgreSQL with the same passwords. A stats user reads its console (SHOW POOLS, SHOW STATS). PgBouncer
// refuses to run as root, so as root it runs as the OS user `postgres`.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "../../server/cli/services.ts";

const STATS_USER = { name: "am_pgbouncer_stats", password: "am-pgbouncer-stats" };

export function pgbouncerBinary(): string {
  for (const p of [process.env.PGBOUNCER_PATH, "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"])
    if (p && existsSync(p)) return p;
  throw new Error("no pgbouncer binary: run `node tests/prerequisites.mjs` (apt-get install pgbouncer)");
}

/** The settings the pooler suite runs with (docs/scaling.md quotes them). */
export const PGBOUNCER_SETTINGS = {
  pool_mode: "transaction",
  auth_type: "scram-sha-256",
  default_pool_size: 10,
  max_client_conn: 200,
  server_reset_query: "DISCARD ALL", // the default; not run in transaction mode
} as const;

export type PgBouncer = {
  port: number;
  /** `url` (a PostgreSQL URL to the pooled database) with host and port replaced by PgBouncer's. */
  through: (url: string) => string;
  /** SHOW <what> on PgBouncer's console, rows for the pooled database. */
  show: (what: "POOLS" | "STATS" | "DATABASES") => Promise<Record<string, unknown>[]>;
  log: () => string;
  stop: () => Promise<void>;
};

export async function startPgBouncer(opts: {
  serverUrl: string;
  users: { name: string; password: string }[];
}): Promise<PgBouncer> {
  const server = new URL(opts.serverUrl);
  const database = decodeURIComponent(server.pathname.slice(1));
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "am-pgbouncer-"));
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  writeFileSync(
    path.join(dir, "userlist.txt"),
    `${[...opts.users, STATS_USER].map((u) => `${quote(u.name)} ${quote(u.password)}`).join("\n")}\n`,
  );
  writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `${database} = host=${server.hostname} port=${server.port || 5432} dbname=${database}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      ...Object.entries(PGBOUNCER_SETTINGS).map(([k, v]) => `${k} = ${v}`),
      `stats_users = ${STATS_USER.name}`,
      `logfile = ${path.join(dir, "pgbouncer.log")}`,
      "",
    ].join("\n"),
  );
  let owner: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    owner = { uid: id("-u"), gid: id("-g") };
    for (const f of ["", "userlist.txt", "pgbouncer.ini"]) chownSync(path.join(dir, f), owner.uid, owner.gid);
  }
  const log = () =>
    existsSync(path.join(dir, "pgbouncer.log"))
      ? readFileSync(path.join(dir, "pgbouncer.log"), "utf8").slice(-4000)
      : "";
  const proc: ChildProcess = spawn(pgbouncerBinary(), [path.join(dir, "pgbouncer.ini")], {
    stdio: ["ignore", "ignore", "pipe"],
    ...(owner ?? {}),
  });
  let stderr = "";
  proc.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGTERM"); // PgBouncer 1.18: immediate shutdown (the app's pools are closed by now)
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    watchdog.kill();
  };
  // If this process dies without `stop` (killed by the test runner, a crash), a watchdog stops PgBouncer and
  // deletes its files.
  const watchdog = spawn(
    "sh",
    [
      "-c",
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -TERM ${proc.pid} 2>/dev/null; sleep 1; rm -rf "$0"`,
      dir,
    ],
    { detached: true, stdio: "ignore" },
  );
  watchdog.unref();

  const console_ = (q: string) => {
    // PgBouncer's console speaks the simple query protocol only.
    const c = new pg.Client({
      host: "127.0.0.1",
      port,
      database: "pgbouncer",
      user: STATS_USER.name,
      password: STATS_USER.password,
      connectionTimeoutMillis: 2_000,
    });
    return c.connect().then(
      () => c.query(q).finally(() => c.end()),
      (e: unknown) => (c.end().catch(() => {}), Promise.reject(e)),
    );
  };
  const end = Date.now() + 10_000;
  for (;;) {
    try {
      await console_("SHOW VERSION");
      break;
    } catch (e) {
      if (proc.exitCode !== null || Date.now() > end) {
        await stop();
        throw new Error(`pgbouncer did not start: ${String(e)}\n${stderr}${log()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    port,
    through(url) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    async show(what) {
      const { rows } = await console_(`SHOW ${what}`);
      return rows.filter((r: Record<string, unknown>) => r.database === database || r.name === database);
    },
    log,
    stop,
  };
}
