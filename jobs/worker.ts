// The worker process: the outbox relay and the queue processors. It only wires them together.
import { openQueues } from "../server/queues.ts";
import { runRelay } from "./relay.ts";
import { processMail } from "./mail.ts";
import { processImport } from "./import.ts";
import { processWarnings, scheduleWarnings } from "./warnings.ts";
import { processSms } from "./sms.ts";
import { processReminders, scheduleReminders } from "./reminders.ts";
import { billingProcessor, scheduleBilling } from "./billing.ts";
import { processContract, scheduleContract } from "./contract.ts";
import { noticesProcessor, scheduleNotices } from "./notices.ts";
import { processArchive } from "./archive.ts";
import { processPrivacy, schedulePrivacy } from "./privacy.ts";
import { processAuth } from "./auth.ts";
import { config } from "../server/config.ts";
import { disconnectDb, operatorDb } from "../server/db/client.ts";
import { loadCalendar } from "../server/contract/calendar.ts";
import { closeMailer, MAIL_CONCURRENCY } from "../server/mail/send.ts";
import { logger } from "../server/log.ts";
import { refuseDevSecrets } from "../server/secrets.ts";
import { startOpsServer } from "../server/http/ops.ts";
import { closeMetricsQueues } from "../server/http/metrics.ts";
import { bullWorker } from "./bull-worker.ts";

export async function startWorker() {
  const queues = openQueues();
  const abort = new AbortController();
  const workers = [
    // Many at once: an e-mail mostly waits on the SMTP server, and the jobs in flight share their delivery
    // statements (jobs/mail.ts), so a notice to 100,000 people goes out in about a minute (tests/bench/notices.ts).
    bullWorker("mail", processMail, { concurrency: MAIL_CONCURRENCY }),
    bullWorker("import", processImport, { concurrency: 1 }),
    bullWorker("warnings", processWarnings, { concurrency: 1 }),
    bullWorker("sms", processSms, { concurrency: 4 }),
    bullWorker("reminders", processReminders, { concurrency: 1 }),
    // A killed worker's job is taken up again once its lock expires (JOB_LOCK_MS, 30 s by default).
    bullWorker("billing", billingProcessor(queues.billing), {
      concurrency: 8,
      lockDuration: config().JOB_LOCK_MS,
      stalledInterval: config().JOB_LOCK_MS,
    }),
    // The same for the contract jobs and a notice's fan-out: the stalled check runs as often as a lock lasts.
    bullWorker("contract", processContract, {
      concurrency: 1,
      lockDuration: config().JOB_LOCK_MS,
      stalledInterval: config().JOB_LOCK_MS,
    }),
    bullWorker("notices", noticesProcessor(queues.notices), {
      concurrency: 8,
      lockDuration: config().JOB_LOCK_MS,
      stalledInterval: config().JOB_LOCK_MS,
    }),
    // School archives (one at a time: each reads a whole school) and the daily privacy run; a killed build is retried.
    bullWorker("archive", processArchive, {
      concurrency: 1,
      lockDuration: config().JOB_LOCK_MS,
      stalledInterval: config().JOB_LOCK_MS,
      maxStalledCount: 3,
    }),
    bullWorker("privacy", processPrivacy, {
      concurrency: 1,
      lockDuration: config().JOB_LOCK_MS,
      stalledInterval: config().JOB_LOCK_MS,
    }),
    // "Forgot password" and sign-up requests: the address is looked up here, never in the request (jobs/auth.ts).
    bullWorker("auth", processAuth, { concurrency: 4 }),
  ];
  for (const w of workers) {
    w.on("failed", (job, err) => logger.warn({ queue: w.name, jobId: job?.id, err }, "job failed; BullMQ will retry"));
    w.on("error", (err) => logger.warn({ queue: w.name, err }, "worker connection problem"));
  }
  await loadCalendar(operatorDb()).catch((err: unknown) =>
    logger.warn({ err }, "work calendar not loaded; using the built-in one"),
  );
  const relay = runRelay(queues, abort.signal);
  // /metrics (job durations, queue depths, outbox lag, pools), /readyz and /healthz for the operator's monitoring.
  const port = config().METRICS_PORT;
  const ops = port ? await startOpsServer(port, ["app", "operator"]) : undefined;
  // The daily expiry warnings (08:00 Astana time). Not awaited: with Redis away at start the
  // registration waits for it like every other command, without holding the worker up.
  void scheduleWarnings(queues.warnings).catch((err) => logger.warn({ err }, "warnings scheduler not registered"));
  // The day-before lesson reminders (18:00 Astana time).
  void scheduleReminders(queues.reminders).catch((err) => logger.warn({ err }, "reminders scheduler not registered"));
  // The billing run (06:00 Astana time).
  void scheduleBilling(queues.billing).catch((err) => logger.warn({ err }, "billing scheduler not registered"));
  void scheduleContract(queues.contract).catch((err) => logger.warn({ err }, "contract scheduler not registered"));
  void scheduleNotices(queues.notices).catch((err) => logger.warn({ err }, "notices scheduler not registered"));
  void schedulePrivacy(queues.privacy).catch((err) => logger.warn({ err }, "privacy scheduler not registered"));
  logger.info(
    "worker started: outbox relay, queues mail, sms, auth, import, warnings (daily 08:00), reminders (daily 18:00), billing (daily 06:00), contract, notices, archive, privacy (daily 03:30)",
  );
  return {
    queues,
    async stop() {
      abort.abort();
      await new Promise<void>((r) => (ops ? ops.close(() => r()) : r()));
      await closeMetricsQueues();
      await relay;
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      closeMailer();
      await disconnectDb();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AM_SERVICE ??= "worker";
  refuseDevSecrets("worker");
  const w = await startWorker();
  let stopping = false;
  // Ctrl-C reaches both this process and `npm start`, which then sends SIGTERM too: stop once.
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    logger.info("worker stopping");
    await w.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
