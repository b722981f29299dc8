import fc from "fast-check";
import { parseSignedTenge, parseTenge, tengeInput } from "./money.ts";

describe("tenge typed by people", () => {
  it("reads the usual ways of writing an amount", () => {
    expect(parseTenge("250 000")).toBe(25_000_000);
    expect(parseTenge("250000,50")).toBe(25_000_050);
    expect(parseTenge("1 200.5")).toBe(120_050);
    expect(parseTenge("45 000 ₸")).toBe(4_500_000);
    expect(parseTenge("0")).toBe(0);
  });

  it("refuses what isn't an amount", () => {
    for (const bad of ["", "-5", "12,345", "1.2.3", "abc", "1e5"]) expect(parseTenge(bad)).toBeNull();
  });

  it("reads a payment's correction with its minus, however it is typed", () => {
    expect(parseSignedTenge("-30 000")).toBe(-3_000_000);
    expect(parseSignedTenge("− 30 000,50 ₸")).toBe(-3_000_050);
    expect(parseSignedTenge("–500")).toBe(-50_000);
    expect(parseSignedTenge("30 000")).toBe(3_000_000);
    for (const bad of ["-", "--5", "5-", "+-5", "минус 5"]) expect(parseSignedTenge(bad)).toBeNull();
  });

  it("round-trips through the form field", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (tiyn) => {
        expect(parseTenge(tengeInput(tiyn))).toBe(tiyn);
      }),
    );
  });
});
