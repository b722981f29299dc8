import { hoursToMinutes, parseDay, priorDateProblems } from "./prior-rules.ts";

describe("the office's figures from before adoption", () => {
  it("reads hours as people write them, up to 500", () => {
    expect(["", "40", "12,5", "12.5", "0,25", "500"].map(hoursToMinutes)).toEqual([0, 2400, 750, 750, 15, 30000]);
    expect(["-5", "501", "сорок", "1e3", "12,555", "40 ч"].map(hoursToMinutes)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it("reads days as DD.MM.YYYY, ISO or an Excel date cell, and refuses days that don't exist", () => {
    expect(["14.03.2026", "4.3.2026", "14/03/2026", "2026-03-14", "46095"].map(parseDay)).toEqual([
      "2026-03-14",
      "2026-03-04",
      "2026-03-14",
      "2026-03-14",
      "2026-03-14",
    ]);
    expect(["31.02.2026", "2026-13-01", "14.03.26", "вчера", ""].map(parseDay)).toEqual([null, null, null, null, null]);
  });

  it("refuses days in the future, before 2000, and an exam before training started", () => {
    const today = "2026-12-07";
    expect(
      priorDateProblems({ startedOn: "2026-12-08", theoryExamOn: "1999-05-01", practicalExamOn: null }, today),
    ).toEqual([
      { field: "startedOn", key: "adoption.dateInFuture" },
      { field: "theoryExamOn", key: "adoption.dateTooEarly" },
    ]);
    expect(
      priorDateProblems({ startedOn: "2026-05-01", theoryExamOn: "2026-04-30", practicalExamOn: "2026-05-01" }, today),
    ).toEqual([{ field: "theoryExamOn", key: "adoption.examBeforeStart" }]);
  });
});
