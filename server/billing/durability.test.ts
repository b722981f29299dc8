// Billing jobs never lose or duplicate money events: a day run twice, the fan-out planned twice, a worker
// process killed in the middle of the day — afterwards exactly one invoice per school, one e-mail per
// invoice, no number used twice. (Redis restarts: redis-restart.test.ts.)
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { operatorDb } from "../db/client.ts";
import { addDays } from "../../domain/kz/time.ts";
import { openQueues } from "../queues.ts";
import { randomUUID } from "node:crypto";
import type { Job } from "bullmq";
import { billingProcessor, planBillingDay, SCHOOLS_PER_JOB, schoolsJobId } from "../../jobs/billing.ts";
import { bulkSchools, today } from "../../tests/billing.ts";
import { runBillingDay } from "./cycle.ts";
import { until } from "../../tests/wait.ts";

const root = path.resolve(import.meta.dirname, "../..");
const db = () => operatorDb();

async function invoicesOf(ids: string[]) {
  return db().invoice.findMany({
    where: { schoolId: { in: ids } },
    select: { id: true, schoolId: true, number: true },
  });
}
async function invoiceMails(invoiceIds: string[]) {
  return db().outboxEvent.count({
    where: { queue: "mail", OR: invoiceIds.map((id) => ({ jobId: { startsWith: `invoice-${id}-` } })) },
  });
}
/** No invoice number is used twice. */
async function expectDistinctNumbers() {
  const numbers = (await db().invoice.findMany({ select: { number: true } })).map((i) => i.number);
  expect(new Set(numbers).size).toBe(numbers.length);
}

