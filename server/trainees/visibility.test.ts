import { CONTRACT_ROLES, IDENTITY_DOCUMENT_ROLES, redact, sees, traineeView } from "../../domain/visibility.ts";

const row = {
  id: "t1",
  lastName: "Әбенова",
  iin: "990314450012",
  phone: "+77015559876",
  contractPriceTiyn: 100,
  medicalCertNumber: "МС-1",
};

describe("what a role sees of a trainee", () => {
  it("an instructor sees the roster of everyone and the phone of their own trainee only", () => {
    const v = traineeView(["instructor"], "u1");
    expect(redact(row, v)).toEqual({ id: "t1", lastName: "Әбенова" });
    expect(redact(row, v, true)).toEqual({ id: "t1", lastName: "Әбенова", phone: "+77015559876" });
  });

  it("an inspector sees identity, contract and the medical certificate but no contacts", () => {
    expect(redact(row, traineeView(["inspector"], "u1"), true)).toEqual({
      id: "t1",
      lastName: "Әбенова",
      iin: "990314450012",
      contractPriceTiyn: 100,
      medicalCertNumber: "МС-1",
    });
  });

  it("a member with two roles sees what either role sees", () => {
    const v = traineeView(["teacher", "inspector"], "u1");
    expect(sees(v, "iin")).toBe(true);
    expect(sees(v, "phone", true)).toBe(false);
    const both = traineeView(["instructor", "registrar"], "u1");
    expect(redact(row, both)).toEqual(row);
    expect(both.own.size).toBe(0); // the registrar already sees the phone of everyone
  });

  it("documents follow the rule: the card and certificate to who sees identity, the contract to the office", () => {
    expect([...IDENTITY_DOCUMENT_ROLES].sort()).toEqual(["director", "inspector", "registrar"]);
    expect([...CONTRACT_ROLES].sort()).toEqual(["director", "registrar"]);
  });
});
