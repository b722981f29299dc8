// The working-day calendar and support hours on real Kazakhstan cases: the Nauryz week, a decree transfer,
// a Saturday ticket, year boundaries, and the operator replacing a year.
import { afterEach, describe, expect, it } from "vitest";
import {
  addCalendarDays,
  addWorkingDays,
  dayOffReason,
  isWorkingDay,
  supportDeadline,
  setCalendar,
} from "./calendar.ts";
import { addDays } from "../../domain/kz/time.ts";

const at = (iso: string) => new Date(`${iso}+05:00`);
const almaty = (d: Date) => new Date(d.getTime() + 5 * 3600_000).toISOString().slice(0, 16).replace("T", " ");

afterEach(() => setCalendar([]));

describe("working days", () => {
  it("2026 has exactly the weekday days off of the government's 2026 calendar (carry-overs computed from the holidays)", () => {
    const off: string[] = [];
    for (let d = "2026-01-01"; d <= "2026-12-31"; d = addDays(d, 1)) {
      const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
      if (dow !== 0 && dow !== 6 && !isWorkingDay(d)) off.push(d.slice(5));
    }
    expect(off).toEqual([
      "01-01",
      "01-02",
      "01-07",
      "03-09",
      "03-23",
      "03-24",
      "03-25",
      "05-01",
      "05-07",
      "05-11",
      "05-27",
      "07-06",
      "08-31",
      "10-26",
      "12-16",
    ]);
  });

  it("the Nauryz week: 23–25 March 2026 are off, a claim received on the 19th is due 2 April (7) and 7 April (10)", () => {
    expect(["2026-03-23", "2026-03-24", "2026-03-25"].map(isWorkingDay)).toEqual([false, false, false]);
    expect(dayOffReason("2026-03-24")).toBe("carried");
    expect(addWorkingDays("2026-03-20", 1)).toBe("2026-03-26");
    expect(addWorkingDays("2026-03-19", 7)).toBe("2026-04-02");
    expect(addWorkingDays("2026-03-19", 10)).toBe("2026-04-07");
    // counting back over the same week (the operator's "2 working days before" warning)
    expect(addWorkingDays("2026-03-26", -2)).toBe("2026-03-19");
  });

  it("a decree transfer: 3 January 2025 is a day off, Saturday 5 July 2025 a working day", () => {
    expect(isWorkingDay("2025-01-03")).toBe(false);
    expect(dayOffReason("2025-01-03")).toBe("decree");
    expect(addWorkingDays("2024-12-31", 1)).toBe("2025-01-06");
    expect(addWorkingDays("2024-12-31", 2)).toBe("2025-01-08"); // 7 January, Christmas, is off
    expect(isWorkingDay("2025-07-05")).toBe(true);
    expect(addWorkingDays("2025-07-04", 1)).toBe("2025-07-05");
    expect(addWorkingDays("2025-07-04", 2)).toBe("2025-07-08"); // 7 July is off for Sunday 6 July
  });

  it("across a year boundary: 2 January 2027 (a Saturday) moves Monday 4 January off", () => {
    expect(isWorkingDay("2027-01-04")).toBe(false);
    expect(addWorkingDays("2026-12-24", 7)).toBe("2027-01-06");
    expect(addWorkingDays("2026-12-24", 10)).toBe("2027-01-12");
    expect(addWorkingDays("2026-12-15", 10)).toBe("2026-12-30"); // 16 December is off
  });

  it("religious holidays are not carried over: Kurban Ait on Sunday 16 May 2027 leaves Monday working", () => {
    expect(isWorkingDay("2027-05-17")).toBe(true);
    expect(isWorkingDay("2027-05-10")).toBe(false); // 9 May 2027 is a Sunday: carried
  });

  it("the operator's version of a year replaces the built-in one", () => {
    expect(isWorkingDay("2026-01-05")).toBe(true);
    setCalendar([
      {
        year: 2026,
        holidays: [{ date: "2026-01-01", name: "NY" }],
        daysOff: [{ date: "2026-01-05", act: "decree" }],
        workingDays: [{ date: "2026-01-10", act: "decree" }],
      },
    ]);
    expect(isWorkingDay("2026-01-05")).toBe(false);
    expect(isWorkingDay("2026-01-10")).toBe(true);
    expect(isWorkingDay("2026-03-23")).toBe(true); // its holidays are the operator's list now
  });

  it("adds calendar days across months and years", () => {
    expect(addCalendarDays("2026-12-28", 7)).toBe("2027-01-04");
    expect(addCalendarDays("2028-02-27", 3)).toBe("2028-03-01");
  });
});

describe("support deadline", () => {
  it("a ticket opened Saturday 12:30 with 4 hours is due Monday 12:30", () => {
    expect(almaty(supportDeadline(at("2026-11-28T12:30:00"), 4))).toBe("2026-11-30 12:30");
  });

  it("opened outside hours, the clock starts at the next opening", () => {
    expect(almaty(supportDeadline(at("2026-11-29T20:00:00"), 2))).toBe("2026-11-30 11:00"); // Sunday evening
    expect(almaty(supportDeadline(at("2026-11-24T07:00:00"), 1))).toBe("2026-11-24 10:00"); // Tuesday early
    expect(almaty(supportDeadline(at("2026-11-24T18:30:00"), 9))).toBe("2026-11-25 18:00"); // a whole day
  });

  it("the Nauryz week has no support hours", () => {
    expect(almaty(supportDeadline(at("2026-03-20T17:00:00"), 4))).toBe("2026-03-26 12:00");
  });

  it("across the New Year: 31 December 17:00 + 4 h is due 5 January 12:00", () => {
    expect(almaty(supportDeadline(at("2026-12-31T17:00:00"), 4))).toBe("2027-01-05 12:00");
  });

  it("a decree working Saturday has full-day support hours", () => {
    expect(almaty(supportDeadline(at("2025-07-05T12:00:00"), 4))).toBe("2025-07-05 16:00");
  });
});
