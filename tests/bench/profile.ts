// BENCH_PROFILE=1: where a server process's CPU goes, per page or procedure. The process runs with V8's
// --cpu-prof; the bench marks when it asks for each thing one at a time (process.hrtime, the same monotonic
// clock the profile's timestamps use), and each window's samples are summed by what ran: a package, our own
// code, Node itself or the garbage collector. Written as docs/bench/PROFILE-<part>.md, so the figures a
// missed target is explained by are there to read and to run again.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { RESULTS_DIR, commit, machine } from "./report.ts";

export const profiling = process.env.BENCH_PROFILE === "1";

/** The directory the profiled process writes its .cpuprofile into, and the node flags that make it. */
export function profileFlags(): { dir: string; flags: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-prof-"));
  // 250 µs between samples: a 20 ms page gets ~80 of them.
  return { dir, flags: ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=250"] };
}

/** Now on the clock the profile's timestamps use, in µs. */
export const clockUs = () => Number(process.hrtime.bigint() / 1000n);

export type Window = { name: string; from: number; to: number; requests: number };

/** Marks the window in which `run` asks for `requests` things, one after another. */
export async function window(name: string, requests: number, run: () => Promise<unknown>): Promise<Window> {
  const from = clockUs();
  await run();
  return { name, from, to: clockUs(), requests };
}

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: Node[]; startTime: number; samples: number[]; timeDeltas: number[] };

/** What a frame belongs to: a package by its name, our own code, Node, V8's bookkeeping. */
function ownerOf(frame: Node["callFrame"]): string {
  const { url, functionName } = frame;
  if (functionName === "(garbage collector)") return "garbage collector";
  if (functionName === "(program)") return "V8 itself (compiling, ICs)";
  if (functionName === "(idle)") return "(idle)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return PACKAGE_GROUPS[pkg[1]!] ?? pkg[1]!;
  if (url.includes("/build/server/")) return "our server code (server/, domain/)";
  if (url.includes("/build/index.js")) return "our pages (app/)";
  if (url.startsWith("node:") || url === "") return "Node (http, streams, zlib, natives)";
  return url;
}

/** Packages that do one job together, summed as one. */
const PACKAGE_GROUPS: Record<string, string> = {
  "react-dom": "React's server renderer",
  react: "React's server renderer",
  scheduler: "React's server renderer",
  "@remix-run/router": "Remix's router (matchRoutes, loaders)",
  "react-router": "Remix's router (matchRoutes, loaders)",
  "react-router-dom": "Remix's router (matchRoutes, loaders)",
  "@remix-run/react": "Remix's server runtime",
  "@remix-run/server-runtime": "Remix's server runtime",
  "@remix-run/node": "Remix's server runtime",
  "@remix-run/express": "Remix's server runtime",
  "@prisma/client": "Prisma client",
  "@prisma/client-runtime-utils": "Prisma client",
  "@prisma/adapter-pg": "Prisma client",
  "@prisma/driver-adapter-utils": "Prisma client",
  pg: "pg driver",
  "pg-protocol": "pg driver",
  "pg-types": "pg driver",
  "pg-pool": "pg driver",
  "postgres-date": "pg driver",
  "@trpc/server": "tRPC + superjson",
  superjson: "tRPC + superjson",
  express: "Express",
  "body-parser": "Express",
  compression: "Express",
  "path-to-regexp": "Express",
  router: "Express",
  send: "Express",
};

/** The owners of at least 1 % each, and the rest summed in one line. */
function shown(owners: [string, number][], total: number): [string, number][] {
  const big = owners.filter(([, us]) => us >= total / 100);
  const rest = owners.filter(([, us]) => us < total / 100);
  const restUs = rest.reduce((a, [, us]) => a + us, 0);
  return rest.length ? [...big, [`${rest.length} other packages, under 1 % each`, restUs]] : big;
}

type Summary = { window: Window; cpuMs: number; owners: [string, number][]; top: [string, number][] };

function summarize(profile: Profile, windows: Window[]): Summary[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const sums = windows.map(() => ({ owners: new Map<string, number>(), fns: new Map<string, number>() }));
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    // A sample stands for the time until the next one.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const w = windows.findIndex((x) => t >= x.from && t < x.to);
    if (w < 0) continue;
    const frame = byId.get(profile.samples[i]!)!.callFrame;
    const owner = ownerOf(frame);
    if (owner === "(idle)") continue;
    const s = sums[w]!;
    s.owners.set(owner, (s.owners.get(owner) ?? 0) + dt);
    const where = frame.url
      ? `${frame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/build\//, "build/")}:${frame.lineNumber + 1}`
      : "";
    const fn = `${frame.functionName || "(anonymous)"}${where ? ` (${where})` : ""}`;
    s.fns.set(fn, (s.fns.get(fn) ?? 0) + dt);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return windows.map((window, k) => {
    const total = [...sums[k]!.owners.values()].reduce((a, b) => a + b, 0);
    return { window, cpuMs: total / 1000, owners: sorted(sums[k]!.owners), top: sorted(sums[k]!.fns).slice(0, 12) };
  });
}

/**
 * Reads the profile the stopped process wrote into `dir` and writes docs/bench/PROFILE-<part>.md: per window,
 * the CPU a request took, and how it splits by owner and by the functions that took most of it themselves.
 */
export function writeProfile(part: string, title: string, dir: string, windows: Window[]): string {
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no .cpuprofile in ${dir}: did the process exit normally?`);
  const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Profile;
  // BENCH_PROFILE_KEEP=1 leaves the raw profile for Chrome's DevTools (Performance → load profile).
  if (process.env.BENCH_PROFILE_KEEP === "1") console.log(`raw profile kept: ${path.join(dir, file)}`);
  else rmSync(dir, { recursive: true, force: true });
  const m = machine();
  const pct = (v: number, of: number) => `${((100 * v) / of).toFixed(1)} %`;
  const out = [
    `# Where the CPU goes: ${title}`,
    "",
    `Written by \`BENCH_PROFILE=1 BENCH_PARTS=${part} npm run bench\` (tests/bench/profile.ts) on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, commit ${commit()};`,
    `${m.cpus} × ${m.cpu}, Node ${m.node}. The process ran with V8's sampling profiler (one sample every 250 µs),`,
    "and was asked for one thing at a time, so each window holds only its own requests. Self time: a function's",
    "own samples, not those of what it calls. The profiler adds a few per cent to every figure.",
    "",
  ];
  for (const s of summarize(profile, windows)) {
    out.push(
      `## ${s.window.name}`,
      "",
      `${s.window.requests} requests, ${(s.cpuMs / s.window.requests).toFixed(1)} ms of CPU each (sampled).`,
      "",
      "| what ran | ms a request | share |",
      "|---|---:|---:|",
      ...shown(s.owners, s.cpuMs * 1000).map(
        ([owner, us]) => `| ${owner} | ${(us / 1000 / s.window.requests).toFixed(2)} | ${pct(us / 1000, s.cpuMs)} |`,
      ),
      "",
      "The functions that took most time themselves:",
      "",
      "| function | share |",
      "|---|---:|",
      ...s.top.map(([fn, us]) => `| \`${fn.replace(/\|/g, "\\|")}\` | ${pct(us / 1000, s.cpuMs)} |`),
      "",
    );
  }
  const target = path.join(RESULTS_DIR, `PROFILE-${part}.md`);
  writeFileSync(target, out.join("\n"));
  return target;
}
