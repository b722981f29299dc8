import { landingSection } from "./roles.ts";

describe("where a member's day starts", () => {
  it("the director on the dashboard, the registrar on the register, the instructor on lessons, the teacher on theory, the inspector on the journal", () => {
    expect(landingSection(["director"])).toBe("dashboard");
    expect(landingSection(["registrar"])).toBe("trainees");
    expect(landingSection(["instructor"])).toBe("lessons");
    expect(landingSection(["teacher"])).toBe("theory");
    expect(landingSection(["inspector"])).toBe("journal");
  });

  it("a member with several roles lands where the widest starts", () => {
    expect(landingSection(["instructor", "director"])).toBe("dashboard");
    expect(landingSection(["teacher", "registrar"])).toBe("trainees");
    expect(landingSection(["teacher", "instructor"])).toBe("lessons");
    expect(landingSection(["inspector", "teacher"])).toBe("theory");
  });
});
