// Several web processes on one machine (WEB_PROCESSES, docs/decisions/052): one Node process renders pages on
// one core, so a machine with more serves with more. node:cluster's primary forks the processes and hands out
// the connections on the one port round robin; it serves nothing itself. A process that dies is replaced (a
// crash loop stops the primary, so its supervisor sees it); SIGTERM stops them all, each finishing its
// requests. /metrics, asked of any process, answers for all of them (prom-client's AggregatorRegistry).
import cluster, { type Worker } from "node:cluster";
import client from "prom-client";
import { logger } from "../log.ts";
import { registry } from "./registry.ts";

const ASK = "am:metrics?";
const ANSWER = "am:metrics";
type Ask = { type: typeof ASK; id: number };
type Answer = { type: typeof ANSWER; id: number; text?: string; error?: string };

/** More than this many deaths a minute for each process is a crash loop: the primary gives up. */
const DEATHS_A_MINUTE = 3;
/** How long the processes may take to finish their requests on SIGTERM before they are killed. */
const STOP_MS = 30_000;

export const isWebWorker = () => cluster.isWorker;

/**
 * The primary: forks `count` web processes of `exec` (by default this same script) and keeps that many running
 * until SIGTERM.
 */
export function runWebProcesses(count: number, exec?: string): void {
  if (exec) cluster.setupPrimary({ exec });
  const aggregator = new client.AggregatorRegistry();
  const deaths: number[] = [];
  let stopping = false;

  // A process asked for /metrics: every process's, added up (a histogram's counts, the pools' connections) or
  // not (what each reads alike from Redis or PostgreSQL: the queue depths, the outbox lag), then back to it.
  cluster.on("message", (from: Worker, message: Ask) => {
    if (message?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (text) => from.isConnected() && from.send({ type: ANSWER, id: message.id, text } satisfies Answer),
      (err: Error) =>
        from.isConnected() && from.send({ type: ANSWER, id: message.id, error: err.message } satisfies Answer),
    );
  });

  cluster.on("exit", (dead, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths[0]! < now - 60_000) deaths.shift();
    if (deaths.length > DEATHS_A_MINUTE * count) {
      logger.fatal({ deaths: deaths.length }, "web processes keep dying; stopping");
      process.exit(1);
    }
    logger.error({ pid: dead.process.pid, code, signal }, "a web process died; starting another");
    cluster.fork();
  });

  const stop = () => {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {});
    if (alive.length === 0) process.exit(0);
    for (const w of alive) w?.process.kill("SIGTERM");
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGKILL");
      process.exit(1);
    }, STOP_MS).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  for (let i = 0; i < count; i++) cluster.fork();
  logger.info({ processes: count }, "web: started the processes");
}

let asked = 0;
const pending = new Map<number, (a: Answer) => void>();

/** In a web process of several: lets the primary collect this process's metrics, and hears its answers. */
export function joinMetrics(): void {
  new client.AggregatorRegistry();
  client.AggregatorRegistry.setRegistries([registry]);
  process.on("message", (m: Answer) => {
    if (m?.type === ANSWER) pending.get(m.id)?.(m);
  });
}

/** In a web process of several: every process's metrics together, asked of the primary. */
export function clusterMetrics(): Promise<string> {
  const id = ++asked;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error("the other web processes did not answer for /metrics in 10 s"));
    }, 10_000);
    pending.set(id, (a) => {
      clearTimeout(timer);
      pending.delete(id);
      if (a.text !== undefined) resolve(a.text);
      else reject(new Error(a.error ?? "no metrics"));
    });
    process.send!({ type: ASK, id } satisfies Ask);
  });
}
