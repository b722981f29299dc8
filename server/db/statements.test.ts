// Named prepared statements (ADR 044): each parameterised statement text is prepared once per connection, under a
// name made of the text, so PostgreSQL parses it once and can keep its plan; a pooler that can't carry them
// turns them off.
import { appDb, disconnectDb, NAMED_STATEMENTS_AT_MOST, statementName } from "./client.ts";
import { resetConfig } from "../config.ts";

/** The statements prepared on the connection of one transaction that ran `SELECT $1::int AS n` twice. */
async function preparedAfterTwoRuns(): Promise<{ name: string; statement: string }[]> {
  return appDb().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT ${1}::int AS n`;
    await tx.$queryRaw`SELECT ${2}::int AS n`;
    return tx.$queryRawUnsafe<{ name: string; statement: string }[]>(
      "SELECT name, statement FROM pg_prepared_statements WHERE statement = 'SELECT $1::int AS n'",
    );
  });
}

afterEach(async () => {
  delete process.env.DB_PREPARED_STATEMENTS;
  resetConfig();
  await disconnectDb();
});

describe("named prepared statements", () => {
  it("a statement run twice is prepared once, under the name of its text", async () => {
    const prepared = await preparedAfterTwoRuns();
    expect(prepared).toEqual([
      { name: statementName({ sql: "SELECT $1::int AS n", args: [1] }), statement: "SELECT $1::int AS n" },
    ]);
    expect(prepared[0]!.name).toMatch(/^am_[\w-]{40}$/);
  });

  it("two texts never share a name; a statement without parameters stays a simple query", () => {
    const a = statementName({ sql: "SELECT $1::int AS a", args: [1] });
    expect(a).not.toBe(statementName({ sql: "SELECT $1::int AS b", args: [1] }));
    expect(statementName({ sql: "SELECT $1::int AS a", args: [7] })).toBe(a);
    expect(statementName({ sql: "BEGIN", args: [] })).toBe("");
  });

  it(`names at most ${NAMED_STATEMENTS_AT_MOST} texts in a process; the rest run unnamed`, () => {
    const names = Array.from({ length: NAMED_STATEMENTS_AT_MOST + 10 }, (_, k) =>
      statementName({ sql: `SELECT $1::int AS c${k}`, args: [k] }),
    );
    expect(names.filter((n) => n === "").length).toBeGreaterThanOrEqual(10);
    expect(new Set(names.filter(Boolean)).size).toBe(names.filter(Boolean).length);
  });

  it("DB_PREPARED_STATEMENTS=off (a pooler without them): nothing is prepared under a name", async () => {
    process.env.DB_PREPARED_STATEMENTS = "off";
    resetConfig();
    await disconnectDb();
    expect(await preparedAfterTwoRuns()).toEqual([]);
  });
});
