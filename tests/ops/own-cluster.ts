// A throw-away PostgreSQL cluster of the test's own ("another cluster" for the restore drill), from the server
// binaries Debian's postgresql package installs (tests/prerequisites.mjs). The test is its superuser — allowed
// only on a cluster it starts itself; what it checks runs as a managed-style owner created there. initdb and
// postgres refuse root, so as root they run as the OS user `postgres`. `stop` removes everything.
import { execFile, execFileSync } from "node:child_process";
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

export type OwnCluster = {
  major: number;
  /** URL of `database` as `user` (the superuser `postgres` unless given). */
  url: (database: string, user?: string, password?: string) => string;
  sql: (text: string) => Promise<void>;
  stop: () => Promise<void>;
};

/** The server binaries of `major` (the local server's, so pg_dump and pg_restore fit both clusters). */
function binDir(major: number): string {
  const dir = `/usr/lib/postgresql/${major}/bin`;
  if (!["initdb", "pg_ctl", "postgres"].every((b) => existsSync(path.join(dir, b)))) {
    const have = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").join(", ") : "none";
    throw new Error(
      `no PostgreSQL ${major} server binaries in ${dir} (installed: ${have}): run \`node tests/prerequisites.mjs\``,
    );
  }
  return dir;
}

export async function startOwnCluster(major: number): Promise<OwnCluster> {
  const bin = binDir(major);
  const asPostgres: { uid?: number; gid?: number } =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })),
          gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })),
        }
      : {};
  const chown = (file: string) => asPostgres.uid !== undefined && chownSync(file, asPostgres.uid, asPostgres.gid!);
  const root = mkdtempSync(path.join(os.tmpdir(), "am-cluster-"));
  chown(root);
  const dataDir = path.join(root, "data");
  const logFile = path.join(root, "server.log");
  const password = randomBytes(12).toString("hex");
  const port = await freePort();
  const run = (program: string, args: string[]) =>
    new Promise<void>((resolve, reject) =>
      execFile(
        path.join(bin, program),
        args,
        {
          cwd: root,
          timeout: 90_000,
          killSignal: "SIGKILL",
          env: { ...process.env, LANG: "C", LC_ALL: "C" },
          ...asPostgres,
        },
        (err, out, errOut) =>
          err
            ? reject(
                new Error(
                  `${program}: ${err.message}\n${out}${errOut}\n${existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-2000) : ""}`,
                ),
              )
            : resolve(),
      ),
    );
  const pwfile = path.join(root, "pwfile");
  writeFileSync(pwfile, `${password}\n`);
  chown(pwfile);
  let running = false;
  // A test process that dies anyway takes its server down with it.
  const kill = () => {
    try {
      process.kill(Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]), "SIGQUIT");
    } catch {
      // not running
    }
  };
  process.once("exit", kill);
  const stop = async () => {
    if (running) await run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]).catch(kill);
    running = false;
    process.off("exit", kill);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await run("initdb", [
      "-D",
      dataDir,
      "-U",
      "postgres",
      `--pwfile=${pwfile}`,
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
    ]);
    appendFileSync(
      path.join(dataDir, "postgresql.conf"),
      `\nlisten_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${root}'\nmax_connections = 30\nshared_buffers = 32MB\nfsync = off\n`,
    );
    await run("pg_ctl", ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "start"]);
    running = true;
  } catch (e) {
    await stop();
    throw e;
  }
  const url = (database: string, user = "postgres", pw = password) =>
    `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@127.0.0.1:${port}/${database}`;
  return {
    major,
    url,
    async sql(text) {
      const c = new pg.Client({ connectionString: url("postgres") });
      await c.connect();
      try {
        await c.query(text);
      } finally {
        await c.end();
      }
    },
    stop,
  };
}
