// The week grid's layout (s.$school.lessons_.grid.tsx): a day's column from 07:00 to 21:00 in quarter hours,
// each lesson a block over its rows and every stretch nobody booked an empty cell (whole half hours where
// they are free, else the free quarter). Time outside the instructor's working hours, or a whole day off or out
// of work, is shaded instead of free (ADR 032). Plain data in, plain data out: no clock, no database.
import { almatyDate, almatyTime } from "../../domain/kz/time.ts";

export const GRID_FROM = 7 * 60;
export const GRID_TO = 21 * 60;
const QUARTER = 15;
/** Quarter-hour rows in a column. */
export const GRID_ROWS = (GRID_TO - GRID_FROM) / QUARTER;

type Timed = { startsAt: Date | string; endsAt: Date | string };

/** Minutes since midnight in Almaty. */
const minuteOf = (at: Date) => {
  const hhmm = almatyTime(at);
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
};

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

/** Rows are 1-based and the first holds the day's heading: 07:00 starts row 2. */
const rowOf = (minute: number) => (minute - GRID_FROM) / QUARTER + 2;

export type GridBlock<T> = { item: T; row: number; span: number };
export type GridFree = { time: string; row: number; span: number };
/** A stretch nobody can be booked in (outside working hours, a day off): shaded, no booking link. */
export type GridOff = { time: string; row: number; span: number };
/** Working intervals of a day in minutes since midnight; null: any time. */
export type OpenHours = { starts: number; ends: number }[] | null;

/**
 * One day's column: the blocks of `items` that fall on `day` (clipped to the grid's hours, a start rounded
 * down and an end up to the quarter), the free cells between them within `open` hours, and the stretches
 * outside them (`off`).
 */
export function dayColumn<T extends Timed>(
  day: string,
  items: T[],
  open: OpenHours = null,
): { blocks: GridBlock<T>[]; free: GridFree[]; off: GridOff[] } {
  const busy = new Array<boolean>(GRID_ROWS).fill(false);
  const blocks: GridBlock<T>[] = [];
  for (const item of items) {
    const s = new Date(item.startsAt);
    if (almatyDate(s) !== day) continue;
    const e = new Date(item.endsAt);
    const from = Math.max(GRID_FROM, Math.floor(minuteOf(s) / QUARTER) * QUARTER);
    // A lesson ending at midnight reads 00:00 on the next day.
    const endMinute = almatyDate(e) === day ? minuteOf(e) : 24 * 60;
    const to = Math.min(GRID_TO, Math.ceil(endMinute / QUARTER) * QUARTER);
    if (to <= from) continue;
    for (let m = from; m < to; m += QUARTER) busy[(m - GRID_FROM) / QUARTER] = true;
    blocks.push({ item, row: rowOf(from), span: (to - from) / QUARTER });
  }
  const quarterOpen = (q: number) => {
    const m = GRID_FROM + q * QUARTER;
    return open === null || open.some((h) => h.starts <= m && m + QUARTER <= h.ends);
  };
  const closed = busy.map((b, q) => !b && !quarterOpen(q));
  const vacant = busy.map((b, q) => !b && !closed[q]);
  const free: GridFree[] = [];
  for (let q = 0; q < GRID_ROWS; q += 2) {
    const minute = GRID_FROM + q * QUARTER;
    if (vacant[q] && vacant[q + 1]) free.push({ time: hhmm(minute), row: rowOf(minute), span: 2 });
    else if (vacant[q]) free.push({ time: hhmm(minute), row: rowOf(minute), span: 1 });
    else if (vacant[q + 1]) free.push({ time: hhmm(minute + QUARTER), row: rowOf(minute + QUARTER), span: 1 });
  }
  const off: GridOff[] = [];
  for (let q = 0; q < GRID_ROWS; q++) {
    if (!closed[q]) continue;
    const last = off.at(-1);
    if (last && last.row + last.span === rowOf(GRID_FROM + q * QUARTER)) last.span++;
    else off.push({ time: hhmm(GRID_FROM + q * QUARTER), row: rowOf(GRID_FROM + q * QUARTER), span: 1 });
  }
  return { blocks, free, off };
}

/** The hours down the grid's left edge, each over its four rows. */
export const gridHours = () =>
  Array.from({ length: (GRID_TO - GRID_FROM) / 60 }, (_, i) => ({
    time: hhmm(GRID_FROM + i * 60),
    row: rowOf(GRID_FROM + i * 60),
  }));
