// Fault: PostgreSQL ends a transaction because it raced another one — a deadlock (40P01) or a serialization
// failure (40001). Proves: the transaction helper runs the loser again, so both people's work lands; when
// the race is lost every time, the person is told in kk or ru that someone changed the same thing at the
// same moment (409), never "service unavailable" (503).
import pg from "pg";
import { TRPCError } from "@trpc/server";
import { config } from "../../server/config.ts";
import { CONFLICT_RETRIES, operatorDb, withConflictRetry } from "../../server/db/client.ts";
import { createCallerFactory, describeError, publicProcedure, router } from "../../server/trpc.ts";
import { createSchool } from "../factories.ts";

const db = () => operatorDb();

/** Resolves when `n` parties have arrived: the two transactions take their first lock before either takes its second. */
function barrier(n: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return async () => {
    if (++arrived === n) open();
    await opened;
  };
}

/** Two schools' rows locked in opposite orders by two transactions at once: a deadlock on the first try. */
async function deadlockingPair(a: string, b: string) {
  const runs = { first: 0, second: 0 };
  const firstLocks = barrier(2);
  const lockBoth = (key: "first" | "second", one: string, two: string) =>
    db().$transaction(async (tx) => {
      const run = ++runs[key];
      await tx.$executeRaw`UPDATE school SET address = ${`${key} ${run}`} WHERE id = ${one}::uuid`;
      if (run === 1) await firstLocks();
      await tx.$executeRaw`UPDATE school SET address = ${`${key} ${run}`} WHERE id = ${two}::uuid`;
      return run;
    });
  const results = await Promise.allSettled([lockBoth("first", a, b), lockBoth("second", b, a)]);
  return { results, runs };
}

/** Two plain connections of the operator role lock two rows crosswise; returns the error of the one PostgreSQL chose. */
async function rawDeadlock(a: string, b: string): Promise<unknown> {
  const clients = [
    new pg.Client({ connectionString: config().operatorDatabaseUrl }),
    new pg.Client({ connectionString: config().operatorDatabaseUrl }),
  ];
  await Promise.all(clients.map((c) => c.connect()));
  try {
    const firstLocks = barrier(2);
    const run = async (c: pg.Client, one: string, two: string) => {
      await c.query("BEGIN");
      await c.query("UPDATE school SET address = 'x' WHERE id = $1", [one]);
      await firstLocks();
      await c.query("UPDATE school SET address = 'y' WHERE id = $1", [two]);
      await c.query("COMMIT");
    };
    const results = await Promise.allSettled([run(clients[0]!, a, b), run(clients[1]!, b, a)]);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
    return lost?.reason;
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

describe("a transaction that loses a race inside PostgreSQL", { timeout: 60_000 }, () => {
  it("is run again after a deadlock, so both transactions' changes land", async () => {
    const [s1, s2] = [await createSchool(), await createSchool()];
    const { results, runs } = await deadlockingPair(s1.schoolId, s2.schoolId);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    // PostgreSQL chose one victim; only it ran twice.
    expect(runs.first + runs.second).toBe(3);
    const addresses = await db().school.findMany({
      where: { id: { in: [s1.schoolId, s2.schoolId] } },
      select: { address: true },
    });
    const winner = runs.first === 2 ? "first 2" : "second 2";
    expect(addresses.map((x) => x.address)).toEqual([winner, winner]);
  });

  it("is run again after a serialization failure under SERIALIZABLE, and the invariant it checks holds", async () => {
    const s = await createSchool();
    // Two operators each add a note only if the school has none yet (check, then write): under SERIALIZABLE one
    // of them fails with 40001, is run again, sees the other's note and adds nothing.
    const bothRead = barrier(2);
    let attempts = 0;
    const addNoteIfNone = (text: string) =>
      db().$transaction(
        async (tx) => {
          attempts++;
          const [row] = await tx.$queryRaw<
            { n: number }[]
          >`SELECT count(*)::int AS n FROM school WHERE id = ${s.schoolId}::uuid AND address IS NOT NULL`;
          const n = row!.n;
          if (attempts <= 2) await bothRead();
          if (n > 0) return "already";
          await tx.$executeRaw`UPDATE school SET address = ${text} WHERE id = ${s.schoolId}::uuid`;
          return "added";
        },
        { isolationLevel: "Serializable" },
      );
    const results = await Promise.all([addNoteIfNone("Абай к-сі, 1"), addNoteIfNone("ул. Абая, 2")]);
    expect(results.sort()).toEqual(["added", "already"]);
    expect(attempts).toBe(3);
  });

  it("gives up after a bounded number of runs, and the person reads a kk/ru conflict message, not 'unavailable'", async () => {
    const [s1, s2] = [await createSchool(), await createSchool()];
    // A real deadlock error from PostgreSQL, from two plain connections that lock the same rows crosswise.
    const deadlock = await rawDeadlock(s1.schoolId, s2.schoolId);
    expect((deadlock as { code?: string }).code).toBe("40P01");
    // Lost every time: the helper runs the work 1 + CONFLICT_RETRIES times, then lets the error through.
    let runs = 0;
    await expect(
      withConflictRetry(async () => {
        runs++;
        throw deadlock;
      }),
    ).rejects.toBe(deadlock);
    expect(runs).toBe(1 + CONFLICT_RETRIES);

    const t = router({
      book: publicProcedure.mutation(() =>
        withConflictRetry(async () => {
          throw deadlock;
        }),
      ),
    });
    for (const [locale, message] of [
      [
        "ru",
        "В этот же момент те же данные изменил кто-то другой, ваши изменения не сохранены. Откройте страницу заново и повторите",
      ],
      [
        "kk",
        "Дәл осы сәтте бұл деректерді басқа біреу өзгертті, сіздің өзгерістеріңіз сақталмады. Бетті қайта ашып, қайталаңыз",
      ],
    ] as const) {
      const caller = createCallerFactory(t)({
        meta: { ip: "10.9.8.7", userAgent: "vitest" },
        locale,
        user: null,
        sessionId: null,
        session: { proven: true },
        cookieHeader: null,
        setCookie: () => {},
      });
      const error = await caller.book().then(
        () => null,
        (e: unknown) => e as TRPCError,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect(describeError(error!, locale)).toMatchObject({ status: 409, message });
    }
  });
});
