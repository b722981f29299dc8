// The billing arithmetic a school lives by: periods follow each other without gaps or overlaps, an
// invoice gives at least a week to pay, and the ladder's days are the settings' days.
import fc from "fast-check";
import { addDays } from "../../domain/kz/time.ts";
import {
  DEFAULT_BILLING,
  daysBetween,
  dueDate,
  escalation,
  invoiceIsDue,
  nextPeriod,
  overdueStatus,
  remindersReached,
} from "./rules.ts";

const day = fc
  .date({ min: new Date("2026-01-01"), max: new Date("2035-12-31"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe("billing periods", () => {
  it("a month from 31 January ends on the last day of February; a year ends the day before its anniversary", () => {
    expect(nextPeriod("2026-01-30", "month")).toEqual({ start: "2026-01-31", end: "2026-02-27" });
    expect(nextPeriod("2026-11-30", "month")).toEqual({ start: "2026-12-01", end: "2026-12-31" });
    expect(nextPeriod("2027-02-28", "year")).toEqual({ start: "2027-03-01", end: "2028-02-29" });
  });

  it("consecutive periods touch: each starts the day after the last one ended, and none is shorter than 28 days", () => {
    fc.assert(
      fc.property(
        day,
        fc.constantFrom("month" as const, "year" as const),
        fc.integer({ min: 1, max: 24 }),
        (start, period, n) => {
          let paidThrough = start;
          for (let i = 0; i < n; i++) {
            const p = nextPeriod(paidThrough, period);
            expect(p.start).toBe(addDays(paidThrough, 1));
            expect(daysBetween(p.start, p.end) + 1).toBeGreaterThanOrEqual(period === "month" ? 28 : 365);
            paidThrough = p.end;
          }
        },
      ),
    );
  });
});

describe("invoices and their due dates", () => {
  it("is issued 7 days before the period, not 8", () => {
    expect(invoiceIsDue("2026-12-15", "2026-12-09", DEFAULT_BILLING)).toBe(true); // period starts 16.12
    expect(invoiceIsDue("2026-12-15", "2026-12-08", DEFAULT_BILLING)).toBe(false);
  });

  it("always leaves at least 7 days to pay, and is never due before the period starts", () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -60, max: 30 }), (periodStart, issuedOffset) => {
        const issued = addDays(periodStart, issuedOffset);
        const due = dueDate(periodStart, issued, DEFAULT_BILLING);
        expect(daysBetween(issued, due)).toBeGreaterThanOrEqual(issuedOffset <= -7 ? -issuedOffset : 7);
        expect(due >= periodStart).toBe(true);
      }),
    );
  });
});

describe("the access ladder", () => {
  it("past due the day after the due date, restricted after the 7-day grace, suspended 30 days after that", () => {
    expect(overdueStatus(0, DEFAULT_BILLING)).toBeNull();
    expect(overdueStatus(1, DEFAULT_BILLING)).toBe("past_due");
    expect(overdueStatus(7, DEFAULT_BILLING)).toBe("past_due");
    expect(overdueStatus(8, DEFAULT_BILLING)).toBe("restricted");
    expect(overdueStatus(37, DEFAULT_BILLING)).toBe("restricted");
    expect(overdueStatus(38, DEFAULT_BILLING)).toBe("suspended");
    expect(overdueStatus(3, { graceDays: 2, suspendAfterDays: 0 })).toBe("suspended");
  });

  it("climbs one recorded step at a time and never down", () => {
    expect(escalation("trial", "suspended")).toEqual(["past_due", "restricted", "suspended"]);
    expect(escalation("past_due", "restricted")).toEqual(["restricted"]);
    expect(escalation("restricted", "past_due")).toEqual([]);
  });
});

describe("reminders", () => {
  it("e-mails only the latest reminder reached, so a run after an outage sends one, not three", () => {
    expect(remindersReached("2026-12-16", "2026-12-09", "2026-12-13", [-3, 0, 3, 7])).toEqual([
      { offset: -3, email: true },
    ]);
    expect(remindersReached("2026-12-16", "2026-12-09", "2026-12-24", [-3, 0, 3, 7])).toEqual([
      { offset: -3, email: false },
      { offset: 0, email: false },
      { offset: 3, email: false },
      { offset: 7, email: true },
    ]);
  });

  it("does not remind about days before the invoice existed", () => {
    expect(remindersReached("2026-12-16", "2026-12-15", "2026-12-15", [-3, 0])).toEqual([]);
  });
});
