// `npm run bench` (part 2): the daily billing run over 10,000 schools on real PostgreSQL and Redis —
// in-process and through BullMQ (the production path: the day's job fans out one job per school).
// Reports, doesn't assert (aim: every day's run under a minute; the BullMQ day under 30 s, issue 16).
// BENCH_SCHOOLS changes the count; BENCH_BILLING_ACTS=0 skips the month's acts (7 of the 10 minutes).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { benchDatabase } from "./database.ts";
import { recordFigures, type BenchFigure } from "./report.ts";
import { makeBin } from "../../domain/kz/iin.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";

const N = Number(process.env.BENCH_SCHOOLS ?? 10_000);
const { url, services } = await benchDatabase("am_bench_billing", { DB_POOL_SIZE: "10" });

const { operatorDb, disconnectDb } = await import("../../server/db/client.ts");
const { seedOffer } = await import("../../server/db/seed.ts");
const { runBillingDay } = await import("../../server/billing/cycle.ts");
const { openQueues } = await import("../../server/queues.ts");
const { bullWorker } = await import("../../jobs/bull-worker.ts");
const { billingProcessor } = await import("../../jobs/billing.ts");
await seedOffer(operatorDb());

// 10,000 schools whose access (trial or paid) ends in 6 days: all of them are invoiced on the same day —
// the heaviest day the run can have.
const today = almatyDate(new Date());
const paidThrough = addDays(today, 6);
const owner = new pg.Client({ connectionString: url });
await owner.connect();
/** Distinct valid BINs: makeBin returns the first valid one from a serial, so continue after it. */
let binSerial = 0;
const nextBin = () => {
  const bin = makeBin("1001", binSerial);
  binSerial = Number(bin.slice(6, 11)) + 1;
  return bin;
};
const t0 = Date.now();
for (let start = 0; start < N; start += 1000) {
  const schools: unknown[][] = [];
  for (let k = start; k < Math.min(N, start + 1000); k++) schools.push([randomUUID(), randomUUID(), k]);
  const v = (rows: unknown[][], cols: number) =>
    rows.map((_, i) => `(${Array.from({ length: cols }, (_, c) => `$${i * cols + c + 1}`).join(", ")})`).join(", ");
  await owner.query(
    `INSERT INTO school (id, slug, name, kind, bin_iin, director_name, phone, email, status, trial_ends_at) VALUES ${schools.map((_, i) => `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, 'legal_entity', $${i * 4 + 4}, 'Директор', '+77010000000', 'd@bench.kz', 'trial', '${paidThrough}T12:00:00+05:00')`).join(", ")}`,
    schools.flatMap(([id, , k]) => [id, `bench-${k}`, `Автомектеп ${k}`, nextBin()]),
  );
  await owner.query(
    `INSERT INTO app_user (id, email, full_name) VALUES ${v(
      schools.map(([, u, k]) => [u, `d${k}@bench.kz`]),
      2,
    ).replaceAll(")", ", 'Директор')")}`,
    schools.flatMap(([, u, k]) => [u, `d${k}@bench.kz`]),
  );
  await owner.query(
    `INSERT INTO membership (id, school_id, user_id, role) VALUES ${v(
      schools.map(() => [0, 0, 0]),
      3,
    ).replaceAll(")", ", 'director')")}`,
    schools.flatMap(([id, u]) => [randomUUID(), id, u]),
  );
  await owner.query(
    `INSERT INTO subscription (school_id, plan_id, paid_through) SELECT unnest($1::uuid[]), '7a1f0000-0000-4000-8000-000000000001', $2::date`,
    [schools.map(([id]) => id), paidThrough],
  );
}
await owner.query("ANALYZE");
console.log(`loaded ${N} schools in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const figures: BenchFigure[] = [];
/** A day's run; `target` is the aim it is held to (for the full 10,000 schools only). */
async function timed(
  name: string,
  short: string,
  target: number | null,
  fn: () => Promise<{ schools: number; invoiced: number; reminders: number } | number>,
) {
  const s = performance.now();
  const r = await fn();
  const secs = (performance.now() - s) / 1000;
  const detail =
    typeof r === "number" ? `${r} schools` : `${r.schools} schools, ${r.invoiced} invoices, ${r.reminders} reminders`;
  console.log(`${name.padEnd(58)} ${secs.toFixed(1).padStart(6)} s   (${detail})`);
  figures.push({
    bench: "billing",
    what: `${N} schools, ${short}`,
    value: secs,
    unit: "s",
    ...(target !== null && N === 10_000 ? { target: `< ${target} s`, met: secs < target } : {}),
  });
}
const count = async (sql: string) => Number((await owner.query(sql)).rows[0].n);

await timed("day 1, in-process: every school invoiced", "day 1 in-process: all invoiced", 60, () =>
  runBillingDay(today, { concurrency: 8 }),
);
await timed("day 1 again (a retry): nothing left to do", "day 1 again (retry): nothing to do", null, () =>
  runBillingDay(today, { concurrency: 8 }),
);
await timed("day 5, in-process: the -3 days reminder to every school", "day 5 in-process: all reminded", 60, () =>
  runBillingDay(addDays(today, 4), { concurrency: 8 }),
);

// The production path for the next heavy day: the scheduler's job plans one job per batch of schools; a worker
// with 8 at a time settles them.
const queues = openQueues();
await queues.billing.obliterate({ force: true });
const worker = bullWorker("billing", billingProcessor(queues.billing), { concurrency: 8 });
await timed(
  "day 9 through BullMQ: every school past due (+ notices)",
  "day 9 through BullMQ: all past due",
  30,
  async () => {
    const day = addDays(today, 8);
    await queues.billing.add("day", { day }, { jobId: `day-${day}` });
    // Done when every school has moved and the queue is empty (completed jobs are capped at 10,000).
    for (;;) {
      const c = await queues.billing.getJobCounts("waiting", "active", "delayed");
      if (
        (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0 &&
        (await count("SELECT count(*) AS n FROM school WHERE status = 'past_due'")) === N
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return count("SELECT count(*) AS n FROM school WHERE status = 'past_due'");
  },
);
// The month's acts of completed work (ADR 041): every school's period paid, then one act per school for the
// month the period starts in, drawn up in-process 8 at a time as the act jobs would. Act numbers are gapless per
// year: each act holds the year's counter row from its number to its commit, and renders its PDF after it.
if (process.env.BENCH_BILLING_ACTS !== "0") {
  const { drawUpMonthAct, schoolsToAct, monthOf } = await import("../../server/billing/acts.ts");
  await operatorDb().invoice.updateMany({ where: { status: "open" }, data: { status: "paid", paidAt: new Date() } });
  const month = monthOf(addDays(paidThrough, 1)).first;
  await timed(
    "a month's acts, in-process: one per school (PDF each)",
    "a month's acts in-process: all drawn up",
    null,
    async () => {
      const ids = await schoolsToAct(operatorDb(), month);
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < ids.length) {
            const id = ids[next++]!;
            await drawUpMonthAct(id, month);
          }
        }),
      );
      return ids.length;
    },
  );
  const acts = await count("SELECT count(*) AS n FROM service_act");
  figures.push({
    bench: "billing",
    what: "acts drawn up (one per school, none twice)",
    value: acts,
    unit: "rows",
    target: String(N),
    met: acts === N,
  });
}

const invoices = await count("SELECT count(*) AS n FROM invoice");
console.log(
  `invoices ${invoices}, e-mails in the outbox ${await count("SELECT count(*) AS n FROM outbox_event")}, schools past due ${await count("SELECT count(*) AS n FROM school WHERE status = 'past_due'")}`,
);
figures.push({
  bench: "billing",
  what: "invoices written (one per school, none twice)",
  value: invoices,
  unit: "rows",
  target: String(N),
  met: invoices === N,
});
await recordFigures(figures);
await worker.close();
await queues.billing.obliterate({ force: true });
await Promise.all(Object.values(queues).map((q) => q.close()));
await owner.end();
await disconnectDb();
await services.stop();
process.exit(0);
