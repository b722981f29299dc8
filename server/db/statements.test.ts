// Named prepared statements (ADR 044): each parameterised statement text is prepared once per connection, under a
// name made of the text, so PostgreSQL parses it once and can keep its plan; a pooler that can't carry them
// turns them off.
import { appDb, disconnectDb, NAMED_STATEMENTS_AT_MOST, operatorDb, statementName } from "./client.ts";
import { resetConfig } from "../config.ts";

/** The statements prepared on the connection of one transaction that ran `SELECT $1::int AS n` twice. */
async function preparedAfterTwoRuns(db = appDb()): Promise<{ name: string; statement: string }[]> {
  return db.$transaction(async (tx) => {
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

  it("the jobs' and the console's client prepares nothing under a name: their tables grow within a run", async () => {
    expect(await preparedAfterTwoRuns(operatorDb())).toEqual([]);
  });

  it("DB_PREPARED_STATEMENTS=off (a pooler without them): nothing is prepared under a name", async () => {
    process.env.DB_PREPARED_STATEMENTS = "off";
    resetConfig();
    await disconnectDb();
    expect(await preparedAfterTwoRuns()).toEqual([]);
  });
});

describe("a transaction's BEGIN travels with its first statement (server/db/pools.ts)", () => {
  it("the first statement, sent with the BEGIN, is inside the transaction: its transaction-local setting holds after it", async () => {
    const seen = await appDb().$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SELECT set_config('app.user_id', 'first-statement', true)");
      const [row] = await tx.$queryRaw<{ setting: string }[]>`
        SELECT current_setting('app.user_id') AS setting WHERE ${1} = 1`;
      return row!.setting;
    });
    expect(seen).toBe("first-statement");
    // Transaction-local: gone once it committed, on whichever connection comes next.
    const after = await appDb().$transaction(
      (tx) =>
        tx.$queryRaw<{ setting: string }[]>`SELECT current_setting('app.user_id', true) AS setting WHERE ${1} = 1`,
    );
    expect(after[0]!.setting ?? "").toBe("");
  });

  it("a first statement that fails rolls the transaction back and leaves the connections usable", async () => {
    await expect(
      appDb().$transaction(async (tx) => {
        await tx.$executeRawUnsafe("SELECT no_such_function()");
      }),
    ).rejects.toThrow(/no_such_function/);
    for (let k = 0; k < 12; k++) {
      const [row] = await appDb().$transaction((tx) => tx.$queryRawUnsafe<{ one: number }[]>("SELECT 1 AS one"));
      expect(row!.one).toBe(1);
    }
  });

  it("a transaction that sends nothing commits nothing and costs nothing", async () => {
    await expect(appDb().$transaction(async () => "done")).resolves.toBe("done");
  });
});

describe("statements a transaction starts together (ADR 049)", () => {
  type Options = { batchLoader: (requests: unknown[]) => Promise<unknown> };
  const loaderOptions = (db: unknown) =>
    (db as { _requestHandler: { dataloader: { options: Options } } })._requestHandler.dataloader.options;

  it("go to the database each on its own, not as a batch Prisma would compile afresh, and each gets its own answer", async () => {
    const db = appDb();
    const options = loaderOptions(db);
    const batchLoader = options.batchLoader;
    const batches: number[] = [];
    options.batchLoader = (requests) => (batches.push(requests.length), batchLoader(requests));
    try {
      const answers = await db.$transaction(async (tx) => {
        const [a, schools, b] = await Promise.all([
          tx.$queryRaw<{ n: number }[]>`SELECT ${1}::int AS n`,
          tx.school.count(),
          tx.$queryRaw<{ n: number }[]>`SELECT ${2}::int AS n`,
        ]);
        return { a: a[0]!.n, schools, b: b[0]!.n };
      });
      expect(answers).toEqual({ a: 1, schools: 0, b: 2 });
      expect(batches).toEqual([]);
    } finally {
      options.batchLoader = batchLoader;
    }
  });
});
