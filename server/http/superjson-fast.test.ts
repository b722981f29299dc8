import fc from "fast-check";
import superjson from "superjson";
import { serialize } from "./superjson-fast.ts";

/** What goes over the wire, read back as the browser's JSON.parse reads it. */
const wire = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

// Every kind of value a procedure could return: superjson's own (Date, undefined, NaN, -0, bigint, Map, Set) among
// plain JSON, under keys with dots and backslashes, which superjson's paths escape.
const { tree } = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.integer(),
    fc.double(),
    fc.date(),
    fc.constant(undefined),
    fc.bigInt(),
    fc.constant(new Date(Number.NaN)),
  ),
  tree: fc.oneof(
    { depthSize: "small" },
    tie("leaf"),
    fc.array(tie("tree"), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: fc.constantFrom("a", "б", ".", "\\", "ə", "1") }), tie("tree"), { maxKeys: 5 }),
    fc.array(tie("leaf"), { maxLength: 3 }).map((xs) => new Set(xs)),
    fc.array(fc.tuple(fc.string(), tie("leaf")), { maxLength: 3 }).map((xs) => new Map(xs)),
  ),
}));

describe("tRPC's output: superjson's wire format, the quick way where it can be", () => {
  it("sends what superjson sends, and the browser reads back the same values", () => {
    fc.assert(
      fc.property(tree, (x) => {
        const sent = wire(serialize(x));
        expect(sent).toEqual(wire(superjson.serialize(x)));
        expect(superjson.deserialize(sent as never)).toEqual(
          superjson.deserialize(wire(superjson.serialize(x)) as never),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("gives back a lesson week's times as dates, by their place in the list", () => {
    const week = {
      lessons: [0, 1].map((k) => ({
        id: `l${k}`,
        startsAt: new Date(`2026-12-0${7 + k}T04:00:00Z`),
        endsAt: new Date(`2026-12-0${7 + k}T05:30:00Z`),
        trainee: { lastName: "Иванов", firstName: "Ерлан", "a.b": new Date("2026-01-01T00:00:00Z") },
        note: null,
      })),
      total: 2,
    };
    const back = superjson.deserialize<typeof week>(wire(serialize(week)) as never);
    expect(back).toEqual(week);
    expect(back.lessons[1]!.startsAt).toBeInstanceOf(Date);
    expect(back.lessons[1]!.trainee["a.b"]).toBeInstanceOf(Date);
  });

  it("keeps one object met twice as one, as superjson does", () => {
    const school = { name: "Автомектеп" };
    const sent = wire(serialize({ mine: school, theirs: school }));
    expect(sent).toEqual(wire(superjson.serialize({ mine: school, theirs: school })));
  });
});
