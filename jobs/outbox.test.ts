// Jobs are durable and idempotent: the outbox row commits with the change or not at all; the relay
// never queues a row twice; a job run twice sends once; Redis being away delays, never loses.
import type { Job } from "bullmq";
import { Redis } from "ioredis";
import { operatorDb } from "../server/db/client.ts";
import { bullQueue, openQueues } from "../server/queues.ts";
import { relayOnce } from "./relay.ts";
import { processMail } from "./mail.ts";
import { processAuth } from "./auth.ts";
import { anonymousCaller, currentOfferId, signupInput } from "../tests/factories.ts";
import { fetchSunkMail } from "../dev/mail/client.ts";
import { testState } from "../tests/state.ts";
import { bullWorker } from "./bull-worker.ts";
import type { QueueName } from "../domain/queues.ts";

let queues: ReturnType<typeof openQueues>;
beforeAll(() => {
  queues = openQueues();
});
afterAll(async () => {
  await Promise.all(Object.values(queues).map((q) => q.obliterate({ force: true }).then(() => q.close())));
});

async function pending() {
  return operatorDb().outboxEvent.count({ where: { dispatchedAt: null } });
}

describe("the transactional outbox", () => {
  it("commits the job with the sign-up request it answers, both or neither, and a refused sign-up leaves no job behind", async () => {
    const offerVersionId = await currentOfferId();
    const { caller } = await anonymousCaller();
    const before = { jobs: await operatorDb().outboxEvent.count(), requests: await operatorDb().signupRequest.count() };
    const input = signupInput({ offerVersionId });
    await caller.signup.signUp(input);
    expect(await operatorDb().outboxEvent.count()).toBe(before.jobs + 1);
    expect(await operatorDb().signupRequest.count()).toBe(before.requests + 1);
    await expect(
      caller.signup.signUp(signupInput({ offerVersionId: "00000000-0000-4000-8000-000000000000" })),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await operatorDb().outboxEvent.count()).toBe(before.jobs + 1);
    expect(await operatorDb().signupRequest.count()).toBe(before.requests + 1);
  });

  it("relays each row once under its own job id, however often the relay runs", async () => {
    await relayOnce(queues);
    await relayOnce(queues);
    expect(await pending()).toBe(0);
    const rows = await operatorDb().outboxEvent.findMany();
    for (const queue of new Set(rows.map((r) => r.queue as QueueName))) {
      const jobs = await queues[queue].getJobs(["waiting", "delayed", "active", "completed", "failed"]);
      expect(jobs.map((j) => j.id).sort()).toEqual(
        rows
          .filter((r) => r.queue === queue)
          .map((r) => r.jobId)
          .sort(),
      );
    }
  });

  it("keeps rows waiting while Redis can't be reached, and moves them when it is back", async () => {
    const offerVersionId = await currentOfferId();
    await (await anonymousCaller()).caller.signup.signUp(signupInput({ offerVersionId }));
    expect(await pending()).toBe(1);
    const dead = new Redis("redis://127.0.0.1:1", {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    dead.on("error", () => {});
    const unreachable = { auth: bullQueue("auth", dead) };
    unreachable.auth.on("error", () => {});
    await expect(relayOnce(unreachable)).rejects.toThrow();
    expect(await pending()).toBe(1);
    await unreachable.auth.close().catch(() => {});
    dead.disconnect();
    await relayOnce(queues);
    expect(await pending()).toBe(0);
  });

  it("a relay that died after queueing but before marking the row re-queues it without a second job", async () => {
    const offerVersionId = await currentOfferId();
    await (await anonymousCaller()).caller.signup.signUp(signupInput({ offerVersionId }));
    const row = await operatorDb().outboxEvent.findFirstOrThrow({ where: { dispatchedAt: null } });
    // what the dead relay managed to do: the job is in Redis, the row is still pending
    const queue = queues[row.queue as QueueName];
    await queue.add(row.jobName, row.payload, { jobId: row.jobId });
    await relayOnce(queues);
    const same = (await queue.getJobs(["waiting", "delayed", "active", "completed", "failed"])).filter(
      (j) => j.id === row.jobId,
    );
    expect(same).toHaveLength(1);
  });
});

describe("the mail job", () => {
  it("sends once even when it runs twice", async () => {
    const payload = {
      to: "twice@test.kz",
      locale: "ru" as const,
      template: "reset" as const,
      params: { name: "Айдос", link: "http://localhost/reset/abc" },
    };
    const job = await queues.mail.add("send", payload, { jobId: "mail.test.twice" });
    expect(await processMail(job as Job)).toBe("sent");
    expect(await processMail(job as Job)).toBe("already-sent");
    const mails = await fetchSunkMail(testState.sink!.httpUrl, "twice@test.kz");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Восстановление пароля Avtomektep");
    expect(mails[0]!.text).toContain("Айдос");
    expect(mails[0]!.text).toContain("Сәлеметсіз бе"); // the Kazakh text follows the Russian one
    expect(await operatorDb().emailDelivery.count({ where: { jobId: "mail.test.twice" } })).toBe(1);
  });

  it("workers pick relayed jobs up from Redis and deliver what they lead to over SMTP", async () => {
    // The sign-ups above queued "auth" jobs; each adds its e-mail to the outbox, which the relay moves on too.
    const workers = [bullWorker("auth", processAuth), bullWorker("mail", processMail)];
    try {
      const expected = (await operatorDb().signupRequest.findMany({ select: { email: true } })).map((r) => r.email);
      expect(expected.length).toBeGreaterThanOrEqual(3);
      const until = Date.now() + 15_000;
      while (
        (await operatorDb().emailDelivery.count({ where: { toAddress: { in: expected } } })) < expected.length &&
        Date.now() < until
      ) {
        await relayOnce(queues);
        await new Promise((r) => setTimeout(r, 100));
      }
      const delivered = await operatorDb().emailDelivery.findMany({ where: { toAddress: { in: expected } } });
      expect(delivered.map((d) => d.toAddress).sort()).toEqual([...expected].sort());
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  });
});
