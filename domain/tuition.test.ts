import { describe, expect, it } from "vitest";
import { addMonths, scheduleProblem, splitEvenly, standing } from "./tuition.ts";

describe("the schedule split", () => {
  it("splits 250 000 ₸ into 3 monthly instalments of whole tenge, the last taking the remainder", () => {
    const lines = splitEvenly(25_000_000, 3, "2027-01-31");
    expect(lines).toEqual([
      { dueOn: "2027-01-31", amountTiyn: 8_333_300 },
      { dueOn: "2027-02-28", amountTiyn: 8_333_300 },
      { dueOn: "2027-03-31", amountTiyn: 8_333_400 },
    ]);
    expect(lines.reduce((s, l) => s + l.amountTiyn, 0)).toBe(25_000_000);
  });

  it("adds up to the price to the tiyn whatever the price and count", () => {
    for (const price of [1, 99, 100, 101, 12_345_67, 99_999_999_99]) {
      for (const count of [1, 2, 3, 7, 12, 36]) {
        const lines = splitEvenly(price, count, "2027-05-15");
        expect(lines.reduce((s, l) => s + l.amountTiyn, 0)).toBe(price);
        expect(lines.every((l) => l.amountTiyn > 0)).toBe(true);
      }
    }
  });

  it("moves due dates by calendar month, clamped to the month's end", () => {
    expect(addMonths("2027-01-31", 1)).toBe("2027-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2027-11-15", 3)).toBe("2028-02-15");
  });

  it("refuses typed lines that don't add up to the price, are out of order, or are empty", () => {
    const ok = [
      { dueOn: "2027-01-10", amountTiyn: 100_00 },
      { dueOn: "2027-02-10", amountTiyn: 50_00 },
    ];
    expect(scheduleProblem(ok, 150_00)).toBeNull();
    expect(scheduleProblem(ok, 150_01)).toBe("scheduleSum");
    expect(scheduleProblem([...ok].reverse(), 150_00)).toBe("scheduleOrder");
    expect(scheduleProblem([], 150_00)).toBe("scheduleEmpty");
    expect(scheduleProblem([{ dueOn: "2027-01-10", amountTiyn: 0 }], 0)).toBe("scheduleAmount");
  });
});

describe("where the ledger stands", () => {
  const schedule = [
    { seq: 1, dueOn: "2027-01-10", amountTiyn: 100_000_00 },
    { seq: 2, dueOn: "2027-02-10", amountTiyn: 100_000_00 },
    { seq: 3, dueOn: "2027-03-10", amountTiyn: 50_000_00 },
  ];

  it("applies payments to the earliest instalments and counts what passed its date as overdue", () => {
    const s = standing(schedule, 250_000_00, 130_000_00, "2027-02-11");
    expect(s.instalments.map((i) => [i.state, i.paidTiyn, i.owedTiyn])).toEqual([
      ["paid", 100_000_00, 0],
      ["overdue", 30_000_00, 70_000_00],
      ["upcoming", 0, 50_000_00],
    ]);
    expect(s.overdueTiyn).toBe(70_000_00);
    expect(s.next?.seq).toBe(3);
    expect(s.dueNowTiyn).toBe(120_000_00);
    expect(s.balanceTiyn).toBe(120_000_00);
  });

  it("is due on its date, overdue the day after", () => {
    expect(standing(schedule, 250_000_00, 0, "2027-01-10").instalments[0]?.state).toBe("due");
    expect(standing(schedule, 250_000_00, 0, "2027-01-11").instalments[0]?.state).toBe("overdue");
  });

  it("owes nothing now once the price is paid", () => {
    const s = standing(schedule, 250_000_00, 250_000_00, "2027-06-01");
    expect(s.dueNowTiyn).toBe(0);
    expect(s.overdueTiyn).toBe(0);
    expect(s.next).toBeNull();
  });

  it("without a schedule the whole balance is due now and nothing is overdue", () => {
    const s = standing([], 250_000_00, 50_000_00, "2027-06-01");
    expect(s.dueNowTiyn).toBe(200_000_00);
    expect(s.overdueTiyn).toBe(0);
  });

  it("flags a schedule that no longer adds up to the price", () => {
    const s = standing(schedule, 300_000_00, 250_000_00, "2027-01-01");
    expect(s.mismatch).toBe(true);
    expect(s.dueNowTiyn).toBe(50_000_00);
  });
});
