// `npm run bench` (after the http part): the workspace pages a director uses, server-rendered end to end at 200,000
// trainees (tests/bench/tenants-db.ts) — the dashboard, the register, a trainee card and the lessons week,
// each a full HTML document GET with a signed-in director's session cookie, as a browser sends it. 50
// clients each ask for one page a second (open loop: latency counts from when the request was due); every
// answer must be 200 and show what the page is for. Then the JavaScript each page ships (the /build
// modules its HTML loads, raw and gzipped), and the web process's memory while every workspace XLSX export
// runs for a few schools at once beside the same page load. Reports, asserts nothing. BENCH_SCHOOLS,
// BENCH_CLIENTS, BENCH_SECONDS, BENCH_ONLY (a page's name), BENCH_EXPORT_SCHOOLS, BENCH_WEB_ARGS,
// BENCH_WEB_PROCESSES, BENCH_REUSE=1. BENCH_PROFILE=1 times nothing: it profiles the web process while it serves
// each page one at a time and writes docs/bench/PROFILE-pages.md (tests/bench/profile.ts).
import { readFileSync } from "node:fs";
import http from "node:http";
import { gunzipSync, gzipSync } from "node:zlib";
import pg from "pg";
import { ensureServices } from "../../server/cli/services.ts";
import { WEB_NODE_FLAGS } from "../../server/cli/node-flags.ts";
import { LESSONS_FROM, type BenchSchool } from "./generate.ts";
import { percentile, recordFigures, type BenchFigure } from "./report.ts";
import { directorCookies, openLoop, prepare, spawnServer, tenantsUrl, webEnv } from "./tenants-db.ts";
import { SERVER_BUILD } from "../../server/root.ts";
import { childrenOf } from "../processes.ts";
import { profileFlags, profiling, window, writeProfile, type Window } from "./profile.ts";

