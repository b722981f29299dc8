// A PostgreSQL primary and a hot standby of the test's own, with streaming replication, from the server
// binaries on the machine (Debian's postgresql package: initdb, pg_ctl, postgres, pg_basebackup — `npm test`
// installs it through tests/prerequisites.mjs). The harness is the clusters' superuser; what the app does on
// them runs as the roles production has. initdb and postgres refuse to run as root, so as root they run as
// the OS user `postgres`. Every wait is bounded; `dispose` stops both servers and deletes their files, and if
// the test process dies without it (killed by the runner, a crash), a watchdog does the same.
import { execFile, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "../../server/cli/services.ts";

const SUPERUSER = "postgres";

/** The newest PostgreSQL server binaries installed the Debian way that can build a standby. */
export function postgresBinDir(): string {
  const base = "/usr/lib/postgresql";
  const needed = ["initdb", "pg_ctl", "postgres", "pg_basebackup"];
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const found = versions
    .map((v) => path.join(base, v, "bin"))
    .find((dir) => needed.every((b) => existsSync(path.join(dir, b))));
  if (!found)
    throw new Error(
      `no PostgreSQL server binaries (${needed.join(", ")}) under ${base}: run \`node tests/prerequisites.mjs\` (apt-get install postgresql)`,
    );
  return found;
}

/** Who runs the servers: this user, or `postgres` when we are root. */
function serverOwner(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

export type PgServer = {
  name: string;
  port: number;
  dataDir: string;
  /** A URL to `database` on this server as `user` (the superuser by default). */
  url: (database: string, user?: string, password?: string) => string;
  /** Runs one statement as the superuser on the `postgres` database (or `database`). */
  sql: <R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
    database?: string,
  ) => Promise<R[]>;
  /** The server's log, for failure messages. */
  log: () => string;
};

export type StreamingPair = { primary: PgServer; standby: PgServer; dispose: () => Promise<void> };

export async function startStreamingPair(): Promise<StreamingPair> {
  const bin = postgresBinDir();
  const owner = serverOwner();
  const root = mkdtempSync(path.join(os.tmpdir(), "am-replica-"));
  if (owner) chownSync(root, owner.uid, owner.gid);
  const password = randomBytes(12).toString("hex");
  const servers: PgServer[] = [];

  /** Runs a server binary as the servers' owner; fails with its output after `timeoutMs`. */
  const run = (program: string, args: string[], timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      execFile(
        path.join(bin, program),
        args,
        {
          cwd: root,
          timeout: timeoutMs,
          killSignal: "SIGKILL",
          env: { ...process.env, LANG: "C", LC_ALL: "C", PGPASSWORD: password },
          encoding: "utf8",
          ...(owner ?? {}),
        },
        (err, stdout, stderr) =>
          err ? reject(new Error(`${program} ${args.join(" ")}: ${err.message}\n${stdout}${stderr}`)) : resolve(stdout),
      );
    });

  const server = (name: string, port: number): PgServer => {
    const dataDir = path.join(root, name);
    const logFile = path.join(root, `${name}.log`);
    return {
      name,
      port,
      dataDir,
      url: (database, user = SUPERUSER, pw = password) =>
        `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@127.0.0.1:${port}/${database}`,
      async sql(text, params, database = "postgres") {
        const client = new pg.Client({
          connectionString: this.url(database),
          connectionTimeoutMillis: 10_000,
          statement_timeout: 30_000,
        });
        await client.connect();
        try {
          return (await client.query(text, params)).rows;
        } finally {
          await client.end();
        }
      },
      log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-4000) : ""),
    };
  };

  const alive = new Set<string>(); // data dirs of servers started and not yet stopped
  const start = async (s: PgServer) => {
    alive.add(s.dataDir);
    await run(
      "pg_ctl",
      ["-D", s.dataDir, "-l", path.join(root, `${s.name}.log`), "-w", "-t", "60", "start"],
      90_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${s.log()}`);
    });
  };

  const dispose = async () => {
    for (const s of [...servers].reverse()) {
      if (!alive.has(s.dataDir)) continue;
      await run("pg_ctl", ["-D", s.dataDir, "-m", "immediate", "-w", "-t", "30", "stop"], 40_000).catch(() =>
        killPostmaster(s.dataDir),
      );
      alive.delete(s.dataDir);
    }
    rmSync(root, { recursive: true, force: true });
    watchdog.kill();
  };

  // Outlives this process: once it is gone, stops whatever postmaster is left (immediate shutdown) and deletes
  // the files. A process exit hook is not enough — the test runner may kill its workers outright.
  const watchdog = spawn(
    "sh",
    [
      "-c",
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done
      for d in "$0"/*/; do [ -f "$d/postmaster.pid" ] && kill -QUIT "$(head -n 1 "$d/postmaster.pid")" 2>/dev/null; done
      sleep 2; rm -rf "$0"`,
      root,
    ],
    { detached: true, stdio: "ignore" },
  );
  watchdog.unref();

  try {
    const primary = server("primary", await freePort());
    servers.push(primary);
    const pwfile = path.join(root, "pwfile");
    writeFileSync(pwfile, `${password}\n`);
    if (owner) chownSync(pwfile, owner.uid, owner.gid);
    // Password (SCRAM) on TCP, as a real server; the local socket lives in the temp dir only.
    await run("initdb", [
      "-D",
      primary.dataDir,
      "-U",
      SUPERUSER,
      `--pwfile=${pwfile}`,
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
    ]);
    appendFileSync(
      path.join(primary.dataDir, "postgresql.conf"),
      [
        "",
        "# tests/scale/streaming-replica.ts",
        "listen_addresses = '127.0.0.1'",
        `port = ${primary.port}`,
        `unix_socket_directories = '${root}'`,
        "max_connections = 60",
        "shared_buffers = 32MB",
        "wal_level = replica",
        "max_wal_senders = 4",
        "max_replication_slots = 4",
        "hot_standby = on",
        "fsync = off", // a throw-away cluster; replication does not depend on it
        "",
      ].join("\n"),
    );
    await start(primary);

    // The standby: a base backup of the running primary that streams from it through a replication slot
    // (-R writes primary_conninfo and standby.signal), on a port of its own.
    const standby = server("standby", await freePort());
    servers.push(standby);
    await run(
      "pg_basebackup",
      [
        "-h",
        "127.0.0.1",
        "-p",
        String(primary.port),
        "-U",
        SUPERUSER,
        "-D",
        standby.dataDir,
        "-R",
        "-X",
        "stream",
        "-C",
        "-S",
        "am_standby",
        "-c",
        "fast",
      ],
      120_000,
    );
    appendFileSync(path.join(standby.dataDir, "postgresql.conf"), `\nport = ${standby.port}\n`);
    await start(standby);

    const end = Date.now() + 30_000;
    for (;;) {
      const [row] = await primary.sql<{ state: string }>(
        "SELECT state FROM pg_stat_replication WHERE application_name <> ''",
      );
      if (row?.state === "streaming") break;
      if (Date.now() > end)
        throw new Error(`the standby never streamed (state ${row?.state ?? "none"})\n${standby.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { primary, standby, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** Waits until the standby has replayed everything the primary has written so far. */
export async function standbyCaughtUp(pair: StreamingPair, timeoutMs = 20_000): Promise<void> {
  const [{ lsn }] = (await pair.primary.sql<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn")) as [
    { lsn: string },
  ];
  const end = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await pair.standby.sql<{ done: boolean }>("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done", [
      lsn,
    ]);
    if (row?.done) return;
    if (Date.now() > end)
      throw new Error(`the standby did not replay up to ${lsn} within ${timeoutMs} ms\n${pair.standby.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGQUIT (immediate shutdown) to the postmaster of `dataDir`, if one still runs: when pg_ctl could not stop it. */
function killPostmaster(dataDir: string): void {
  try {
    const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    if (pid > 0) process.kill(pid, "SIGQUIT");
  } catch {
    // not running
  }
}
