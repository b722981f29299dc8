// The week grid's layout: lessons over their quarter hours, free time as whole half hours where it can be.
import { dayColumn, GRID_ROWS } from "./grid.ts";

const at = (day: string, time: string) => `${day}T${time}:00+05:00`;
const lesson = (day: string, from: string, to: string) => ({ startsAt: at(day, from), endsAt: at(day, to) });

describe("a day's column of the week grid", () => {
  it("puts a 10:15–11:45 lesson over its rows and leaves the quarters around it free", () => {
    const { blocks, free } = dayColumn("2026-12-08", [lesson("2026-12-08", "10:15", "11:45")]);
    expect(blocks.map((b) => [b.row, b.span])).toEqual([[2 + 13, 6]]);
    const times = free.map((f) => `${f.time}/${f.span}`);
    expect(times).toContain("09:30/2");
    expect(times).toContain("10:00/1");
    expect(times).toContain("11:45/1");
    expect(times).toContain("12:00/2");
    expect(times.some((t) => t.startsWith("10:30") || t.startsWith("11:00"))).toBe(false);
    // Every quarter is either a lesson's or a free cell's, once.
    expect(blocks.reduce((n, b) => n + b.span, 0) + free.reduce((n, f) => n + f.span, 0)).toBe(GRID_ROWS);
  });

  it("clips a lesson outside 07:00–21:00 to the grid and leaves other days' lessons out", () => {
    const { blocks, free } = dayColumn("2026-12-08", [
      lesson("2026-12-08", "06:00", "07:30"),
      lesson("2026-12-08", "20:30", "22:00"),
      lesson("2026-12-09", "10:00", "11:00"),
    ]);
    expect(blocks.map((b) => [b.row, b.span])).toEqual([
      [2, 2],
      [2 + 54, 2],
    ]);
    expect(free[0]).toEqual({ time: "07:30", row: 4, span: 2 });
    expect(free.at(-1)?.time).toBe("20:00");
  });

  it("shades the time outside working hours instead of offering it, and a whole day off", () => {
    const open = [
      { starts: 8 * 60, ends: 13 * 60 },
      { starts: 14 * 60, ends: 18 * 60 },
    ];
    const { blocks, free, off } = dayColumn("2026-12-08", [lesson("2026-12-08", "10:00", "11:30")], open);
    expect(off.map((o) => [o.time, o.span])).toEqual([
      ["07:00", 4],
      ["13:00", 4],
      ["18:00", 12],
    ]);
    const times = free.map((f) => f.time);
    expect(times).toContain("08:00");
    expect(times).toContain("17:30");
    expect(times).not.toContain("13:00");
    expect(times).not.toContain("07:00");
    expect(times).not.toContain("18:00");
    // Still every quarter once: a lesson's, a free cell's, or shaded.
    const spans = (xs: { span: number }[]) => xs.reduce((n, x) => n + x.span, 0);
    expect(spans(blocks) + spans(free) + spans(off)).toBe(GRID_ROWS);

    const dayOff = dayColumn("2026-12-08", [], []);
    expect(dayOff.free).toEqual([]);
    expect(dayOff.off).toEqual([{ time: "07:00", row: 2, span: GRID_ROWS }]);
    // A lesson booked before the day became a day off is still shown, over the shading.
    const kept = dayColumn("2026-12-08", [lesson("2026-12-08", "10:00", "11:00")], []);
    expect(kept.blocks).toHaveLength(1);
    expect(spans(kept.off)).toBe(GRID_ROWS - 4);
  });
});
