// `npm run bench`: every benchmark in turn under one run id, then docs/bench/RESULTS.md — this run's
// table with the targets, and the trend of each targeted figure over the runs in results.jsonl.
// BENCH_PARTS=http,billing runs some of them. Each part is its own process, as in production.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RESULTS_DIR, RESULTS_FILE, machine } from "./report.ts";
import { WEB_NODE_FLAGS } from "../../server/cli/node-flags.ts";

const ALL = ["http", "pages", "trainees", "billing", "notices", "exports", "backup"];
const parts = process.env.BENCH_PARTS ? process.env.BENCH_PARTS.split(",") : ALL;
const run = new Date().toISOString();
const root = path.resolve(import.meta.dirname, "../..");

const failed: string[] = [];
for (const part of parts) {
  console.log(`\n=== ${part} ===`);
  // The exports run where they run in production, in the web process: with its heap cap.
  const flags = part === "exports" ? WEB_NODE_FLAGS : [];
  const r = spawnSync(process.execPath, [...flags, "--import", "tsx", `tests/bench/${part}.ts`], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, BENCH_RUN: run },
  });
  if (r.status !== 0) failed.push(part);
}

type Line = {
  run: string;
  at: string;
  commit: string;
  machine: ReturnType<typeof machine>;
  bench: string;
  what: string;
  value: number;
  unit: string;
  target?: string;
  met?: boolean;
};
const lines: Line[] = readFileSync(RESULTS_FILE, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Line);
// Each part's figures from its most recent run (a run of some parts leaves the others' last figures standing).
const lastRunOf = new Map<string, string>();
for (const l of lines) lastRunOf.set(l.bench, l.run);
const latest = lines.filter((l) => lastRunOf.get(l.bench) === l.run);
const m = machine();
const fmt = (l: Line) => `${l.value.toLocaleString("en-US").replace(/,/g, " ")} ${l.unit}`;
const mark = (l: Line) => (l.met === undefined ? "" : l.met ? "✓" : "✗ missed");

const out: string[] = [
  "# Benchmark results",
  "",
  "Written by `npm run bench` (tests/bench/run.ts) from `results.jsonl`, which keeps every figure of every run.",
  "Reports, never asserts; the targets are DESIGN.md §5, issue 7 and issue 16.",
  "",
  "## Latest figures of each part",
  "",
  `Machine: ${m.cpus} × ${m.cpu}, ${m.memoryGb} GB, Node ${m.node}; PostgreSQL and Redis on the same machine.`,
  "",
  "| part | run (UTC) | commit | what | measured | target | |",
  "|---|---|---|---|---:|---|---|",
  ...latest.map(
    (l) =>
      `| ${l.bench} | ${l.run.slice(0, 16).replace("T", " ")} | ${l.commit} | ${l.what} | ${fmt(l)} | ${l.target ?? ""} | ${mark(l)} |`,
  ),
  "",
  "## Trend of the targeted figures (last 8 runs, oldest first)",
  "",
];
const runs = [...new Set(lines.map((l) => l.run))].slice(-8);
const targeted = [
  ...new Set(lines.filter((l) => l.target && runs.includes(l.run)).map((l) => `${l.bench}\u0000${l.what}`)),
];
out.push(
  `| part | what | target | ${runs.map((r) => r.slice(0, 10)).join(" | ")} |`,
  `|---|---|---|${runs.map(() => "---:").join("|")}|`,
);
for (const key of targeted) {
  const [bench, what] = key.split("\u0000");
  const cells = runs.map((r) => {
    const l = lines.find((x) => x.run === r && x.bench === bench && x.what === what);
    return l ? `${fmt(l)}${l.met === false ? " ✗" : ""}` : "";
  });
  const target = lines.find((x) => x.bench === bench && x.what === what && x.target)?.target ?? "";
  out.push(`| ${bench} | ${what} | ${target} | ${cells.join(" | ")} |`);
}
writeFileSync(path.join(RESULTS_DIR, "RESULTS.md"), `${out.join("\n")}\n`);
console.log(`\nwritten: docs/bench/RESULTS.md (${lines.filter((l) => l.run === run).length} figures this run)`);
if (failed.length) {
  console.error(`these parts failed: ${failed.join(", ")}`);
  process.exit(1);
}
