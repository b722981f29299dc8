// `npm run bench` (part 1): the hot tenant procedures through the real HTTP stack — the web process
// as `npm start` runs it (session cookie → tRPC → rate limiter → RLS transaction → Prisma), at 50
// concurrent clients, beside a bare Node `http` + `pg` handler doing each request in one round trip with the
// same SQL (tests/bench/bare-server.ts, bare.sql), and beside pgbench running that statement (the database's own
// ceiling). 200 schools, 200,000 trainees with their lessons (tests/bench/generate.ts, reproducible from
// BENCH_SEED). Reports p50/p95/p99, throughput, the ratios to the bare handler and to the database, and the web
// process's memory; asserts nothing. BENCH_DB names the database (default am_bench_http). BENCH_SCHOOLS, BENCH_TRAINEES_PER_SCHOOL, BENCH_CLIENTS, BENCH_SECONDS, BENCH_ONLY, BENCH_WEB_ARGS;
// BENCH_REUSE=1 keeps the database of the previous run when its shape matches. BENCH_PROFILE=1 times nothing: it
// profiles the web process serving each procedure one at a time and writes docs/bench/PROFILE-http.md.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import http from "node:http";
import path from "node:path";
import pg from "pg";
import { ensureServices } from "../../server/cli/services.ts";
import { withCredentials } from "../../server/config.ts";
import { findPgTools, libpqConnection } from "../../server/db/backup.ts";
import { WEB_NODE_FLAGS } from "../../server/cli/node-flags.ts";
import { SERVER_BUILD } from "../../server/root.ts";
import { LESSONS_FROM } from "./generate.ts";
import { percentile, recordFigures, type BenchFigure } from "./report.ts";
import {
  directorCookies,
  openLoop,
  PASSWORDS,
  prepare,
  spawnServer,
  tenantsUrl,
  webEnv as webEnvOf,
} from "./tenants-db.ts";
import { profileFlags, profiling, window, writeProfile, type Window } from "./profile.ts";