const env = process.env;
const CLIENTS = Number(env.BENCH_CLIENTS ?? 50);
const SECONDS = Number(env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
const PACE_MS = 1000;
const RATE = Math.round((CLIENTS * 1000) / PACE_MS);
const POOL = env.DB_POOL_SIZE ?? "10";
const EXPORT_SCHOOLS = Number(env.BENCH_EXPORT_SCHOOLS ?? 3);
// One web process, as `npm start` runs it. BENCH_WEB_PROCESSES=2 runs several (WEB_PROCESSES, ADR 052): on this
// machine, where PostgreSQL and the bench itself share the two cores, two were slower for every page but the week.
const PROCESSES = env.BENCH_WEB_PROCESSES ?? "1";
const WEB = PROCESSES === "1" ? "the web process" : `the ${PROCESSES} web processes and their primary`;

// ---------------------------------------------------------------------------------------------
// The data and the web process

const services = await ensureServices();
const url = tenantsUrl(services);
const schools = await prepare(services);
const clients = Array.from({ length: CLIENTS }, (_, c) => schools[Math.floor((c * schools.length) / CLIENTS)]!);
const cookies = await directorCookies(url, clients);

// The exports run in schools none of the page clients is in (when there are enough), each with a study
// group of 30 trainees for the group list (the generated schools have no groups). Idempotent for BENCH_REUSE.
const exportSchools = pickExportSchools();
const exportCookies = await directorCookies(url, exportSchools);
const exportGroups = await ensureGroups(exportSchools);

function pickExportSchools(): BenchSchool[] {
  const others = schools.filter((s) => !clients.includes(s));
  return (others.length >= EXPORT_SCHOOLS ? others : schools).slice(0, EXPORT_SCHOOLS);
}

async function ensureGroups(of: BenchSchool[]): Promise<string[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const ids: string[] = [];
  for (const school of of) {
    await db.query(
      `INSERT INTO study_group (id, school_id, number, category, starts_on, ends_on)
       VALUES (gen_random_uuid(), $1, 'B-bench', 'B', DATE '2026-10-01', DATE '2027-01-31')
       ON CONFLICT (school_id, number) DO NOTHING`,
      [school.id],
    );
    const { rows } = await db.query("SELECT id FROM study_group WHERE school_id = $1 AND number = 'B-bench'", [
      school.id,
    ]);
    const id = rows[0].id as string;
    await db.query(
      `UPDATE trainee SET group_id = $2
        WHERE id IN (SELECT id FROM trainee WHERE school_id = $1 AND category = 'B' ORDER BY id LIMIT 30)`,
      [school.id, id],
    );
    ids.push(id);
  }
  await db.end();
  return ids;
}

// The web process runs with the flags `npm start` gives it; BENCH_WEB_ARGS adds more (e.g. --cpu-prof).
// The compiled server (`npm run bench` builds it), as `npm start` and production run it.
const profile = profiling ? profileFlags() : null;
const web = await spawnServer(
  SERVER_BUILD.web,
  { ...webEnv(services, POOL), WEB_PROCESSES: profile ? "1" : PROCESSES },
  async (base) => (await fetch(`${base}/healthz`)).ok,
  [...WEB_NODE_FLAGS, ...(profile?.flags ?? []), ...(env.BENCH_WEB_ARGS ?? "").split(" ").filter(Boolean)],
);

// ---------------------------------------------------------------------------------------------
// Requests as a browser sends them

const agent = new http.Agent({ keepAlive: true });
type Answer = { status: number; type: string; body: Buffer };

function get(path: string, cookie: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = {
      cookie,
      accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
      "accept-encoding": "gzip",
      "accept-language": "ru",
      "user-agent": "Mozilla/5.0 (bench)",
    };
    const req = http.get(`${web.base}${path}`, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        const body = res.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

/** A page: the path client c asks for on its i-th request, and what its HTML must show (null when it does). */
type Page = {
  name: string;
  path: (c: number, i: number) => string;
  wrong: (html: string, c: number, i: number) => string | null;
};

const weekStarts = Array.from({ length: 8 }, (_, k) => {
  const d = new Date(`${LESSONS_FROM}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 7 * k);
  return d.toISOString().slice(0, 10);
});
const STATUSES = ["", "applicant", "enrolled", "training", "exams", "graduated"];
const sample = (c: number, i: number) => clients[c]!.trainees[i % clients[c]!.trainees.length]!;
const needs = (html: string, ...parts: string[]) => {
  const missing = parts.find((p) => !html.includes(p));
  return missing === undefined ? null : `no "${missing}" in the page`;
};
/** Any of the generated surnames: a list of trainees shows some. */
const SURNAME =
  /(Ахметов|Серікбаев|Иванов|Нұрланов|Жумабеков|Ким|Оспанов|Петров|Қасымов|Әлиев|Смағұлов|Байжанов|Сидоров|Тұрсынов|Омаров|Мұратов|Есенова|Абенов|Кузнецов|Жақсылықов)/;
const someTrainee = (html: string) => (SURNAME.test(html) ? null : "no trainee's name in the page");

const pages: Page[] = [
  {
    name: "dashboard",
    path: (c) => `/s/${clients[c]!.slug}/dashboard`,
    // The figures and the chart of trainees by status, which links to the register filtered.
    wrong: (html, c) => needs(html, 'class="dash-stats"', `/s/${clients[c]!.slug}/trainees?status=training`),
  },
  {
    name: "register",
    // The first page of the list, by name, now and then filtered by status as a registrar does.
    path: (c, i) => {
      const status = STATUSES[i % STATUSES.length];
      return `/s/${clients[c]!.slug}/trainees${status ? `?status=${status}` : ""}`;
    },
    wrong: (html) => someTrainee(html),
  },
  {
    name: "trainee card",
    path: (c, i) => `/s/${clients[c]!.slug}/trainees/${sample(c, i).id}`,
    wrong: (html, c, i) => needs(html, sample(c, i).lastName, sample(c, i).iin),
  },
  {
    name: "lessons week",
    path: (c, i) => `/s/${clients[c]!.slug}/lessons?week=${weekStarts[i % weekStarts.length]}`,
    wrong: (html) => someTrainee(html),
  },
];

// ---------------------------------------------------------------------------------------------
// The load

/** `kinds`: how many failures of each kind (the status or the error, and the first words of the page). */
type Run = { latencies: number[]; failures: number; kinds: Map<string, number> };

/** The verdict on one answer: null when it is the page it should be. */
function judge(page: Page, res: Answer, c: number, i: number): string | null {
  if (res.status !== 200) {
    // An error page says what went wrong after its status, under the workspace's header.
    const text = visibleText(res.body.toString());
    const at = text.indexOf(` ${res.status} `);
    return `${res.status} ${text.slice(at < 0 ? 0 : at + 5, 200)}`;
  }
  if (!res.type.startsWith("text/html")) return `content-type ${res.type}`;
  return page.wrong(res.body.toString(), c, i);
}

/** What a person would read on an (error) page: the body without its scripts and tags. */
function visibleText(html: string): string {
  return html
    .replace(/^[\s\S]*?<body[^>]*>/, "")
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * CLIENTS clients at a steady pace: each sends a request every PACE_MS whether or not the last one is
 * back (open loop), and latency counts from when the request was due, so a stall shows in full.
 * `pick` chooses the page of each request (one page, or a mix).
 */
async function paced(pick: (c: number, i: number) => Page, seconds: number): Promise<Run> {
  const run: Run = { latencies: [], failures: 0, kinds: new Map() };
  await openLoop(
    { clients: CLIENTS, paceMs: PACE_MS, seconds },
    (c, i) => {
      const page = pick(c, i);
      return get(page.path(c, i), cookies[c]!)
        .then((res) => judge(page, res, c, i))
        .catch((e: Error) => `${e.message}`)
        .then((failure) => ({ page, failure }));
    },
    (_c, _i, latency, result) => {
      const { page, failure } = result;
      run.latencies.push(latency);
      if (failure) {
        run.failures++;
        const kind = `${page.name}: ${failure.slice(0, 60)}`;
        run.kinds.set(kind, (run.kinds.get(kind) ?? 0) + 1);
      }
    },
  );
  run.latencies.sort((a, b) => a - b);
  return run;
}

/** The web's processes: the one started, and those it forked (WEB_PROCESSES > 1). */
const webProcesses = () => [web.child.pid!, ...childrenOf(web.child.pid!)];

/** CPU time the web's processes have used so far (user + system), in ms: /proc/<pid>/stat counts 100 ticks a second. */
function webCpuMs(): number {
  let ticks = 0;
  for (const pid of webProcesses()) {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10;
}

/**
 * The web process's CPU time for one page, asked for one after another (under overload the cheap refusals
 * would dilute it): one Node process serves at most 1000 ÷ this many pages a second.
 */
async function cpuOf(page: Page, n = 40): Promise<number> {
  const cpu0 = webCpuMs();
  for (let i = 0; i < n; i++) await get(page.path(i % CLIENTS, i), cookies[i % CLIENTS]!);
  return (webCpuMs() - cpu0) / n;
}

/** The web's processes' resident memory now, together, in MB. */
function rssMb(): number {
  let kb = 0;
  for (const pid of webProcesses()) {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    kb += m ? Number(m[1]) : 0;
  }
  return kb / 1024;
}

/** Peak resident memory of the web process, sampled every 100 ms while `during` runs. */
let peakMb = 0;
async function sampled<T>(during: Promise<T>): Promise<T> {
  const sample = () => {
    peakMb = Math.max(peakMb, rssMb());
  };
  const timer = setInterval(sample, 100);
  try {
    return await during;
  } finally {
    clearInterval(timer);
    sample();
  }
}

/** The JavaScript a page's HTML loads: every /build module its scripts and modulepreload links name. */
async function shippedJs(
  path: string,
  cookie: string,
): Promise<{ html: number; files: number; raw: number; gzip: number }> {
  const page = (await get(path, cookie)).body;
  const html = page.toString();
  const urls = new Set<string>();
  for (const m of html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="(\/build\/[^"]+)"/g)) urls.add(m[1]!);
  for (const m of html.matchAll(/<script\b[^>]*src="(\/build\/[^"]+)"/g)) urls.add(m[1]!);
  // Remix's inline module script imports the manifest, the entry and the route modules.
  for (const script of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g))
    for (const m of script[1]!.matchAll(/["'](\/build\/[^"']+\.js)["']/g)) urls.add(m[1]!);
  let raw = 0;
  let gzip = 0;
  for (const u of urls) {
    const res = await get(u, cookie);
    if (res.status !== 200) throw new Error(`${u}: ${res.status}`);
    raw += res.body.length;
    gzip += gzipSync(res.body).length;
  }
  return { html: page.length, files: urls.size, raw, gzip };
}

// ---------------------------------------------------------------------------------------------
// The exports: every workspace XLSX, for EXPORT_SCHOOLS schools at once

const EXPORTS: { name: string; path: (slug: string, group: string) => string }[] = [
  { name: "trainee register", path: (s) => `/s/${s}/exports/register.xlsx?lang=ru` },
  { name: "group list", path: (s, g) => `/s/${s}/exports/group.xlsx?id=${g}&lang=ru` },
  // The generated lessons span ten weeks from LESSONS_FROM: the journal of all of them.
  { name: "lessons journal", path: (s) => `/s/${s}/exports/lessons.xlsx?from=${LESSONS_FROM}&to=2027-01-31&lang=ru` },
  { name: "certificates register", path: (s) => `/s/${s}/certificates/register.xlsx` },
  { name: "tuition debtors", path: (s) => `/s/${s}/tuition.xlsx` },
];

type ExportResult = { started: number; completed: number; slowest: number; failures: string[] };

async function runExports(): Promise<ExportResult> {
  const result: ExportResult = { started: 0, completed: 0, slowest: 0, failures: [] };
  await Promise.all(
    exportSchools.flatMap((school, k) =>
      EXPORTS.map(async (e) => {
        result.started++;
        const t0 = performance.now();
        try {
          const res = await get(e.path(school.slug, exportGroups[k]!), exportCookies[k]!);
          // A valid XLSX is a zip: it starts with "PK".
          if (res.status === 200 && res.body.subarray(0, 2).toString() === "PK") result.completed++;
          else
            result.failures.push(`${e.name} in ${school.slug}: ${res.status} ${res.body.subarray(0, 200).toString()}`);
        } catch (err) {
          result.failures.push(`${e.name} in ${school.slug}: ${(err as Error).message}`);
        }
        result.slowest = Math.max(result.slowest, performance.now() - t0);
      }),
    ),
  );
  return result;
}

// ---------------------------------------------------------------------------------------------
// The run

// Each page answers once, correctly, before anything is timed.
for (const page of pages) {
  const res = await get(page.path(0, 0), cookies[0]!);
  const failure = judge(page, res, 0, 0);
  if (failure) throw new Error(`${page.name} (${page.path(0, 0)}): ${failure}`);
}

if (profile) {
  // Each page warmed up, then asked for PROFILED times one after another in its own window of the profile.
  const PROFILED = 100;
  const windows: Window[] = [];
  for (const page of pages.filter((x) => !env.BENCH_ONLY || x.name.includes(env.BENCH_ONLY))) {
    for (let i = 0; i < 20; i++) await get(page.path(i % CLIENTS, i), cookies[i % CLIENTS]!);
    windows.push(
      await window(
        `${page.name} page (${page
          .path(0, 0)
          .replace(/\/s\/[^/]+/, "/s/<school>")
          .replace(/[0-9a-f-]{36}/, "<id>")})`,
        PROFILED,
        async () => {
          for (let i = 0; i < PROFILED; i++) await get(page.path(i % CLIENTS, i), cookies[i % CLIENTS]!);
        },
      ),
    );
  }
  agent.destroy();
  await web.stop();
  await services.stop();
  const written = writeProfile("pages", "the workspace pages, server-rendered", profile.dir, windows);
  console.log(`profile written: ${written}`);
  process.exit(0);
}

const idleMb = rssMb();
console.log(
  `\n${CLIENTS} clients, each asking for one page every ${PACE_MS} ms (${RATE} pages a second in all); ${SECONDS} s per page after ${WARMUP_SECONDS} s of warm-up; database pool ${POOL}; ${WEB}.\n`,
);
const figures: BenchFigure[] = [];
const ms = (v: number) => Math.round(v * 10) / 10;
const p = (run: Run, q: number) => ms(percentile(run.latencies, q));
const row = (label: string, run: Run) =>
  console.log(
    `  ${label.padEnd(34)} p50 ${String(p(run, 50)).padStart(7)} ms   p95 ${String(p(run, 95)).padStart(7)} ms   p99 ${String(p(run, 99)).padStart(7)} ms   ${run.latencies.length} pages${run.failures ? `   ${run.failures} failed:${[...run.kinds].map(([k, n]) => `\n    ${n} × ${k}`).join("")}` : ""}`,
  );

// BENCH_ONLY=card measures the pages whose name contains the word (for profiling one of them).
const measured = pages.filter((x) => !env.BENCH_ONLY || x.name.includes(env.BENCH_ONLY));
for (const page of measured) {
  await sampled(paced(() => page, WARMUP_SECONDS));
  const cpuPerPage = await cpuOf(page);
  const run = await sampled(paced(() => page, SECONDS));
  row(page.name, run);
  const js = await shippedJs(page.path(0, 0), cookies[0]!);
  console.log(
    `  ${"".padEnd(34)} web CPU ${cpuPerPage.toFixed(1)} ms a page (at most ${Math.round(1000 / cpuPerPage)} pages a second)`,
  );
  console.log(
    `  ${"".padEnd(34)} HTML ${(js.html / 1024).toFixed(1)} kB; JS: ${js.files} modules, ${(js.raw / 1024).toFixed(1)} kB raw, ${(js.gzip / 1024).toFixed(1)} kB gzip`,
  );
  const what = `${page.name} page: p95, paced at ${RATE} req/s`;
  figures.push(
    { bench: "pages", what, value: p(run, 95), unit: "ms", target: "< 100 ms", met: p(run, 95) < 100 },
    { bench: "pages", what: `${page.name} page: p50, paced at ${RATE} req/s`, value: p(run, 50), unit: "ms" },
    { bench: "pages", what: `${page.name} page: p99, paced at ${RATE} req/s`, value: p(run, 99), unit: "ms" },
    {
      bench: "pages",
      what: `${page.name} page: failed or wrong answers`,
      value: run.failures,
      unit: "count",
      target: "0",
      met: run.failures === 0,
    },
    {
      bench: "pages",
      what: `${page.name} page: web CPU per page (${WEB}), one at a time`,
      value: cpuPerPage,
      unit: "ms",
    },
    { bench: "pages", what: `${page.name} page: HTML size`, value: js.html / 1024, unit: "kB" },
    { bench: "pages", what: `${page.name} page: JS shipped (gzip)`, value: js.gzip / 1024, unit: "kB" },
    { bench: "pages", what: `${page.name} page: JS shipped (raw)`, value: js.raw / 1024, unit: "kB" },
  );
}

// Memory: the four pages mixed at the same pace while every export runs for EXPORT_SCHOOLS schools at once.
console.log(
  `\nthe pages mixed, while ${EXPORTS.length} exports × ${exportSchools.length} schools run at once (${exportSchools.map((s) => s.slug).join(", ")})`,
);
const mixed = sampled(paced((c, i) => measured[(c + i) % measured.length]!, SECONDS));
await new Promise((r) => setTimeout(r, 1000)); // the exports start into a running page load
const exported = await sampled(runExports());
const mixedRun = await mixed;
row("pages mixed, exports running", mixedRun);
console.log(
  `  exports: ${exported.completed} of ${exported.started} completed, the slowest in ${(exported.slowest / 1000).toFixed(1)} s${exported.failures.length ? `\n  ${exported.failures.join("\n  ")}` : ""}`,
);
figures.push(
  {
    bench: "pages",
    what: `pages mixed while the exports run: p95, paced at ${RATE} req/s`,
    value: p(mixedRun, 95),
    unit: "ms",
  },
  {
    bench: "pages",
    what: "pages mixed while the exports run: failed or wrong answers",
    value: mixedRun.failures,
    unit: "count",
    target: "0",
    met: mixedRun.failures === 0,
  },
  {
    bench: "pages",
    what: `workspace XLSX exports completed (${EXPORTS.length} kinds × ${exportSchools.length} schools at once, beside the pages)`,
    value: exported.completed,
    unit: "count",
    target: `= ${exported.started}`,
    met: exported.completed === exported.started,
  },
  { bench: "pages", what: "slowest of those exports", value: exported.slowest / 1000, unit: "s" },
  { bench: "pages", what: `web memory (RSS of ${WEB}) after each page was asked for once`, value: idleMb, unit: "MB" },
  {
    bench: "pages",
    what: `web peak memory (RSS of ${WEB}) during all of the above`,
    value: peakMb,
    unit: "MB",
    target: "< 250 MB",
    met: peakMb < 250,
  },
);
await recordFigures(figures);
if (figures.some((f) => f.unit === "count" && f.met === false))
  console.log(`\nthe web process's last words:\n${web.output().slice(-3000)}`);

agent.destroy();
await web.stop();
await services.stop();
