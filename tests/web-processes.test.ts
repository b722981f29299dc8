// Several web processes on one port (WEB_PROCESSES, docs/decisions/052), as `npm start` and production run the
// compiled server: both serve, /metrics counts every request once whichever process answered it, a process that
// dies is replaced while the others go on serving, and SIGTERM stops them all.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import http from "node:http";
import { freePort } from "../server/cli/services.ts";
import { SERVER_BUILD } from "../server/root.ts";
import { childrenOf } from "./processes.ts";

/** A GET on a connection of its own: the primary hands each connection to the next process in turn. */
function getOnce(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, timeout: 10_000 }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("timeout", () => reject(new Error(`no answer from ${url} in 10 s`)))
      .on("error", reject);
  });
}

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + 30_000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const count = (metrics: string, line: string) =>
  Number(
    metrics
      .split("\n")
      .find((l) => l.startsWith(line))
      ?.split(" ")[1] ?? 0,
  );

describe("several web processes (WEB_PROCESSES=2)", () => {
  it("both serve, /metrics adds their requests up once, a dead one is replaced, SIGTERM stops them all", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const output: string[] = [];
    const primary = spawn(process.execPath, [SERVER_BUILD.web], {
      env: { ...process.env, LOG_LEVEL: "info", PORT: String(port), WEB_PROCESSES: "2", AM_SERVICE: "web" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    primary.stdout!.on("data", (d) => output.push(String(d)));
    primary.stderr!.on("data", (d) => output.push(String(d)));
    const started = () =>
      output
        .join("")
        .split("\n")
        .filter((l) => l.includes('"msg":"web started"')).length;
    try {
      await until("two web processes", () => started() >= 2 && childrenOf(primary.pid!).length === 2);
      const first = childrenOf(primary.pid!);

      // 20 requests, each on a connection of its own: every one answered, and /metrics (asked of whichever
      // process) counts all 20 — the two processes' counts added up, not one process's half.
      const healthz = 'am_http_request_duration_seconds_count{method="GET",route="/healthz",status="2xx"}';
      const before = count((await getOnce(`${base}/metrics`)).body, healthz);
      const answers = await Promise.all(Array.from({ length: 20 }, () => getOnce(`${base}/healthz`)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      const metrics = (await getOnce(`${base}/metrics`)).body;
      expect(count(metrics, healthz) - before).toBe(20);
      // What each process reads alike from Redis is not added up: the queues were read, once.
      expect(count(metrics, "am_queue_metrics_ok")).toBe(1);

      // One process killed: once the primary has seen it die, the other serves while a new one starts.
      process.kill(first[0]!, "SIGKILL");
      await until("the primary to see it", () => output.join("").includes("a web process died; starting another"));
      expect((await getOnce(`${base}/healthz`)).status).toBe(200);
      await until("a new web process", () => {
        const now = childrenOf(primary.pid!);
        return now.length === 2 && !now.includes(first[0]!) && started() >= 3;
      });
      expect((await getOnce(`${base}/healthz`)).status).toBe(200);

      // SIGTERM to the primary: every process finishes and exits, the primary with 0.
      const workers = childrenOf(primary.pid!);
      const code = await new Promise<number | null>((r) => {
        primary.once("exit", (c) => r(c));
        primary.kill("SIGTERM");
      });
      expect(code).toBe(0);
      await until("the web processes gone", () => workers.every((pid) => !readdirSync("/proc").includes(String(pid))));
    } finally {
      if (primary.exitCode === null) primary.kill("SIGKILL");
      for (const pid of childrenOf(primary.pid!)) process.kill(pid, "SIGKILL");
    }
  }, 90_000);
});
