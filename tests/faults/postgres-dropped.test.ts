// Fault: PostgreSQL drops the app's connection in the middle of a transaction (pg_terminate_backend on the
// backend found waiting in pg_locks, inside its transaction) — a trainee created over HTTP,
// a payment confirmed by the operator over HTTP, and a school's billing settled by a BullMQ job.
// Proves: nothing partial is left; the person gets a retryable 503 in kk/ru (no stack, no English); the
// retried request and the retried job complete, and everything exists exactly once.
import pg from "pg";
import { QueueEvents } from "bullmq";
import { operatorDb } from "../../server/db/client.ts";
import { config } from "../../server/config.ts";
import { addDays } from "../../domain/kz/time.ts";
import { bullName, bullPrefix, bullQueue, connection } from "../../server/queues.ts";
import { billingProcessor, schoolJobId } from "../../jobs/billing.ts";
import { schoolPaidThrough, today } from "../billing.ts";
import { addOperator, createSchool, traineeInput } from "../factories.ts";
import { testState } from "../state.ts";
import { sessionCookie, startWebApp, suspendedSchool, trpcMutation, until } from "./helpers.ts";
import { bullWorker } from "../../jobs/bull-worker.ts";

const db = () => operatorDb();
let web: Awaited<ReturnType<typeof startWebApp>>;
beforeAll(async () => {
  web = await startWebApp();
});
afterAll(() => web.close());

/**
 * Holds a lock the app's next transaction will wait for (`lockSql`, run in a transaction of `holderUrl`'s
 * role), and when a backend of `role` waits for it, inside its transaction, terminates that backend from an
 * owner connection and lets go. Only what a managed service's owner can do: pg_locks and the user names of
 * pg_stat_activity are visible to it (others' state and query are not), and pg_signal_backend lets it
 * terminate. Returns the terminated backend's pid.
 */
async function dropWhileWaiting(
  role: "avtomektep_app" | "avtomektep_operator",
  holderUrl: string,
  lockSql: string,
  params: unknown[],
  during: () => Promise<unknown>,
) {
  const holder = new pg.Client({ connectionString: holderUrl });
  const owner = new pg.Client({ connectionString: testState.databaseUrl });
  await Promise.all([holder.connect(), owner.connect()]);
  try {
    await holder.query("BEGIN");
    await holder.query(lockSql, params);
    const pending = during();
    pending.catch(() => {}); // inspected by the caller
    let pid = 0;
    await until(
      async () => {
        const { rows } = await owner.query<{ pid: number }>(
          `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE NOT l.granted AND a.datname = current_database() AND a.usename = $1`,
          [role],
        );
        pid = rows[0]?.pid ?? 0;
        return pid > 0;
      },
      15_000,
      `a ${role} backend waiting inside its transaction`,
    );
    const { rows } = await owner.query<{ ok: boolean }>("SELECT pg_terminate_backend($1) AS ok", [pid]);
    expect(rows[0]!.ok).toBe(true);
    await holder.query("ROLLBACK");
    return {
      pid,
      result: await pending.then(
        (v) => ({ ok: true as const, v }),
        (e: unknown) => ({ ok: false as const, e }),
      ),
    };
  } finally {
    await Promise.all([holder.end(), owner.end()]);
  }
}

