// "Forgot password" as an attacker uses it: to learn which e-mails are registered (the answer, or how long
// it takes), to flood a mailbox, or to keep an old reset link alive. The request does the same work for any
// address — one job for the worker, which alone looks the address up — answers the same, is limited per
// e-mail silently and per address with a 429; a successful reset kills every older link.
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { startWorker } from "../../jobs/worker.ts";
import { anonymousCaller, contextFor, createSchool } from "../../tests/factories.ts";
import { fetchSunkMail } from "../../dev/mail/client.ts";
import { linkIn, waitForMail } from "../../tests/mail.ts";
import { testState } from "../../tests/state.ts";
import { createCaller } from "../router.ts";
import { issuePasswordReset } from "./reset-mail.ts";

const db = () => operatorDb();
let ipSerial = 0;
const freshIp = () => `10.55.${Math.floor(++ipSerial / 250)}.${(ipSerial % 250) + 1}`;

/** What the request path wrote, apart from the worker: outbox rows and reset links. */
async function written() {
  const outbox = await db().outboxEvent.findMany({
    orderBy: { id: "asc" },
    select: { queue: true, jobName: true, jobId: true, payload: true },
  });
  return { outbox, tokens: await db().oneTimeToken.count({ where: { purpose: "password_reset" } }) };
}

async function until(check: () => Promise<boolean>, what: string, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("asking for a reset link", () => {
  it("does the same work for a registered and an unknown address: one queued job each, nothing looked up yet", async () => {
    const s = await createSchool();
    const ghost = `ghost.${randomUUID().slice(0, 8)}@test.kz`;
    const before = await written();
    const { caller } = await anonymousCaller({ ip: freshIp(), locale: "ru" });
    expect(await caller.auth.requestPasswordReset({ email: s.email })).toEqual({ ok: true });
    const known = await written();
    expect(await caller.auth.requestPasswordReset({ email: ghost })).toEqual({ ok: true });
    const unknown = await written();

    // Exactly one outbox row per request, of the same kind, and no reset link made in the request itself.
    const added = (a: typeof before, b: typeof before) =>
      b.outbox
        .slice(a.outbox.length)
        .map((r) => ({ queue: r.queue, jobName: r.jobName, keys: Object.keys(r.payload as object).sort() }));
    expect(added(before, known)).toEqual([
      { queue: "auth", jobName: "passwordReset", keys: ["email", "ip", "userAgent"] },
    ]);
    expect(added(known, unknown)).toEqual(added(before, known));
    expect(known.tokens).toBe(before.tokens);
    expect(unknown.tokens).toBe(before.tokens);
  });

  it("the worker mails a link to a registered address and nothing to an unknown one", async () => {
    const worker = await startWorker();
    try {
      const s = await createSchool();
      const ghost = `ghost.${randomUUID().slice(0, 8)}@test.kz`;
      const { caller } = await anonymousCaller({ ip: freshIp(), locale: "kk" });
      await caller.auth.requestPasswordReset({ email: ghost });
      await caller.auth.requestPasswordReset({ email: s.email });
      const mail = await waitForMail(s.email, /Восстановление пароля|Құпиясөзді/);
      expect(linkIn(mail, "/reset")).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const ghostJob = (
        await db().outboxEvent.findFirstOrThrow({
          where: { queue: "auth", payload: { path: ["email"], equals: ghost } },
        })
      ).jobId;
      await until(async () => !!(await worker.queues.auth.getJob(ghostJob))?.finishedOn, "the unknown address's job");
      expect(await fetchSunkMail(testState.sink!.httpUrl, ghost)).toEqual([]);
      expect(await db().auditLog.count({ where: { action: "password.reset.requested", actorUserId: s.userId } })).toBe(
        1,
      );
    } finally {
      await worker.stop();
    }
  });

  it("sends at most 3 links an hour to one address, whoever asks; the 4th request gets the same answer and sends nothing", async () => {
    const s = await createSchool();
    const jobsFor = async () =>
      (await db().outboxEvent.findMany({ where: { queue: "auth", jobName: "passwordReset" } })).filter(
        (r) => (r.payload as { email: string }).email === s.email,
      ).length;
    for (let i = 0; i < 4; i++) {
      const { caller } = await anonymousCaller({ ip: freshIp() });
      expect(await caller.auth.requestPasswordReset({ email: s.email.toUpperCase() })).toEqual({ ok: true });
    }
    expect(await jobsFor()).toBe(3);
  });

  it("one address may ask 10 times an hour; then 429 with the wait in Russian or Kazakh", async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      const { caller } = await anonymousCaller({ ip });
      await caller.auth.requestPasswordReset({ email: `someone${i}.${ip}@test.kz` });
    }
    const { caller } = await anonymousCaller({ ip });
    const err = await caller.auth.requestPasswordReset({ email: `one-more.${ip}@test.kz` }).catch((e) => e);
    expect(err.code).toBe("TOO_MANY_REQUESTS");
    expect(describeError(err, "ru").message).toMatch(
      /^Слишком много запросов с вашего адреса\. Попробуйте через \d+ мин\.$/,
    );
    expect(describeError(err, "kk").message).toMatch(
      /^Сіздің мекенжайыңыздан сұраулар тым көп\. \d+ минуттан кейін қайталаңыз$/,
    );
    // another address is not affected
    const other = await anonymousCaller({ ip: freshIp() });
    await expect(other.caller.auth.requestPasswordReset({ email: `one-more.${ip}@test.kz` })).resolves.toEqual({
      ok: true,
    });
  });
});

describe("using a reset link", () => {
  async function links(userId: string, email: string, n: number): Promise<string[]> {
    const tokens: string[] = [];
    for (let i = 0; i < n; i++) {
      await db().$transaction(async (tx) => {
        await issuePasswordReset(tx, { id: userId, email, fullName: "Директор", locale: "ru" });
      });
      const row = await db().outboxEvent.findFirstOrThrow({
        where: { queue: "mail", jobId: { startsWith: "mail.reset." } },
        orderBy: { id: "desc" },
      });
      tokens.push((row.payload as { params: { link: string } }).params.link.split("/reset/")[1]!);
    }
    return tokens;
  }

  it("kills every older link of that user once one of them sets the password", async () => {
    const s = await createSchool();
    const [first, second, third] = await links(s.userId, s.email, 3);
    const { caller } = await anonymousCaller({ ip: freshIp(), locale: "ru" });
    await caller.auth.resetPassword({ token: second!, password: "a-brand-new-password" });
    for (const old of [first!, third!]) {
      const err = await caller.auth.resetPassword({ token: old, password: "the-attackers-password" }).then(
        () => "the old link still worked",
        (e: TRPCError) => e,
      );
      expect(err).toBeInstanceOf(TRPCError);
      expect(describeError(err as TRPCError, "ru").message).toBe(
        "Ссылка недействительна или устарела. Запросите новую",
      );
    }
    const { ctx } = await contextFor(null, { ip: freshIp() });
    await expect(createCaller(ctx).auth.login({ email: s.email, password: "a-brand-new-password" })).resolves.toEqual({
      ok: true,
    });
  });

  it("a password change kills the links that were out too", async () => {
    const s = await createSchool();
    const [pending] = await links(s.userId, s.email, 1);
    await s.director.auth.changePassword({ current: s.password, password: "changed-on-purpose-1" });
    const { caller } = await anonymousCaller({ ip: freshIp() });
    await expect(
      caller.auth.resetPassword({ token: pending!, password: "the-attackers-password" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
