// A trainee's contract price as a schedule of instalments, and where the ledger stands against it
// (docs/decisions/042-tuition-instalments.md). Pure: the price, the payments' total and the date are passed in.
// Money is integer tiyn throughout.

export type InstalmentLine = { dueOn: string; amountTiyn: number };

/** The most instalments a schedule may have (three years of monthly payments). */
export const MAX_INSTALMENTS = 36;

/** `date` (YYYY-MM-DD) moved by `months` calendar months, the day kept or clamped to the month's last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/**
 * `count` monthly instalments from `firstDue`, each the price divided evenly and rounded down to the whole
 * tenge (100 tiyn) where the price allows it; the last takes the remainder, so they add up to the price exactly.
 */
export function splitEvenly(priceTiyn: number, count: number, firstDue: string): InstalmentLine[] {
  if (!Number.isSafeInteger(priceTiyn) || priceTiyn <= 0 || !Number.isInteger(count) || count < 1) return [];
  // whole tenge when each instalment can be at least one tenge, else whole tiyn
  const unit = priceTiyn >= count * 100 ? 100 : 1;
  const n = Math.min(count, priceTiyn);
  const each = Math.floor(priceTiyn / n / unit) * unit;
  const lines: InstalmentLine[] = [];
  for (let i = 0; i < n; i++) {
    lines.push({ dueOn: addMonths(firstDue, i), amountTiyn: i === n - 1 ? priceTiyn - each * (n - 1) : each });
  }
  return lines;
}

export type ScheduleProblem = "scheduleEmpty" | "scheduleTooLong" | "scheduleSum" | "scheduleOrder" | "scheduleAmount";

/** Why typed lines can't be the schedule of `priceTiyn`, or null when they can. */
export function scheduleProblem(lines: InstalmentLine[], priceTiyn: number): ScheduleProblem | null {
  if (lines.length === 0) return "scheduleEmpty";
  if (lines.length > MAX_INSTALMENTS) return "scheduleTooLong";
  if (lines.some((l) => !Number.isSafeInteger(l.amountTiyn) || l.amountTiyn <= 0)) return "scheduleAmount";
  for (let i = 1; i < lines.length; i++) {
    if ((lines[i] as InstalmentLine).dueOn < (lines[i - 1] as InstalmentLine).dueOn) return "scheduleOrder";
  }
  if (lines.reduce((s, l) => s + l.amountTiyn, 0) !== priceTiyn) return "scheduleSum";
  return null;
}

export type InstalmentState = "paid" | "partial" | "overdue" | "due" | "upcoming";

export type InstalmentStanding = InstalmentLine & {
  seq: number;
  /** what the payments cover of this instalment, earliest instalments first */
  paidTiyn: number;
  /** what is left of it */
  owedTiyn: number;
  state: InstalmentState;
};

export type Standing = {
  instalments: InstalmentStanding[];
  /** the payments' total (net of refunds) */
  paidTiyn: number;
  /** the price less the payments: what the trainee owes in all (negative: overpaid) */
  balanceTiyn: number;
  /** what is left of instalments whose date has passed (due before `today`) */
  overdueTiyn: number;
  /** the earliest instalment not paid in full that is not overdue, if any */
  next: InstalmentStanding | null;
  /** what is due now: the overdue amount plus the next instalment's rest (0 when nothing is owed) */
  dueNowTiyn: number;
  /** the schedule no longer adds up to the price (the price was changed after it was set) */
  mismatch: boolean;
};

/**
 * Where the ledger stands against the schedule on `today`: the payments' total is applied to the earliest
 * instalments in order. An instalment is overdue the day after its due date. Without a schedule, the whole
 * price is one instalment with no date: nothing is overdue, and all of it is the next thing due.
 */
export function standing(
  schedule: { seq: number; dueOn: string; amountTiyn: number }[],
  priceTiyn: number,
  paidTiyn: number,
  today: string,
): Standing {
  let left = Math.max(0, paidTiyn);
  const instalments: InstalmentStanding[] = [...schedule]
    .sort((a, b) => a.seq - b.seq)
    .map((i) => {
      const paid = Math.min(left, i.amountTiyn);
      left -= paid;
      const owed = i.amountTiyn - paid;
      const state: InstalmentState =
        owed === 0
          ? "paid"
          : i.dueOn < today
            ? "overdue"
            : paid > 0
              ? "partial"
              : i.dueOn === today
                ? "due"
                : "upcoming";
      return { seq: i.seq, dueOn: i.dueOn, amountTiyn: i.amountTiyn, paidTiyn: paid, owedTiyn: owed, state };
    });
  const balanceTiyn = priceTiyn - paidTiyn;
  const overdueTiyn = instalments.filter((i) => i.state === "overdue").reduce((s, i) => s + i.owedTiyn, 0);
  const next = instalments.find((i) => i.owedTiyn > 0 && i.state !== "overdue") ?? null;
  const scheduled = instalments.reduce((s, i) => s + i.amountTiyn, 0);
  const mismatch = instalments.length > 0 && scheduled !== priceTiyn;
  let dueNowTiyn: number;
  // no schedule, or a schedule paid in full while the price (raised since) still asks for more: the rest is due
  if (instalments.length === 0 || (overdueTiyn === 0 && next === null)) dueNowTiyn = Math.max(0, balanceTiyn);
  else dueNowTiyn = Math.min(Math.max(0, balanceTiyn), overdueTiyn + (next?.owedTiyn ?? 0));
  return { instalments, paidTiyn, balanceTiyn, overdueTiyn, next, dueNowTiyn, mismatch };
}

/**
 * Typed schedule lines, one instalment a line: `DD.MM.YYYY amount` (the amount in tenge, spaces and a decimal
 * comma allowed). Returns the lines, or the 1-based number of the first line that is neither empty nor one.
 */
export function parseScheduleText(
  text: string,
  parseDay: (s: string) => string | null,
  parseTenge: (s: string) => number | null,
): { ok: true; lines: InstalmentLine[] } | { ok: false; line: number } {
  const lines: InstalmentLine[] = [];
  const rows = text.split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    const row = (rows[i] ?? "").trim();
    if (row === "") continue;
    const m = /^(\S+)\s*[—–\-:;]?\s*(.+)$/.exec(row);
    const dueOn = m ? parseDay(m[1] ?? "") : null;
    const amountTiyn = m ? parseTenge(m[2] ?? "") : null;
    if (!dueOn || amountTiyn === null) return { ok: false, line: i + 1 };
    lines.push({ dueOn, amountTiyn });
  }
  return { ok: true, lines };
}
