// A page's concurrent school reads share one transaction (ADR 049): entered once, committed once, and a read
// that fails costs the others nothing but a run of their own.
import { disconnectDb, operatorDb, type Tx } from "./client.ts";
import { SharedReads } from "./shared-reads.ts";
import { AppError } from "../errors.ts";
import { createCaller } from "../router.ts";
import { pageReads } from "../trpc.ts";
import { contextFor, createSchool, meta, traineeInput, uniqueIin } from "../../tests/factories.ts";
import { startSession } from "../auth/sessions.ts";

afterAll(() => disconnectDb());

/** The transaction's id, as PostgreSQL numbers it. */
const xact = async (tx: Tx) =>
  String((await tx.$queryRaw<{ id: string }[]>`SELECT pg_current_xact_id()::text AS id`)[0]!.id);

describe("reads started together", () => {
  it("run in one transaction, entered once", async () => {
    const reads = new SharedReads<string>();
    let entries = 0;
    const enter = async (tx: Tx) => {
      entries++;
      return xact(tx);
    };
    const answers = await Promise.all(
      [1, 2, 3].map(() => reads.run("school-a", enter, async (tx, entered) => ({ entered, mine: await xact(tx) }))),
    );
    expect(entries).toBe(1);
    for (const a of answers) {
      expect(a.retry).toBe(false);
      if (!a.retry) expect(a.value.mine).toBe(a.value.entered);
    }
  });

  it("a read started after the others are done opens a transaction of its own", async () => {
    const reads = new SharedReads<string>();
    const first = await reads.run("school-a", xact, async (tx) => xact(tx));
    const later = await reads.run("school-a", xact, async (tx) => xact(tx));
    expect(first.retry || later.retry).toBe(false);
    if (!first.retry && !later.retry) expect(later.value).not.toBe(first.value);
  });

  it("each school has its own", async () => {
    const reads = new SharedReads<string>();
    const [a, b] = await Promise.all(["school-a", "school-b"].map((k) => reads.run(k, xact, async (tx) => xact(tx))));
    if (!a!.retry && !b!.retry) expect(a!.value).not.toBe(b!.value);
  });

  it("a read that fails keeps its own error; what was written rolls back and the others are asked to run again", async () => {
    const s = await createSchool();
    const reads = new SharedReads<null>();
    const enter = async (tx: Tx) => {
      await tx.$executeRaw`SELECT set_config('app.school_id', ${s.schoolId}, true)`;
      return null;
    };
    const [ok, failed] = await Promise.allSettled([
      reads.run("school-a", enter, async (tx) => {
        await tx.$executeRaw`UPDATE school SET name = 'Renamed in a rolled-back transaction' WHERE id = ${s.schoolId}::uuid`;
        return "read";
      }),
      reads.run("school-a", enter, async () => {
        throw new AppError("NOT_FOUND", "notFound");
      }),
    ]);
    expect(ok).toEqual({ status: "fulfilled", value: { retry: true } });
    expect(failed.status === "rejected" && failed.reason).toBeInstanceOf(AppError);
    const school = await operatorDb().school.findUniqueOrThrow({ where: { id: s.schoolId } });
    expect(school.name).not.toBe("Renamed in a rolled-back transaction");
  });

  it("a refused entry is every read's refusal, and nothing runs", async () => {
    const reads = new SharedReads<null>();
    let ran = 0;
    const enter = async () => {
      throw new AppError("FORBIDDEN", "school.notMember");
    };
    const results = await Promise.allSettled([1, 2].map(() => reads.run("school-b", enter, async () => ++ran)));
    expect(results.map((r) => r.status === "rejected" && (r.reason as AppError).messageKey)).toEqual([
      "school.notMember",
      "school.notMember",
    ]);
    expect(ran).toBe(0);
  });
});

describe("a page's loaders (the web's load context)", () => {
  async function pageCaller(userId: string) {
    const { cookie } = await startSession(userId, meta);
    const { ctx } = await contextFor(cookie.split(";")[0]!);
    return createCaller({ ...ctx, reads: pageReads() });
  }

  it("get the shell, the register and a card together; a card not found is that read's 404 alone", async () => {
    const s = await createSchool();
    const t = await s.director.trainees.create({ school: s.slug, ...traineeInput({ iin: uniqueIin() }) });
    const page = await pageCaller(s.userId);
    const [shell, list, card, missing] = await Promise.allSettled([
      page.school.shell({ school: s.slug }),
      page.trainees.list({ school: s.slug }),
      page.trainees.get({ school: s.slug, id: t.id }),
      page.trainees.get({ school: s.slug, id: "00000000-0000-4000-8000-000000000000" }),
    ]);
    expect(shell.status === "fulfilled" && shell.value.school.slug).toBe(s.slug);
    expect(shell.status === "fulfilled" && shell.value.trainees).toBe(1);
    expect(list.status === "fulfilled" && list.value.items.map((i) => i.id)).toEqual([t.id]);
    expect(card.status === "fulfilled" && card.value.id).toBe(t.id);
    expect(missing.status === "rejected" && (missing.reason as { code: string }).code).toBe("NOT_FOUND");
  });

  it("another school's page is refused, while the member's own school answers beside it", async () => {
    const a = await createSchool();
    const b = await createSchool();
    const page = await pageCaller(a.userId);
    const [own, other] = await Promise.allSettled([
      page.school.shell({ school: a.slug }),
      page.trainees.list({ school: b.slug }),
    ]);
    expect(own.status === "fulfilled" && own.value.school.slug).toBe(a.slug);
    expect(other.status === "rejected" && (other.reason as { code: string }).code).toBe("FORBIDDEN");
  });
});