const env = process.env;
const CLIENTS = Number(env.BENCH_CLIENTS ?? 50);
const SECONDS = Number(env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
/** In the paced runs each client sends one request every PACE_MS (1 s: 50 people each clicking once a second, 50 requests a second). */
const PACE_MS = Number(env.BENCH_PACE_MS ?? 1000);
const RATE = Math.round((CLIENTS * 1000) / PACE_MS);
const POOL = env.DB_POOL_SIZE ?? "10";

// ---------------------------------------------------------------------------------------------
// The data (tests/bench/tenants-db.ts)

const services = await ensureServices();
const url = tenantsUrl(services);
const schools = await prepare(services);
// The one-round-trip yardstick's functions (tests/bench/bare.sql), in the bench's database only.
{
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(readFileSync(path.join(import.meta.dirname, "bare.sql"), "utf8"));
  await db.end();
}

// One signed-in director per client, each in a different school.
const clients = Array.from({ length: CLIENTS }, (_, c) => schools[Math.floor((c * schools.length) / CLIENTS)]!);
const cookies = await directorCookies(url, clients);

// ---------------------------------------------------------------------------------------------
// The two servers

const webEnv = webEnvOf(services, POOL);
// The web process runs with the flags `npm start` gives it; BENCH_WEB_ARGS adds more (e.g. --cpu-prof).
// The compiled server (`npm run bench` builds it), as `npm start` and production run it.
const profile = profiling ? profileFlags() : null;
const web = await spawnServer(SERVER_BUILD.web, webEnv, async (base) => (await fetch(`${base}/healthz`)).ok, [
  ...WEB_NODE_FLAGS,
  ...(profile?.flags ?? []),
  ...(env.BENCH_WEB_ARGS ?? "").split(" ").filter(Boolean),
]);
const appUrl = withCredentials(url, "avtomektep_app", PASSWORDS.app);
const bare = await spawnServer(
  "tests/bench/bare-server.ts",
  { BARE_DB_URL: appUrl, DB_POOL_SIZE: POOL },
  async (base) => {
    await fetch(`${base}/list`);
    return true;
  },
);

// ---------------------------------------------------------------------------------------------
// The load

const agent = new http.Agent({ keepAlive: true });

function get(base: string, pathAndQuery: string, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${pathAndQuery}`, { agent, headers: { cookie, "accept-language": "ru" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

type Run = { latencies: number[]; requests: number; errors: number; seconds: number; firstError?: string };

/** CLIENTS loops, each sending its next request as soon as the last one is answered. */
async function load(base: string, request: (client: number, i: number) => string, seconds: number): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; performance.now() < end; i++) {
        const s = performance.now();
        const res = await get(base, request(c, i), cookies[c]!);
        latencies.push(performance.now() - s);
        if (res.status !== 200) {
          errors++;
          firstError ??= `${res.status} ${res.body.slice(0, 300)}`;
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { latencies, requests: latencies.length, errors, seconds: elapsed, firstError };
}

/**
 * CLIENTS clients at a steady pace: each sends a request every PACE_MS whether or not the last one is
 * back (open loop), and latency counts from when the request was due, so a stall shows in full.
 */
async function paced(base: string, request: (client: number, i: number) => string, seconds: number): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  await openLoop(
    { clients: CLIENTS, paceMs: PACE_MS, seconds },
    (c, i) => get(base, request(c, i), cookies[c]!),
    (_c, _i, latency, res) => {
      latencies.push(latency);
      if (res.status !== 200) {
        errors++;
        firstError ??= `${res.status} ${res.body.slice(0, 300)}`;
      }
    },
  );
  latencies.sort((a, b) => a - b);
  return { latencies, requests: latencies.length, errors, seconds: (performance.now() - start) / 1000, firstError };
}

/** Peak resident memory of a process, sampled while `during` runs. */
async function peakRss(pid: number, during: Promise<unknown>): Promise<number> {
  let peak = 0;
  const sample = () => {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (m) peak = Math.max(peak, Number(m[1]) / 1024);
  };
  const timer = setInterval(sample, 100);
  await during;
  clearInterval(timer);
  sample();
  return peak;
}

const trpc = (procedure: string, input: unknown) =>
  `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
const query = (route: string, params: Record<string, string>) => `/${route}?${new URLSearchParams(params)}`;
const STATUSES = ["applicant", "enrolled", "training", "exams", "graduated"];
const weekStarts = Array.from({ length: 8 }, (_, k) => {
  const d = new Date(`${LESSONS_FROM}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 7 * k);
  return d.toISOString().slice(0, 10);
});
const plusDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Search terms a registrar types: part of a surname, or the first digits of an IIN. */
const terms = clients.map((s) =>
  s.trainees.map((t, k) => (k % 2 ? t.iin.slice(0, 6) : t.lastName.slice(0, 4).toLowerCase())),
);

type Scenario = {
  name: string;
  ours: (c: number, i: number) => string;
  bare: (c: number, i: number) => string;
  /** The bare function's call for pgbench, on a row `p` of bench.pick (its session, slug and arguments a, b). */
  call: string;
};
const scenarios: Scenario[] = [
  {
    name: "trainee list, filtered by status (page of 25 + total)",
    ours: (c, i) => trpc("trainees.list", { school: clients[c]!.slug, status: STATUSES[i % STATUSES.length] }),
    bare: (c, i) => query("list", { school: clients[c]!.slug, status: STATUSES[i % STATUSES.length]! }),
    call: "bench.list(p.session, p.slug, p.a)",
  },
  {
    name: "search: part of a surname or an IIN prefix",
    ours: (c, i) => trpc("trainees.list", { school: clients[c]!.slug, q: terms[c]![i % terms[c]!.length] }),
    bare: (c, i) => query("search", { school: clients[c]!.slug, q: terms[c]![i % terms[c]!.length]! }),
    call: "bench.search(p.session, p.slug, p.a)",
  },
  {
    name: "trainee card",
    ours: (c, i) =>
      trpc("trainees.get", { school: clients[c]!.slug, id: clients[c]!.trainees[i % clients[c]!.trainees.length]!.id }),
    bare: (c, i) =>
      query("card", { school: clients[c]!.slug, id: clients[c]!.trainees[i % clients[c]!.trainees.length]!.id }),
    call: "bench.card(p.session, p.slug, p.a::uuid)",
  },
  {
    name: "lesson schedule, one week of the school",
    ours: (c, i) =>
      trpc("training.lessons", {
        school: clients[c]!.slug,
        from: weekStarts[i % 8],
        to: plusDays(weekStarts[i % 8]!, 6),
      }),
    bare: (c, i) =>
      query("lessons", {
        school: clients[c]!.slug,
        from: `${weekStarts[i % 8]}T00:00:00+05:00`,
        to: `${plusDays(weekStarts[i % 8]!, 7)}T00:00:00+05:00`,
      }),
    call: "bench.lessons(p.session, p.slug, p.a::timestamptz, p.b::timestamptz)",
  },
];

// Both answer the same questions the same way before either is timed: the list and a search.
for (const [k, i] of [
  [0, 2],
  [1, 0],
  [1, 1],
] as const) {
  const c = 3;
  const ours = JSON.parse((await get(web.base, scenarios[k]!.ours(c, i), cookies[c]!)).body).result.data.json;
  const theirs = JSON.parse((await get(bare.base, scenarios[k]!.bare(c, i), cookies[c]!)).body);
  if (ours.total !== theirs.total || ours.items[0]?.id !== theirs.items[0]?.id)
    throw new Error(`the two servers disagree on ${scenarios[k]!.name}: ${ours.total} vs ${theirs.total}`);
  console.log(`both servers, ${scenarios[k]!.name}: ${ours.total} found, first ${ours.items[0]?.lastName}`);
}

if (profile) {
  // Each procedure warmed up, then asked for PROFILED times one after another in its own window of the profile.
  const PROFILED = 300;
  const windows: Window[] = [];
  for (const s of scenarios) {
    for (let i = 0; i < 50; i++) await get(web.base, s.ours(i % CLIENTS, i), cookies[i % CLIENTS]!);
    windows.push(
      await window(s.name, PROFILED, async () => {
        for (let i = 0; i < PROFILED; i++) await get(web.base, s.ours(i % CLIENTS, i), cookies[i % CLIENTS]!);
      }),
    );
  }
  agent.destroy();
  await Promise.all([web.stop(), bare.stop()]);
  await services.stop();
  console.log(`profile written: ${writeProfile("http", "the hot procedures over HTTP", profile.dir, windows)}`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// The database's own ceiling: pgbench runs the bare handler's statement for each request the clients send, as
// the app role, over as many connections as each server's pool, with no HTTP and no Node in the way.

const PICKS_PER_CLIENT = 8;
{
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(`DROP TABLE IF EXISTS bench.pick;
    CREATE TABLE bench.pick (scenario int, k int, session text, slug text, a text, b text, PRIMARY KEY (scenario, k));
    GRANT SELECT ON bench.pick TO avtomektep_app;`);
  for (const [n, s] of scenarios.entries()) {
    for (let c = 0; c < CLIENTS; c++) {
      for (let i = 0; i < PICKS_PER_CLIENT; i++) {
        const q = new URL(s.bare(c, i), "http://x").searchParams;
        const [a, b] = [...q.entries()].filter(([key]) => key !== "school").map(([, v]) => v);
        await db.query("INSERT INTO bench.pick VALUES ($1, $2, $3, $4, $5, $6)", [
          n,
          c * PICKS_PER_CLIENT + i,
          cookies[c]!.slice("am_session=".length),
          q.get("school"),
          a,
          b ?? null,
        ]);
      }
    }
  }
  await db.end();
}

// Any pgbench will do (it only sends the statement): the newest found.
const pgbench = (() => {
  const found = findPgTools("pgbench");
  if (!found.length) throw new Error("no pgbench: install postgresql-client (apt-get install postgresql-client-15)");
  return found.sort((a, b) => b.major - a.major)[0]!;
})();
const appConnection = libpqConnection(appUrl);

/** Transactions a second pgbench reaches with scenario `n`'s statement (prepared, as the bare handler sends it). */
function pgbenchCeiling(n: number, seconds: number): number {
  const script = path.join(os.tmpdir(), `am-bench-${process.pid}-${n}.sql`);
  writeFileSync(
    script,
    `\\set k random(0, ${CLIENTS * PICKS_PER_CLIENT - 1})\nSELECT ${scenarios[n]!.call} FROM bench.pick p WHERE p.scenario = ${n} AND p.k = :k;\n`,
  );
  const out = execFileSync(
    pgbench.path,
    ["-n", "-M", "prepared", "-c", POOL, "-j", "2", "-T", String(seconds), "-f", script, appConnection.uri],
    { encoding: "utf8", env: appConnection.env },
  );
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  if (!tps || /failed: [1-9]/.test(out)) throw new Error(`pgbench did not run cleanly:\n${out}`);
  return Number(tps[1]);
}

console.log(
  `\n${CLIENTS} clients; ${SECONDS} s per run after ${WARMUP_SECONDS} s of warm-up; database pool ${POOL} per server.`,
);
console.log(`"flat out": each client sends its next request as soon as the last is answered (the servers' capacity);`);
console.log(`"paced": each client sends one every ${PACE_MS} ms (${RATE} requests a second in all).\n`);
const figures: BenchFigure[] = [];
let peak = 0;
const ms = (v: number) => Math.round(v * 10) / 10;
const p = (run: Run, q: number) => ms(percentile(run.latencies, q));
const row = (label: string, run: Run) =>
  console.log(
    `  ${label.padEnd(18)} p50 ${String(p(run, 50)).padStart(7)} ms   p95 ${String(p(run, 95)).padStart(7)} ms   p99 ${String(p(run, 99)).padStart(7)} ms   ${String(Math.round(run.requests / run.seconds)).padStart(5)} req/s${run.errors ? `   ${run.errors} failed: ${run.firstError}` : ""}`,
  );
/** Runs `work` on the web process while sampling its memory. */
async function onWeb(work: Promise<Run>): Promise<Run> {
  let run: Run | undefined;
  peak = Math.max(
    peak,
    await peakRss(
      web.child.pid!,
      work.then((r) => (run = r)),
    ),
  );
  return run!;
}
// BENCH_ONLY=card runs the scenarios whose name contains the word (for profiling one of them).
for (const [n, s] of scenarios.entries()) {
  if (env.BENCH_ONLY && !s.name.includes(env.BENCH_ONLY)) continue;
  console.log(s.name);
  const ceiling = pgbenchCeiling(n, SECONDS);
  await load(bare.base, s.bare, WARMUP_SECONDS);
  const bareFlat = await load(bare.base, s.bare, SECONDS);
  const barePaced = await paced(bare.base, s.bare, SECONDS);
  await onWeb(load(web.base, s.ours, WARMUP_SECONDS));
  const flat = await onWeb(load(web.base, s.ours, SECONDS));
  const pacedRun = await onWeb(paced(web.base, s.ours, SECONDS));
  row("ours, flat out", flat);
  row("bare, flat out", bareFlat);
  row("ours, paced", pacedRun);
  row("bare, paced", barePaced);
  const ours = flat.requests / flat.seconds;
  const ratio = ours / (bareFlat.requests / bareFlat.seconds);
  console.log(`  database ceiling (pgbench)   ${Math.round(ceiling)} req/s`);
  console.log(`  throughput ÷ bare: ${ratio.toFixed(2)}   ÷ database: ${(ours / ceiling).toFixed(2)}\n`);
  figures.push(
    {
      bench: "http",
      what: `${s.name}: p95, paced at ${RATE} req/s`,
      value: p(pacedRun, 95),
      unit: "ms",
      target: "< 25 ms",
      met: p(pacedRun, 95) < 25,
    },
    { bench: "http", what: `${s.name}: p50, paced at ${RATE} req/s`, value: p(pacedRun, 50), unit: "ms" },
    { bench: "http", what: `${s.name}: p99, paced at ${RATE} req/s`, value: p(pacedRun, 99), unit: "ms" },
    {
      bench: "http",
      what: `${s.name}: p95, flat out`,
      value: p(flat, 95),
      unit: "ms",
      target: "< 25 ms",
      met: p(flat, 95) < 25,
    },
    { bench: "http", what: `${s.name}: throughput, flat out`, value: ours, unit: "req/s" },
    {
      bench: "http",
      what: `${s.name}: bare one-round-trip handler throughput, flat out`,
      value: bareFlat.requests / bareFlat.seconds,
      unit: "req/s",
    },
    {
      bench: "http",
      what: `${s.name}: database ceiling (pgbench, the bare statement, app role and RLS)`,
      value: ceiling,
      unit: "req/s",
    },
    {
      bench: "http",
      what: `${s.name}: throughput ÷ bare one-round-trip handler`,
      value: ratio,
      unit: "×",
      target: "≥ 0.8",
      met: ratio >= 0.8,
    },
    { bench: "http", what: `${s.name}: throughput ÷ database ceiling`, value: ours / ceiling, unit: "×" },
  );
  const failed = flat.errors + pacedRun.errors;
  if (failed)
    figures.push({
      bench: "http",
      what: `${s.name}: failed requests`,
      value: failed,
      unit: "count",
      target: "0",
      met: false,
    });
}
figures.push({
  bench: "http",
  what: "web process peak memory (RSS) during all of the above",
  value: peak,
  unit: "MB",
  target: "< 250 MB",
  met: peak < 250,
});
await recordFigures(figures);

agent.destroy();
await Promise.all([web.stop(), bare.stop()]);
await services.stop();
