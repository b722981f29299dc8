// `npm run bench` (part 3): an offer-change notice fanned out to 100,000 recipients (1,000 schools ×
// 100 users), through the production path end to end: the publication's outbox row → the relay → the
// `notices` queue → the fan-out (documents, banners, one outbox e-mail per recipient) → the relay →
// the `mail` queue → the mail worker → SMTP → the local mail sink. The worker is the real one, spawned
// as its own process like `npm run worker`; the sink only counts (it doesn't keep 100,000 messages).
// Measured from publication until the sink has every e-mail (aim: under 2 minutes, issue 16). An offer
// change goes to the directors alone (ADR 030), so every bench user is a director of their school.
// BENCH_NOTICE_SCHOOLS / BENCH_NOTICE_USERS scale it down; BENCH_NOTICE_TIMEOUT_S caps the wait.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { benchDatabase } from "./database.ts";
import { recordFigures, type BenchFigure } from "./report.ts";
import { makeBin } from "../../domain/kz/iin.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { SERVER_BUILD } from "../../server/root.ts";

const SCHOOLS = Number(process.env.BENCH_NOTICE_SCHOOLS ?? 1_000);
const USERS = Number(process.env.BENCH_NOTICE_USERS ?? 100);
const TIMEOUT_S = Number(process.env.BENCH_NOTICE_TIMEOUT_S ?? 900);
const TARGET_S = 120;
const root = path.resolve(import.meta.dirname, "../..");

// The logger reads LOG_LEVEL when first imported (the sink imports it).
process.env.LOG_LEVEL = "warn";
const { startMailSink } = await import("../../dev/mail/sink.ts");
const sink = await startMailSink({ keep: false });
const { url, services } = await benchDatabase("am_bench_notices", {
  DB_POOL_SIZE: "10",
  SMTP_URL: sink.smtpUrl,
  MAIL_SINK_URL: sink.httpUrl,
});
const { operatorDb, disconnectDb } = await import("../../server/db/client.ts");
const { seedOffer } = await import("../../server/db/seed.ts");
const { publishOffer } = await import("../../server/notices/offers.ts");
const { fanOutNotice } = await import("../../server/notices/fanout.ts");
const { openQueues } = await import("../../server/queues.ts");
const { unlinkMatching, disconnectRedis, redis } = await import("../../server/redis.ts");
await seedOffer(operatorDb());

