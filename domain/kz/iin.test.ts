import fc from "fast-check";
import { checkDigit, makeBin, makeIin, validateBin, validateIin } from "./iin.ts";

describe("validateBin", () => {
  it("accepts the operator's own BIN from the offer", () => {
    expect(validateBin("140940023564")).toEqual({ ok: true, registered: "2014-09", entityType: "resident" });
  });

  it("refuses a BIN whose check digit is wrong", () => {
    expect(validateBin("140940023565")).toEqual({ ok: false, reason: "checksum" });
  });

  it("refuses anything that isn't exactly 12 digits", () => {
    for (const v of ["", "14094002356", "1409400235641", "14094002356a", " 140940023564"]) {
      expect(validateBin(v)).toEqual({ ok: false, reason: "format" });
    }
  });

  it("refuses a registration month of 13 and an unknown entity type", () => {
    expect(validateBin("141340023564")).toEqual({ ok: false, reason: "registration_month" });
    expect(validateBin("140970023564")).toEqual({ ok: false, reason: "entity_type" });
  });
});

describe("validateIin", () => {
  it("reads the birth date and sex of a valid IIN", () => {
    const iin = makeIin("1990-12-31", "female", 42);
    expect(iin.slice(0, 7)).toBe("9012314");
    expect(validateIin(iin)).toEqual({ ok: true, birthDate: "1990-12-31", sex: "female" });
  });

  it("knows the century from the seventh digit", () => {
    expect(validateIin(makeIin("2005-01-02", "male", 7))).toMatchObject({
      ok: true,
      birthDate: "2005-01-02",
      sex: "male",
    });
    expect(validateIin(makeIin("1899-07-01", "male", 7))).toMatchObject({ ok: true, birthDate: "1899-07-01" });
  });

  it("refuses a seventh digit outside 1–6", () => {
    const iin = makeIin("1990-05-05", "male", 1);
    expect(validateIin(`${iin.slice(0, 6)}0${iin.slice(7)}`)).toEqual({ ok: false, reason: "century" });
    expect(validateIin(`${iin.slice(0, 6)}7${iin.slice(7)}`)).toEqual({ ok: false, reason: "century" });
  });

  it("refuses dates that don't exist, like 30 February or 29 February 2001", () => {
    expect(validateIin("900230300000")).toEqual({ ok: false, reason: "birth_date" });
    expect(validateIin("010229500000")).toEqual({ ok: false, reason: "birth_date" });
    expect(validateIin("001301300000")).toEqual({ ok: false, reason: "birth_date" });
  });

  it("accepts 29 February in a leap year", () => {
    expect(validateIin(makeIin("2000-02-29", "male", 5))).toMatchObject({ ok: true, birthDate: "2000-02-29" });
  });

  it("uses the second pass of weights when the first gives 10", () => {
    // Find an 11-digit stem whose first pass yields 10, and check the IIN built on it validates.
    const stem = fc
      .sample(fc.integer({ min: 0, max: 9999 }), 2000)
      .map((s) => `900101300${String(s).padStart(4, "0")}`.slice(0, 11))
      .find((st) => [...st].reduce((a, d, i) => a + Number(d) * (i + 1), 0) % 11 === 10 && checkDigit(st) !== null);
    expect(stem).toBeDefined();
    const iin = stem! + checkDigit(stem!);
    expect(validateIin(iin).ok).toBe(true);
  });

  it("every generated IIN validates, and a changed check digit is caught", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }),
        fc.constantFrom("male" as const, "female" as const),
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 9 }),
        (date, sex, serial, delta) => {
          const birthDate = date.toISOString().slice(0, 10);
          const iin = makeIin(birthDate, sex, serial);
          expect(validateIin(iin)).toEqual({ ok: true, birthDate, sex });
          const changed = iin.slice(0, 11) + ((Number(iin[11]) + delta) % 10);
          expect(validateIin(changed).ok).toBe(false);
        },
      ),
    );
  });

  it("generated BINs validate", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), (s) => {
        expect(validateBin(makeBin("2111", s)).ok).toBe(true);
      }),
    );
  });
});