describe("PostgreSQL drops the connection mid-transaction", () => {
  it("a trainee created over HTTP: 503 in the user's language, nothing written; the retry creates it once", async () => {
    const s = await createSchool();
    await db().user.update({ where: { id: s.userId }, data: { locale: "kk" } });
    const cookie = await sessionCookie(s.userId);
    const input = { school: s.slug, ...traineeInput() };
    // Another session (a migration, a bulk import) holds the table against writes: the app's insert waits,
    // mid-transaction, after the membership check and the room check have run.
    const { result } = await dropWhileWaiting(
      "avtomektep_app",
      testState.databaseUrl,
      "LOCK TABLE trainee IN SHARE MODE",
      [],
      () => trpcMutation(web.base, "trainees.create", input, { cookie }),
    );
    expect(result.ok).toBe(true);
    const answer = (result as { v: Awaited<ReturnType<typeof trpcMutation>> }).v;
    expect(answer).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE", retryAfter: "5" });
    expect(answer.message).toBe(
      "Қызмет бір сәтке қолжетімсіз, өзгерістер сақталмады. Бірнеше секундтан кейін қайталаңыз",
    );
    expect(answer.message).not.toMatch(/terminat|connection|prisma|postgres/i);
    expect(await db().trainee.count({ where: { schoolId: s.schoolId } })).toBe(0);
    expect(await db().auditLog.count({ where: { schoolId: s.schoolId, action: "trainee.created" } })).toBe(0);

    const retry = await trpcMutation(web.base, "trainees.create", input, { cookie });
    expect(retry.status).toBe(200);
    expect(await db().trainee.count({ where: { schoolId: s.schoolId } })).toBe(1);
    expect(await db().auditLog.count({ where: { schoolId: s.schoolId, action: "trainee.created" } })).toBe(1);
    // The pool dropped the dead connection: the next requests work as usual.
    for (let i = 0; i < 6; i++)
      expect(
        (await trpcMutation(web.base, "trainees.create", { school: s.slug, ...traineeInput() }, { cookie })).status,
      ).toBe(200);
    expect(await db().trainee.count({ where: { schoolId: s.schoolId } })).toBe(7);
  });

  it("a payment being applied by the operator: 503 in Russian, no payment, act or e-mail; the retry pays once and restores the school", async () => {
    const s = await suspendedSchool();
    const op = await addOperator("billing");
    await db().user.update({ where: { id: op.userId }, data: { locale: "ru" } });
    const cookie = await sessionCookie(op.userId);
    const input = {
      invoiceId: s.invoice.id,
      amount: String(s.invoice.amountTiyn / 100),
      receivedOn: addDays(s.paidThrough, 45),
      reference: "ПП-7781",
    };
    // The school's row is locked elsewhere (the billing run settling it): applyPayment waits on it, mid-transaction.
    const { result } = await dropWhileWaiting(
      "avtomektep_operator",
      config().operatorDatabaseUrl,
      "SELECT 1 FROM school WHERE id = $1 FOR UPDATE",
      [s.schoolId],
      () => trpcMutation(web.base, "admin.billing.confirmPayment", input, { cookie }),
    );
    const answer = (result as { v: Awaited<ReturnType<typeof trpcMutation>> }).v;
    expect(answer).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE", retryAfter: "5" });
    expect(answer.message).toBe(
      "Сервис ненадолго недоступен, изменения не сохранены. Повторите через несколько секунд",
    );
    expect(answer.message).not.toMatch(/terminat|connection|prisma|postgres/i);
    const nothing = { payments: 0, acts: 0, invoice: "open", school: "suspended", mails: 0, audit: 0 };
    const state = async () => {
      const payments = await db().payment.findMany({ where: { schoolId: s.schoolId }, select: { id: true } });
      return {
        payments: payments.length,
        acts: await db().schoolDocument.count({ where: { schoolId: s.schoolId, kind: "act" } }),
        invoice: (await db().invoice.findUniqueOrThrow({ where: { id: s.invoice.id } })).status,
        school: (await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status,
        mails: await db().outboxEvent.count({
          where: {
            OR: payments.flatMap((p) => [
              { jobId: { startsWith: `paid-${p.id}-` } },
              { jobId: `restored-${p.id}-operator` },
            ]),
          },
        }),
        audit: await db().auditLog.count({ where: { schoolId: s.schoolId, action: "billing.payment_confirmed" } }),
      };
    };
    expect(await state()).toEqual(nothing);

    const retry = await trpcMutation(web.base, "admin.billing.confirmPayment", input, { cookie });
    expect(retry).toMatchObject({ status: 200, data: { outcome: "paid", restoredTo: "active" } });
    expect(await state()).toEqual({ payments: 1, acts: 0, invoice: "paid", school: "active", mails: 2, audit: 1 });
    // Pressing the button once more is a duplicate reference, refused on the field.
    const again = await trpcMutation(web.base, "admin.billing.confirmPayment", input, { cookie });
    expect(again.status).toBe(409);
    expect(await state()).toEqual({ payments: 1, acts: 0, invoice: "paid", school: "active", mails: 2, audit: 1 });
  });

  it("a school's billing settled by a BullMQ job: the failed attempt leaves nothing, the retry issues one invoice and one e-mail", {
    timeout: 60_000,
  }, async () => {
    const s = await schoolPaidThrough(-3); // paid through 3 days from now: today's run issues the next invoice
    const day = today();
    const queue = bullQueue("billing");
    const events = new QueueEvents(bullName("billing"), { connection: connection(), prefix: bullPrefix() });
    const worker = bullWorker("billing", billingProcessor(queue), { concurrency: 1 });
    try {
      await events.waitUntilReady();
      const invoices = () => db().invoice.count({ where: { schoolId: s.schoolId } });
      let job: Awaited<ReturnType<typeof queue.add>> | undefined;
      await dropWhileWaiting(
        "avtomektep_operator",
        config().operatorDatabaseUrl,
        "SELECT 1 FROM school WHERE id = $1 FOR UPDATE",
        [s.schoolId],
        async () => {
          job = await queue.add(
            "school",
            { schoolId: s.schoolId, day },
            { jobId: schoolJobId(s.schoolId, day), attempts: 3, backoff: { type: "fixed", delay: 500 } },
          );
          return job.waitUntilFinished(events, 30_000);
        },
      );
      await until(
        async () => (await queue.getJob(job!.id!))?.finishedOn !== undefined,
        30_000,
        "the retried job to finish",
      );
      const done = (await queue.getJob(job!.id!))!;
      expect(done.attemptsMade).toBe(2); // the dropped attempt, then the one that worked
      expect(done.failedReason ?? "").not.toBe("");
      expect(await done.getState()).toBe("completed");
      expect(await invoices()).toBe(1);
      const inv = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
      expect(await db().outboxEvent.count({ where: { jobId: { startsWith: `invoice-${inv.id}-` } } })).toBe(1);
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
  });
});
