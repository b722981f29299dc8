// Fault: the worker process (jobs/worker.ts) SIGKILLed in the middle of work — an offer-change notice
// fanning out to thousands of users, and the daily billing run over hundreds of schools — then a new worker.
// Proves: every recipient gets exactly one banner, one document per school and one e-mail (counted in the
// outbox, the delivery records and the SMTP sink); every school exactly one invoice and one e-mail.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../../server/db/client.ts";
import { addDays } from "../../domain/kz/time.ts";
import { seedOffer } from "../../server/db/seed.ts";
import { bullQueue, openQueues } from "../../server/queues.ts";
import { bulkSchools, today } from "../billing.ts";
import { addOperator } from "../factories.ts";
import { spawnWorker, stopProcess, sunkPerRecipient, until } from "./helpers.ts";

const db = () => operatorDb();
// A killed job comes back once its lock expires; a short lock keeps the test short.
const WORKER_ENV = { JOB_LOCK_MS: "1000" };

describe("a worker killed mid-notice fan-out", () => {
  it("the next worker finishes it: one banner, one document, one e-mail per recipient, each e-mail received once", {
    timeout: 120_000,
  }, async () => {
    const schools = 800;
    const ids = await bulkSchools(schools, addDays(today(), 60));
    // A second director in every school (offer changes go to directors, ADR 030), so a school has two recipients.
    const deputies = ids.map((schoolId, i) => ({
      schoolId,
      userId: randomUUID(),
      email: `dir2-${i}-${schoolId.slice(0, 6)}@fanout.kz`,
    }));
    await db().user.createMany({
      data: deputies.map((r) => ({ id: r.userId, email: r.email, fullName: "Директордың орынбасары" })),
    });
    await db().membership.createMany({
      data: deputies.map((r) => ({
        id: randomUUID(),
        schoolId: r.schoolId,
        userId: r.userId,
        role: "director" as const,
      })),
    });
    const recipients = await db().user.findMany({
      where: { memberships: { some: { schoolId: { in: ids } } } },
      select: { id: true, email: true },
    });
    expect(recipients).toHaveLength(2 * schools);

    await seedOffer(db());
    const op = await addOperator();
    const current = await db().offerVersion.findFirstOrThrow({ orderBy: { version: "desc" } });
    // The mail queue waits until the fan-out worker is dead: the kill hits the fan-out, not an SMTP
    // conversation (a send cut after the server accepted it is ADR 005's one documented resend).
    const mail = bullQueue("mail");
    await mail.pause();
    let worker = spawnWorker(WORKER_ENV);
    try {
      const { noticeId } = await op.caller.admin.notices.publishOffer({
        textKk: `${current.textKk}\n13.1. Жаңа тармақ.`,
        textRu: `${current.textRu}\n13.1. Новый пункт.`,
        summaryKk: "13.1-тармақ қосылды",
        summaryRu: "Добавлен пункт 13.1",
        effectiveFrom: addDays(today(), 8),
      });
      const reached = () => db().noticeRecipient.count({ where: { noticeId } });
      await until(async () => (await reached()) > 0, 60_000, "the fan-out to start");
      worker.kill("SIGKILL");
      await new Promise((r) => worker.once("exit", r));
      const atKill = await reached();
      expect(atKill).toBeLessThan(2 * schools); // it really died mid-fan-out
      expect((await db().notice.findUniqueOrThrow({ where: { id: noticeId } })).fannedOutAt).toBeNull();

      worker = spawnWorker(WORKER_ENV);
      await mail.resume();
      const mailJobs = () =>
        db().outboxEvent.findMany({
          where: { queue: "mail", jobId: { startsWith: `notice-${noticeId}-` } },
          select: { jobId: true },
        });
      await until(
        async () => (await db().notice.findUniqueOrThrow({ where: { id: noticeId } })).fannedOutAt !== null,
        90_000,
        "the fan-out to finish",
      );
      const jobs = await mailJobs();
      await until(
        async () =>
          (await db().emailDelivery.count({ where: { jobId: { in: jobs.map((j) => j.jobId) } } })) === jobs.length,
        90_000,
        "every e-mail to be delivered",
      );

      expect(await reached()).toBe(2 * schools);
      expect(await db().schoolDocument.count({ where: { schoolId: { in: ids }, kind: "offer_notice" } })).toBe(schools);
      expect(jobs).toHaveLength(2 * schools);
      expect(await db().emailDelivery.count({ where: { jobId: { in: jobs.map((j) => j.jobId) } } })).toBe(2 * schools);
      const sunk = sunkPerRecipient();
      expect(recipients.filter((r) => sunk.get(r.email.toLowerCase()) === 1)).toHaveLength(2 * schools);
      expect(recipients.reduce((n, r) => n + (sunk.get(r.email.toLowerCase()) ?? 0), 0)).toBe(2 * schools);
    } finally {
      await stopProcess(worker, "SIGTERM");
      await mail.close();
    }
  });
});

describe("a worker killed mid billing run", () => {
  it("the next worker finishes the day: one invoice and one e-mail per school, no number used twice", {
    timeout: 120_000,
  }, async () => {
    const n = 300;
    const ids = await bulkSchools(n, addDays(today(), 4));
    const invoices = () =>
      db().invoice.findMany({ where: { schoolId: { in: ids } }, select: { id: true, schoolId: true, number: true } });
    const queues = openQueues();
    let worker = spawnWorker(WORKER_ENV);
    try {
      await queues.billing.add("day", { day: today() }, { jobId: `day-${today()}-faults` });
      await until(async () => (await invoices()).length >= 20, 60_000, "the billing run to start");
      worker.kill("SIGKILL");
      await new Promise((r) => worker.once("exit", r));
      expect((await invoices()).length).toBeLessThan(n);

      worker = spawnWorker(WORKER_ENV);
      await until(
        async () => (await invoices()).length === n && (await queues.billing.getJobCounts("active")).active === 0,
        90_000,
        "every school to be invoiced",
      );
      const all = await invoices();
      expect(new Set(all.map((i) => i.schoolId)).size).toBe(n);
      expect(new Set(all.map((i) => i.number)).size).toBe(n);
      const mails = await db().outboxEvent.count({
        where: { queue: "mail", OR: all.map((i) => ({ jobId: { startsWith: `invoice-${i.id}-` } })) },
      });
      expect(mails).toBe(n);
    } finally {
      await stopProcess(worker, "SIGTERM");
      await Promise.all(Object.values(queues).map((q) => q.close()));
    }
  });
});
