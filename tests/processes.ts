// The processes a test or bench started forked in turn (the web's WEB_PROCESSES), read from /proc.
import { readdirSync, readFileSync } from "node:fs";

/** The processes whose parent is `pid`, in pid order; one that ends meanwhile is left out. */
export function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) found.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return found.sort((a, b) => a - b);
}
