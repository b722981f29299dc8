// The fit rules shared by a registrar's booking (bookLesson) and the cabinet's grid and self-booking:
// every reason, and that a date on the last valid day still fits.
import { instructorUnfit, traineeUnfit, vehicleUnfit, type FitInstructor, type FitVehicle } from "./fit.ts";

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
