// Every benchmark reports its figures here. `npm run bench` (tests/bench/run.ts) gives all parts of
// one run the same BENCH_RUN id, then writes the table of that run and the history to
// docs/bench/RESULTS.md. The raw figures are appended to docs/bench/results.jsonl, one per line, with
// the date and the machine: the file is committed, so the history shows the trend.
import { execSync } from "node:child_process";
import { appendFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export type BenchFigure = {
  /** the part of the run: "http", "billing", "notices", "exports", ... */
  bench: string;
  /** what was measured, in words a reader of the table understands */
  what: string;
  value: number;
  unit: "ms" | "s" | "req/s" | "MB" | "kB" | "×" | "rows" | "count";
  /** the target as written in DESIGN §5 / the issue, e.g. "< 25 ms" */
  target?: string;
  /** whether the target was met; absent when the figure has no target */
  met?: boolean;
};

export const RESULTS_DIR = path.resolve(import.meta.dirname, "../../docs/bench");
export const RESULTS_FILE = path.join(RESULTS_DIR, "results.jsonl");

export function machine() {
  const cpus = os.cpus();
  return {
    host: os.hostname(),
    cpus: cpus.length,
    cpu: cpus[0]?.model.trim() ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** The commit the bench runs on, short. */
export function commit(): string {
  try {
    return execSync("git rev-parse --short HEAD", { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return "unknown";
  }
}

/** Prints the figures and appends them to the committed history. */
export async function recordFigures(figures: BenchFigure[]): Promise<void> {
  const run = process.env.BENCH_RUN ?? new Date().toISOString();
  const at = new Date().toISOString();
  const m = machine();
  const sha = commit();
  for (const f of figures) {
    const mark = f.met === undefined ? "" : f.met ? "  ✓" : "  ✗ missed";
    console.log(
      `  ${f.what.padEnd(64)} ${String(round(f.value)).padStart(9)} ${f.unit.padEnd(5)} ${f.target ?? ""}${mark}`,
    );
  }
  await mkdir(RESULTS_DIR, { recursive: true });
  await appendFile(
    RESULTS_FILE,
    `${figures.map((f) => JSON.stringify({ run, at, commit: sha, machine: m, ...f, value: round(f.value) })).join("\n")}\n`,
  );
}

export function round(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v) : Math.abs(v) >= 10 ? Math.round(v * 10) / 10 : Math.round(v * 100) / 100;
}

/** p-th percentile of a sorted array (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
