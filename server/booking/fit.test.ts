// The fit rules shared by a registrar's booking (bookLesson) and the cabinet's grid and self-booking:
// every reason, and that a date on the last valid day still fits.
import {
  hoursOn,
  hoursText,
  hoursUnfit,
  instructorUnfit,
  isoWeekday,
  periodOn,
  traineeUnfit,
  vehicleUnfit,
  type FitInstructor,
  type FitVehicle,
  type WorkHours,
} from "./fit.ts";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const trainee = { category: "B", gearbox: "manual" };

describe("the trainee", () => {
  it("drives when enrolled or in training, not before or after", () => {
    expect(traineeUnfit({ status: "enrolled" })).toBeNull();
    expect(traineeUnfit({ status: "training" })).toBeNull();
    for (const status of ["applicant", "exams", "graduated", "expelled", "transferred"])
      expect(traineeUnfit({ status })).toBe("traineeNotInTraining");
  });
});

describe("the instructor", () => {
  const fit: FitInstructor = { isInstructor: true, licenceCategories: ["B", "BE"], certValidUntil: day("2026-03-10") };

  it("fits when an instructor here, licensed for the category, certificate valid on the day", () => {
    expect(instructorUnfit(fit, "B", "2026-03-10")).toBeNull();
    expect(instructorUnfit({ ...fit, certValidUntil: null }, "B", "2030-01-01")).toBeNull();
  });

  it("names the first thing that does not fit", () => {
    expect(instructorUnfit({ ...fit, isInstructor: false }, "C", "2026-03-11")).toBe("notInstructor");
    expect(instructorUnfit(fit, "C", "2026-03-11")).toBe("instructorCategory");
    expect(instructorUnfit({ ...fit, licenceCategories: [] }, "B", "2026-03-01")).toBe("instructorCategory");
    expect(instructorUnfit(fit, "B", "2026-03-11")).toBe("instructorCertExpired");
  });
});

describe("the car", () => {
  const fit: FitVehicle = {
    id: "v1",
    plate: "123ABC02",
    category: "B",
    gearbox: "manual",
    active: true,
    insuranceValidUntil: day("2026-03-10"),
    inspectionValidUntil: day("2026-03-20"),
  };

  it("fits when active, the trainee's category and gearbox, insured and inspected on the day", () => {
    expect(vehicleUnfit(fit, trainee, "2026-03-10")).toBeNull();
    expect(vehicleUnfit({ ...fit, insuranceValidUntil: null, inspectionValidUntil: null }, trainee, "2030-01-01")).toBe(
      null,
    );
  });

  it("names the first thing that does not fit", () => {
    expect(vehicleUnfit(null, trainee, "2026-03-01")).toBe("vehicleUnavailable");
    expect(vehicleUnfit({ ...fit, active: false, category: "C" }, trainee, "2026-03-01")).toBe("vehicleUnavailable");
    expect(vehicleUnfit({ ...fit, category: "C", gearbox: "automatic" }, trainee, "2026-03-01")).toBe(
      "vehicleCategory",
    );
    expect(vehicleUnfit({ ...fit, gearbox: "automatic" }, trainee, "2026-03-01")).toBe("vehicleGearbox");
    expect(vehicleUnfit(fit, trainee, "2026-03-11")).toBe("vehicleInsurance");
    expect(vehicleUnfit({ ...fit, insuranceValidUntil: null }, trainee, "2026-03-21")).toBe("vehicleInspection");
  });
});

describe("working hours, days off and a car's days out of work", () => {
  // 2026-12-07 is a Monday, 2026-12-13 a Sunday.
  const hours: WorkHours[] = [
    { weekday: 1, starts: 8 * 60, ends: 13 * 60 },
    { weekday: 1, starts: 14 * 60, ends: 20 * 60 },
    { weekday: 6, starts: 9 * 60, ends: 14 * 60 },
  ];

  it("reads the weekday of a calendar date, Monday first", () => {
    expect(isoWeekday("2026-12-07")).toBe(1);
    expect(isoWeekday("2026-12-12")).toBe(6);
    expect(isoWeekday("2026-12-13")).toBe(7);
  });

  it("no hours set means any time fits", () => {
    expect(hoursUnfit([], "2026-12-13", 0, 24 * 60)).toBeNull();
    expect(hoursOn([], "2026-12-07")).toBeNull();
  });

  it("a lesson fits only wholly inside one interval of that weekday, the edges included", () => {
    expect(hoursUnfit(hours, "2026-12-07", 8 * 60, 9 * 60 + 30)).toBeNull();
    expect(hoursUnfit(hours, "2026-12-07", 11 * 60 + 30, 13 * 60)).toBeNull();
    expect(hoursUnfit(hours, "2026-12-07", 18 * 60 + 30, 20 * 60)).toBeNull();
    expect(hoursUnfit(hours, "2026-12-07", 7 * 60 + 30, 9 * 60)).toBe("instructorOffHours");
    // Across the lunch break: both intervals are working time, the break is not.
    expect(hoursUnfit(hours, "2026-12-07", 12 * 60 + 30, 14 * 60)).toBe("instructorOffHours");
    expect(hoursUnfit(hours, "2026-12-07", 19 * 60, 20 * 60 + 30)).toBe("instructorOffHours");
    expect(hoursUnfit(hours, "2026-12-12", 9 * 60, 10 * 60)).toBeNull();
  });

  it("a weekday without intervals is a day off once any hours are set", () => {
    expect(hoursUnfit(hours, "2026-12-08", 10 * 60, 11 * 60)).toBe("instructorDayOff");
    expect(hoursUnfit(hours, "2026-12-13", 10 * 60, 11 * 60)).toBe("instructorDayOff");
  });

  it("shows a day's hours as people write them, earliest first", () => {
    expect(hoursText(hoursOn([...hours].reverse(), "2026-12-07")!)).toBe("08:00–13:00, 14:00–20:00");
  });

  it("a period covers its first and last day and nothing outside", () => {
    const periods = [{ startsOn: "2026-12-10", endsOn: "2026-12-14", reason: "leave" }];
    expect(periodOn(periods, "2026-12-09")).toBeNull();
    expect(periodOn(periods, "2026-12-10")?.reason).toBe("leave");
    expect(periodOn(periods, "2026-12-14")?.reason).toBe("leave");
    expect(periodOn(periods, "2026-12-15")).toBeNull();
    expect(periodOn([{ startsOn: "2026-12-10", endsOn: "2026-12-10" }], "2026-12-10")).not.toBeNull();
  });
});