describe("the daily billing run", () => {
  it("run twice on the same day creates each invoice and e-mail once", async () => {
    const paidThrough = addDays(today(), 5);
    const ids = await bulkSchools(40, paidThrough);
    const first = await runBillingDay(today());
    const second = await runBillingDay(today());
    expect(first.invoiced).toBeGreaterThanOrEqual(40);
    expect(second.invoiced).toBe(0);
    const invoices = await invoicesOf(ids);
    expect(invoices).toHaveLength(40);
    expect(new Set(invoices.map((i) => i.schoolId)).size).toBe(40);
    expect(await invoiceMails(invoices.map((i) => i.id))).toBe(40);
    await expectDistinctNumbers();
  });

  it("planned twice, puts each school into one job of the day, under the same ids", async () => {
    const queues = openQueues();
    try {
      const ids = await bulkSchools(60, addDays(today(), 3));
      const day = addDays(today(), 1);
      const jobsOfDay = async () =>
        (await queues.billing.getJobs(["waiting", "delayed", "prioritized"])).filter(
          (j) => j.name === "schools" && (j.data as { day: string }).day === day,
        );
      await planBillingDay(queues.billing, day);
      const first = await jobsOfDay();
      await planBillingDay(queues.billing, day);
      const second = await jobsOfDay();
      expect(second.map((j) => j.id).sort()).toEqual(first.map((j) => j.id).sort());
      const planned = second.flatMap((j) => (j.data as { schoolIds: string[] }).schoolIds);
      expect(planned.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
      expect(new Set(planned).size).toBe(planned.length);
      for (const j of second) {
        const batch = (j.data as { schoolIds: string[] }).schoolIds;
        expect(batch.length).toBeLessThanOrEqual(SCHOOLS_PER_JOB);
        expect(j.id).toBe(schoolsJobId(day, batch));
      }
    } finally {
      await queues.billing.obliterate({ force: true });
      await Promise.all(Object.values(queues).map((q) => q.close()));
    }
  });

  it("a school of a batch that fails does not hold back the others; the job fails, and its retry settles only what is missing", async () => {
    const queues = openQueues();
    try {
      const day = addDays(today(), 1);
      const ids = await bulkSchools(3, addDays(today(), 3));
      // the first school's plan has no price at all: its invoice cannot be issued
      const broken = await db().tariffPlan.create({
        data: {
          id: randomUUID(),
          code: `broken-${randomUUID().slice(0, 8)}`,
          nameKk: "Бос",
          nameRu: "Пусто",
          sort: 98,
        },
      });
      await db().subscription.update({ where: { schoolId: ids[0]! }, data: { planId: broken.id } });
      const job = { name: "schools", data: { schoolIds: ids, day } } as unknown as Job;
      const run = billingProcessor(queues.billing);
      await expect(run(job)).rejects.toThrow("1 of 3 schools failed");
      expect((await invoicesOf(ids)).map((i) => i.schoolId).sort()).toEqual([ids[1]!, ids[2]!].sort());
      await expect(run(job)).rejects.toThrow("1 of 3 schools failed");
      const invoices = await invoicesOf(ids);
      expect(invoices).toHaveLength(2);
      expect(await invoiceMails(invoices.map((i) => i.id))).toBe(2);
    } finally {
      // The broken school gets a priced plan back: the later tests' billing days run over every school.
      const start = await db().tariffPlan.findUniqueOrThrow({ where: { code: "start" } });
      await db().subscription.updateMany({
        where: { plan: { code: { startsWith: "broken-" } } },
        data: { planId: start.id },
      });
      await Promise.all(Object.values(queues).map((q) => q.close()));
    }
  });

  it("an escalation day's batch, run twice: each school past due once, its director and the operator told once", async () => {
    const queues = openQueues();
    try {
      const ids = await bulkSchools(30, addDays(today(), 3));
      await runBillingDay(today());
      const invoices = await invoicesOf(ids);
      const day = addDays(today(), 8); // issued today, the invoices fell due yesterday (a week after)
      const job = { name: "schools", data: { schoolIds: ids, day } } as unknown as Job;
      const run = billingProcessor(queues.billing);
      await run(job);
      const mailsOfInvoices = () =>
        db().outboxEvent.findMany({
          where: { OR: invoices.map((i) => ({ jobId: { contains: i.id } })) },
          select: { jobId: true },
        });
      const first = await mailsOfInvoices();
      await run(job);

      const schools = await db().school.findMany({ where: { id: { in: ids } }, select: { status: true } });
      expect(schools.map((s) => s.status)).toEqual(ids.map(() => "past_due"));
      const steps = await db().accessTransition.findMany({ where: { schoolId: { in: ids } } });
      expect(steps).toHaveLength(30);
      expect(steps.every((t) => t.cause === "overdue" && t.fromStatus === "trial" && t.toStatus === "past_due")).toBe(
        true,
      );
      for (const inv of invoices) {
        const told = first.filter((m) => m.jobId.startsWith(`access-${inv.id}-past_due`));
        expect(told).toHaveLength(2); // the director and the operator
      }
      expect((await mailsOfInvoices()).map((m) => m.jobId).sort()).toEqual(first.map((m) => m.jobId).sort());
    } finally {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    }
  });

  it("a worker process killed in the middle of the day: the next worker finishes it, nothing twice", {
    timeout: 120_000,
  }, async () => {
    const n = 600;
    const ids = await bulkSchools(n, addDays(today(), 4));
    const env = { ...process.env, JOB_LOCK_MS: "1000", LOG_LEVEL: "warn", AM_SERVICE: "worker" };
    const startWorker = () =>
      spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], { cwd: root, env, stdio: "ignore" });
    const queues = openQueues();
    let worker: ChildProcess | undefined;
    try {
      worker = startWorker();
      await queues.billing.add("day", { day: today() }, { jobId: `day-${today()}-crash-test` });
      await until(async () => (await invoicesOf(ids)).length >= 30);
      worker.kill("SIGKILL");
      await new Promise((r) => worker!.once("exit", r));
      const atKill = (await invoicesOf(ids)).length;
      expect(atKill).toBeLessThan(n); // it really died mid-day

      worker = startWorker();
      await until(
        async () =>
          (await invoicesOf(ids)).length === n && (await queues.billing.getJobCounts("active", "waiting")).active === 0,
      );
      const invoices = await invoicesOf(ids);
      expect(new Set(invoices.map((i) => i.schoolId)).size).toBe(n);
      expect(await invoiceMails(invoices.map((i) => i.id))).toBe(n);
      await expectDistinctNumbers();
    } finally {
      worker?.kill("SIGTERM");
      if (worker && worker.exitCode === null) await new Promise((r) => worker!.once("exit", r));
      await queues.billing.obliterate({ force: true }).catch(() => {});
      await Promise.all(Object.values(queues).map((q) => q.close()));
    }
  });
});
