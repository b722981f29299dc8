// Shared pieces of the fault suite: waiting for a condition, the real worker as a child process that can be
// SIGKILLed, a dedicated redis-server that can be stopped and started on the same port, the real web app
// on a free port with a tRPC-over-HTTP client, and exact counts of what the mail sink received.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { Redis } from "ioredis";
import { freePort } from "../../server/cli/services.ts";
export { startWebApp } from "../web.ts";
import { until } from "../wait.ts";
export { until };
import { startSession } from "../../server/auth/sessions.ts";
import { describeError } from "../../server/trpc.ts";
import { testState } from "../state.ts";
import { meta } from "../factories.ts";
import { schoolPaidThrough } from "../billing.ts";
import { operatorDb } from "../../server/db/client.ts";
import { addDays } from "../../domain/kz/time.ts";
import { settleSchool } from "../../server/billing/cycle.ts";

export const root = path.resolve(import.meta.dirname, "../..");
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `jobs/worker.ts` as its own process, on this test file's database, Redis prefix and mail sink. */
export function spawnWorker(env: Record<string, string> = {}): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "warn", AM_SERVICE: "worker", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout!.on("data", (d) => child.output.push(String(d)));
  child.stderr!.on("data", (d) => child.output.push(String(d)));
  return child;
}

/** Sends `signal` and waits for the process to be gone. */
export async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill(signal);
  await gone;
}

/**
 * A redis-server of the test's own on a fixed port, with an append-only file (as production runs it,
 * ADR 013): stopping it and starting it again on the same port keeps the queued jobs.
 */
export async function dedicatedRedis() {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "am-faults-redis-"));
  let proc: ChildProcess | undefined;
  const ping = async () => {
    const probe = new Redis(port, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => {});
    try {
      await probe.connect();
      return (await probe.ping()) === "PONG";
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  };
  const self = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return proc !== undefined;
    },
    async start() {
      proc = spawn(
        "redis-server",
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--dir",
          dir,
          "--save",
          "",
          "--appendonly",
          "yes",
          "--appendfsync",
          "always",
        ],
        { stdio: "ignore" },
      );
      await until(ping, 10_000, `redis-server on port ${port}`);
    },
    /** SIGTERM: Redis shuts down cleanly, its append-only file complete. */
    async stop() {
      await stopProcess(proc, "SIGTERM");
      proc = undefined;
    },
    async dispose() {
      await stopProcess(proc, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await self.start();
  return self;
}

/** The real Express app (server/web.ts) in this process, on a free port. */
/** A session cookie (`am_session=…`) for the user, as the browser would send it. */
export async function sessionCookie(userId: string): Promise<string> {
  return (await startSession(userId, meta)).cookie.split(";")[0]!;
}

export type TrpcAnswer = {
  status: number;
  retryAfter: string | null;
  ms: number;
  data: unknown;
  message: string | null;
  code: string | null;
  fieldErrors: Record<string, string> | null;
};

/** A tRPC mutation over HTTP, as @trpc/react-query sends it (superjson envelope, no batching). */
export async function trpcMutation(
  base: string,
  procedure: string,
  input: unknown,
  opts: { cookie?: string; lang?: "kk" | "ru"; timeoutMs?: number; ip?: string } = {},
): Promise<TrpcAnswer> {
  const started = Date.now();
  const cookie = [opts.cookie, opts.lang ? `am_lang=${opts.lang}` : null].filter(Boolean).join("; ");
  const res = await fetch(`${base}/api/trpc/${procedure}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(cookie ? { cookie } : {}),
      ...(opts.ip ? { "x-forwarded-for": opts.ip } : {}),
    },
    body: JSON.stringify({ json: input }),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
  });
  const body = (await res.json()) as {
    result?: { data: { json: unknown } };
    error?: { json: { message: string; data: { code: string; fieldErrors: Record<string, string> | null } } };
  };
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    ms: Date.now() - started,
    data: body.result?.data.json ?? null,
    message: body.error?.json.message ?? null,
    code: body.error?.json.data.code ?? null,
    fieldErrors: body.error?.json.data.fieldErrors ?? null,
  };
}

/** The refusal as the person reads it, from a tRPC caller's rejection. */
export function refusal(err: unknown, locale: "kk" | "ru") {
  if (!(err instanceof TRPCError)) throw new Error(`expected a tRPC refusal, got ${String(err)}`);
  return { code: err.code, ...describeError(err, locale) };
}

/** What this test file's mail sink received, per recipient address (lower case). */
export function sunkPerRecipient(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of testState.sink!.messages) for (const to of m.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

/** How many messages the sink received for each of `addresses` (0 when none). */
export function sunkFor(addresses: string[]): number[] {
  const counts = sunkPerRecipient();
  return addresses.map((a) => counts.get(a.toLowerCase()) ?? 0);
}

/**
 * A school signed up for real whose one invoice went unpaid until the billing run suspended it (the run
 * after a long outage jumps straight there). Returns the school with its director and the open invoice.
 */
export async function suspendedSchool() {
  const s = await schoolPaidThrough(50);
  await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
  await settleSchool(s.schoolId, addDays(s.paidThrough, 41));
  const school = await operatorDb().school.findUniqueOrThrow({ where: { id: s.schoolId } });
  if (school.status !== "suspended") throw new Error(`expected a suspended school, got ${school.status}`);
  const invoice = await operatorDb().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
  return {
    ...s,
    name: school.name,
    bin: school.binIin,
    invoice: { id: invoice.id, number: invoice.number, amountTiyn: Number(invoice.amountTiyn) },
  };
}