const owner = new pg.Client({ connectionString: url });
await owner.connect();
let binSerial = 0;
const nextBin = () => {
  const bin = makeBin("1002", binSerial);
  binSerial = Number(bin.slice(6, 11)) + 1;
  return bin;
};
const t0 = Date.now();
for (let k = 0; k < SCHOOLS; k++) {
  const id = randomUUID();
  await owner.query(
    `INSERT INTO school (id, slug, name, kind, bin_iin, director_name, phone, email, status) VALUES ($1, $2, $3, 'legal_entity', $4, 'Директор', '+77010000000', 'd@bench.kz', 'active')`,
    [id, `nbench-${k}`, `Автомектеп ${k}`, nextBin()],
  );
  await owner.query(
    `WITH u AS (INSERT INTO app_user (id, email, full_name, locale)
       SELECT gen_random_uuid(), 'u' || $2::int || '-' || g || '@bench.kz', 'Пайдаланушы ' || g, CASE WHEN g % 2 = 0 THEN 'kk' ELSE 'ru' END::locale
       FROM generate_series(1, $3::int) g RETURNING id)
     INSERT INTO membership (id, school_id, user_id, role) SELECT gen_random_uuid(), $1, id, 'director' FROM u`,
    [id, k, USERS],
  );
}
await owner.query("ANALYZE");
const expected = SCHOOLS * USERS;
console.log(`loaded ${SCHOOLS} schools × ${USERS} users in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

// The real worker process (relay + every queue), as `npm run worker` starts it.
const output: string[] = [];
// BENCH_NOTICE_PROFILE=<dir> writes the worker's CPU profile there (open it in Chrome DevTools).
const profile = process.env.BENCH_NOTICE_PROFILE
  ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_NOTICE_PROFILE]
  : [];
// The compiled worker (`npm run bench` builds it), as `npm start` and production run it.
const worker = spawn(process.execPath, [...profile, SERVER_BUILD.worker], {
  cwd: root,
  env: { ...process.env, NODE_ENV: "production", AM_ALLOW_DEV_SECRETS: "1", AM_SERVICE: "worker", LOG_LEVEL: "warn" },
  stdio: ["ignore", "pipe", "pipe"],
});
worker.stdout!.on("data", (d) => output.push(String(d)));
worker.stderr!.on("data", (d) => output.push(String(d)));
const queues = openQueues();
const ready = Date.now() + 60_000;
while ((await queues.mail.getWorkersCount()) === 0 || (await queues.notices.getWorkersCount()) === 0) {
  if (Date.now() > ready || worker.exitCode !== null) throw new Error(`the worker did not start:\n${output.join("")}`);
  await new Promise((r) => setTimeout(r, 200));
}
/** CPU seconds (user + system) of a process so far, from /proc. */
const cpuOf = (pid: number | undefined) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
};
/** CPU seconds the whole machine spent busy so far (every process, the other helpers' too). */
const machineCpu = () => {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!) / 100;
};
/** Peak resident memory of the worker so far (VmHWM), in MB. */
const workerPeakMb = () => {
  const m = readFileSync(`/proc/${worker.pid}/status`, "utf8").match(/VmHWM:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : NaN;
};

const current = await operatorDb().offerVersion.findFirstOrThrow({ orderBy: { version: "desc" } });
const actor = (await owner.query("SELECT id FROM app_user LIMIT 1")).rows[0].id;
const started = Date.now();
/** CPU seconds so far of each PostgreSQL session on this bench's database (the worker's pool, the relay, this process). */
const backendsCpu = async () => {
  const { rows } = await owner.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()",
  );
  return new Map(rows.map((r) => [r.pid, cpuOf(r.pid)]));
};
/** The Redis server's process, on the same machine (its CPU serves every client, the other sessions' too). */
const redisPid = Number(/process_id:(\d+)/.exec(await redis().info("server"))?.[1]);
const cpu0 = {
  worker: cpuOf(worker.pid),
  self: process.cpuUsage(),
  machine: machineCpu(),
  postgres: await backendsCpu(),
  redis: cpuOf(redisPid),
};
const { noticeId } = await publishOffer(
  operatorDb(),
  actor,
  { ip: null, userAgent: "bench" },
  {
    textKk: `${current.textKk}\n12.1. Жаңа тармақ.`,
    textRu: `${current.textRu}\n12.1. Новый пункт.`,
    summaryKk: "12.1-тармақ қосылды",
    summaryRu: "Добавлен пункт 12.1",
    effectiveFrom: addDays(almatyDate(new Date()), 8),
  },
);

let fannedOutS: number | null = null;
let deliveredS: number | null = null;
let lastLog = Date.now();
while ((Date.now() - started) / 1000 < TIMEOUT_S) {
  if (worker.exitCode !== null)
    throw new Error(`the worker exited (${worker.exitCode}):\n${output.join("").slice(-3000)}`);
  if (fannedOutS === null) {
    const at = (await owner.query("SELECT fanned_out_at FROM notice WHERE id = $1", [noticeId])).rows[0]
      .fanned_out_at as Date | null;
    if (at) fannedOutS = (at.getTime() - started) / 1000;
  }
  if (fannedOutS !== null && sink.stats.received >= expected) {
    deliveredS = (Date.now() - started) / 1000;
    break;
  }
  if (Date.now() - lastLog > 15_000) {
    lastLog = Date.now();
    const s = (Date.now() - started) / 1000;
    console.log(
      `  … ${s.toFixed(0)} s: ${fannedOutS === null ? "fanning out" : `fanned out at ${fannedOutS.toFixed(1)} s`}, ${sink.stats.received} e-mails at the sink (${(sink.stats.received / s).toFixed(0)}/s)`,
    );
  }
  await new Promise((r) => setTimeout(r, 50));
}
const elapsed = deliveredS ?? (Date.now() - started) / 1000;
const count = async (sql: string) => Number((await owner.query(sql, [noticeId])).rows[0].n);
const recipients = await count("SELECT count(*) AS n FROM notice_recipient WHERE notice_id = $1");
const outboxed = await count("SELECT count(*) AS n FROM outbox_event WHERE job_id LIKE 'notice-' || $1 || '-%'");
const deliveries = await count("SELECT count(*) AS n FROM email_delivery WHERE job_id LIKE 'notice-' || $1 || '-%'");
const docs = await count(
  "SELECT count(*) AS n FROM school_document WHERE kind = 'offer_notice' AND $1::uuid IS NOT NULL",
);
const peakMb = workerPeakMb();
const selfCpu = process.cpuUsage(cpu0.self);
// Sessions that ended during the run are missed: a floor, not the whole of PostgreSQL's share.
let postgresCpu = 0;
for (const [pid, cpu] of await backendsCpu()) postgresCpu += cpu - (cpu0.postgres.get(pid) ?? 0);
console.log(
  `CPU during the run: worker ${(cpuOf(worker.pid) - cpu0.worker).toFixed(1)} s, this process (sink, polling) ${((selfCpu.user + selfCpu.system) / 1e6).toFixed(1)} s, ` +
    `PostgreSQL (this database's sessions) ${postgresCpu.toFixed(1)} s, Redis (every client's) ${(cpuOf(redisPid) - cpu0.redis).toFixed(1)} s, ` +
    `the machine ${(machineCpu() - cpu0.machine).toFixed(1)} s of ${(elapsed * os.cpus().length).toFixed(0)} s`,
);
console.log(
  `notice to ${expected}: ${recipients} recipients, ${docs} documents, ${outboxed} e-mails in the outbox (fanned out at ${fannedOutS?.toFixed(1) ?? "—"} s), ` +
    `${sink.stats.received} at the sink to ${sink.stats.recipients.size} addresses, ${deliveries} delivery rows, ${deliveredS === null ? `NOT all delivered within ${TIMEOUT_S} s` : `all delivered at ${deliveredS.toFixed(1)} s`}`,
);

// Run again (a retried job): nothing new is written, and nothing more reaches the sink.
const again = performance.now();
const r2 = await fanOutNotice(noticeId);
const againS = (performance.now() - again) / 1000;
await new Promise((r) => setTimeout(r, 3_000));
console.log(
  `repeated run: ${r2.emails} new e-mails in ${againS.toFixed(1)} s; sink total after it ${sink.stats.received}`,
);

const full = expected === 100_000;
const figures: BenchFigure[] = [
  {
    bench: "notices",
    what: `fan-out to ${expected} recipients written (docs, banners, outbox)`,
    value: fannedOutS ?? NaN,
    unit: "s",
  },
  {
    bench: "notices",
    what: `all ${expected} e-mails delivered into the SMTP sink`,
    value: elapsed,
    unit: "s",
    ...(full ? { target: "< 120 s", met: deliveredS !== null && deliveredS < TARGET_S } : {}),
  },
  {
    bench: "notices",
    what: "e-mails delivered per second (publication → sink)",
    value: sink.stats.received / elapsed,
    unit: "req/s",
  },
  {
    bench: "notices",
    what: "e-mails received twice or more by the sink",
    value: sink.stats.received - sink.stats.recipients.size,
    unit: "count",
    target: "0",
    met: sink.stats.received === sink.stats.recipients.size,
  },
  {
    bench: "notices",
    what: "repeated fan-out: new e-mails written",
    value: r2.emails,
    unit: "count",
    target: "0",
    met: r2.emails === 0,
  },
  { bench: "notices", what: "worker process peak memory (RSS)", value: peakMb, unit: "MB" },
];
await recordFigures(figures);

await new Promise<void>((r) =>
  worker.exitCode !== null ? r() : (worker.once("exit", () => r()), worker.kill("SIGTERM")),
);
await Promise.all(Object.values(queues).map((q) => q.close()));
// Leave Redis as it was: drop this run's keys.
await unlinkMatching(`${process.env.REDIS_PREFIX}*`);
await disconnectRedis();
await owner.end();
await disconnectDb();
await sink.stop();
await services.stop();
process.exit(0);
