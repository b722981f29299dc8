// Fault: Redis stopped for a full minute (a dedicated redis-server, real time) while the real web and worker
// processes run and people keep signing up, signing in, inviting staff and adding trainees; then Redis is
// started again on the same port. Proves: the web answers every request at once during the outage (rate
// limits count in memory, fail-open; PostgreSQL-only writes succeed); the outbox holds the e-mails, and
// once Redis is back every one is delivered, and received by the mail sink, exactly once.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../../server/db/client.ts";
import { seedOffer } from "../../server/db/seed.ts";
import { startSystem } from "../e2e/system.ts";
import { createSchool, currentOfferId, signupInput, traineeInput } from "../factories.ts";
import {
  dedicatedRedis,
  sessionCookie,
  sleep,
  sunkPerRecipient,
  trpcMutation,
  until,
  type TrpcAnswer,
} from "./helpers.ts";

const db = () => operatorDb();
const OUTAGE_MS = 60_000;
const ROUND_MS = 3_000;
/** The plan without staff and trainee limits, so the invitations of a minute fit. */
const NETWORK_PLAN = "7a1f0000-0000-4000-8000-000000000004";

let redis: Awaited<ReturnType<typeof dedicatedRedis>>;
let system: Awaited<ReturnType<typeof startSystem>>;
beforeAll(async () => {
  redis = await dedicatedRedis();
  await seedOffer(db());
  system = await startSystem({ REDIS_URL: redis.url, JOB_LOCK_MS: "2000" });
}, 90_000);
afterAll(async () => {
  // A failed test may leave Redis stopped: bring it back so the processes can shut down cleanly.
  if (redis && !redis.running) await redis.start();
  await system?.stop();
  await redis?.dispose();
});

describe("Redis stopped for a minute", () => {
  it("the web keeps answering, nothing is lost, and every e-mail arrives once after Redis is back", {
    timeout: 180_000,
  }, async () => {
    const s = await createSchool();
    await db().subscription.update({ where: { schoolId: s.schoolId }, data: { planId: NETWORK_PLAN } });
    const cookie = await sessionCookie(s.userId);
    const offerVersionId = await currentOfferId();
    const signups: string[] = [s.email];
    const invites: string[] = [];
    const answers: { what: string; answer: TrpcAnswer }[] = [];

    /** One minute's worth of office work: a sign-up, a sign-in, an invitation and a new trainee. */
    const round = async () => {
      const signup = signupInput({ offerVersionId });
      const invitee = `staff.${randomUUID().slice(0, 8)}@outage.kz`;
      signups.push(String(signup.email));
      invites.push(invitee);
      const results = await Promise.all([
        // Each sign-up from its own office (an address may send 10 an hour: server/auth/rate-limit.ts).
        trpcMutation(system.url, "signup.signUp", signup, { ip: `10.3.${signups.length}.1` }).then((answer) => ({
          what: "signup",
          answer,
        })),
        trpcMutation(system.url, "auth.login", { email: s.email, password: s.password }).then((answer) => ({
          what: "login",
          answer,
        })),
        trpcMutation(
          system.url,
          "staff.invite",
          { school: s.slug, email: invitee, role: "registrar" },
          { cookie },
        ).then((answer) => ({ what: "invite", answer })),
        trpcMutation(system.url, "trainees.create", { school: s.slug, ...traineeInput() }, { cookie }).then(
          (answer) => ({ what: "trainee", answer }),
        ),
      ]);
      answers.push(...results);
    };

    await round(); // Redis up: the usual path
    await redis.stop();
    const outageEnds = Date.now() + OUTAGE_MS;
    let rounds = 1;
    while (Date.now() + ROUND_MS < outageEnds) {
      const next = Date.now() + ROUND_MS;
      await round();
      rounds++;
      await sleep(Math.max(0, next - Date.now()));
    }
    // The e-mails of the outage wait in the outbox; none can have gone out.
    const waiting = await db().outboxEvent.count({ where: { queue: "mail", dispatchedAt: null } });
    expect(waiting).toBeGreaterThanOrEqual(2 * (rounds - 1));
    await sleep(Math.max(0, outageEnds - Date.now()));
    await redis.start();

    // Every request was answered, at once, with success — during the outage as before it.
    expect(answers).toHaveLength(4 * rounds);
    expect(
      answers.filter((a) => a.answer.status !== 200).map((a) => [a.what, a.answer.status, a.answer.message]),
    ).toEqual([]);
    expect(Math.max(...answers.map((a) => a.answer.ms))).toBeLessThan(5_000);

    // Nothing lost: every sign-up (waiting for its e-mailed link), invitation and trainee is there, once.
    expect(await db().signupRequest.count({ where: { email: { in: signups.slice(1) } } })).toBe(rounds);
    expect(await db().invitation.count({ where: { schoolId: s.schoolId } })).toBe(rounds);
    expect(await db().trainee.count({ where: { schoolId: s.schoolId } })).toBe(rounds);

    // Redis back: the relay moves the waiting rows; the worker turns each sign-up into its e-mail (jobs/auth.ts)
    // and sends each e-mail once.
    const signupMails = () =>
      db().outboxEvent.count({ where: { queue: "mail", jobId: { startsWith: "mail.auth.signup." } } });
    await until(async () => (await signupMails()) === rounds, 60_000, "every sign-up's e-mail to be queued");
    const mails = await db().outboxEvent.findMany({ where: { queue: "mail" }, select: { jobId: true, payload: true } });
    expect(mails.filter((m) => m.jobId.startsWith("mail.auth.signup.")).length).toBe(rounds);
    expect(mails.filter((m) => m.jobId.startsWith("mail.invite.")).length).toBe(rounds);
    expect(mails.filter((m) => m.jobId.startsWith("mail.login.")).length).toBe(rounds); // the sign-in notices
    await until(
      async () =>
        (await db().emailDelivery.count({ where: { jobId: { in: mails.map((m) => m.jobId) } } })) === mails.length,
      60_000,
      "every e-mail to be delivered",
    );
    await until(() => testSinkHas(mails.length), 10_000, "the sink to receive every e-mail");
    expect(await db().emailDelivery.count({ where: { jobId: { in: mails.map((m) => m.jobId) } } })).toBe(mails.length);
    // Each e-mail once: per address, the sink holds exactly as many messages as the outbox has e-mails to it
    // (one per sign-up and invitation; the director also gets a sign-in notice per sign-in).
    const expected = new Map<string, number>();
    for (const m of mails) {
      const to = (m.payload as { to: string }).to.toLowerCase();
      expected.set(to, (expected.get(to) ?? 0) + 1);
    }
    for (const address of [...signups.slice(1), ...invites])
      expect([address, expected.get(address.toLowerCase())]).toEqual([address, 1]);
    expect(new Map([...sunkPerRecipient()].sort())).toEqual(new Map([...expected].sort()));
    expect([...sunkPerRecipient().values()].reduce((a, b) => a + b, 0)).toBe(mails.length);
  });
});

/** The sink has received at least `n` messages. */
async function testSinkHas(n: number): Promise<boolean> {
  return [...sunkPerRecipient().values()].reduce((a, b) => a + b, 0) >= n;
}
