import { nulPaths, refuseNulInput } from "./text-input.ts";

describe("NUL bytes in an input", () => {
  it("are found in any string, at its path, however the input nests", () => {
    expect(nulPaths({ school: "a", q: "x\u0000" })).toEqual([["q"]]);
    expect(nulPaths({ data: { lastName: "\u0000", tags: ["ok", "b\u0000"] } })).toEqual([
      ["data", "lastName"],
      ["data", "tags", 1],
    ]);
    expect(nulPaths("\u0000")).toEqual([[]]);
    expect(nulPaths({ a: "ok", n: 1, d: new Date(0), nothing: null })).toEqual([]);
  });

  it("don't make a deep or huge input expensive: nesting past 32 levels is left to the schema", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nulPaths(deep)).toEqual([]);
    expect(nulPaths({ big: "x".repeat(1_000_000) })).toEqual([]);
  });

  it("refuse the input with a field error per string (400, errors:input.nul)", () => {
    const e = (() => {
      try {
        refuseNulInput({ a: "\u0000", b: ["\u0000"] });
        return null;
      } catch (err) {
        return err as { code: string; cause: { issues: { path: unknown[]; message: string }[] } };
      }
    })();
    expect(e?.code).toBe("BAD_REQUEST");
    expect(e?.cause.issues.map((i) => [i.path, i.message])).toEqual([
      [["a"], "input.nul"],
      [["b", 0], "input.nul"],
    ]);
    expect(() => refuseNulInput({ a: "fine" })).not.toThrow();
  });
});
