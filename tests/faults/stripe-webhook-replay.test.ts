// Fault: Stripe delivers the same signed webhook 5 times (one after another and 5 at once), and delivers
// events out of order (the refund and the dispute before the payment, and a refund racing its payment),
// all through the real HTTP endpoint POST /webhooks/stripe. Proves: one payment, one act, one restoration,
// one e-mail per fact; early events wait and are applied exactly once when their payment arrives.
import Stripe from "stripe";
import { operatorDb } from "../../server/db/client.ts";
import { startStripeFake, type StripeFake } from "../../dev/stripe/index.ts";
import { startWebApp, suspendedSchool } from "./helpers.ts";

const db = () => operatorDb();
const SECRET = "whsec_faults_replay";
let stripe: StripeFake;
let web: Awaited<ReturnType<typeof startWebApp>>;

beforeAll(async () => {
  // The local Stripe, silent: the test itself is Stripe's delivery, so it decides the order and the repeats.
  stripe = await startStripeFake({ port: 0, webhookUrl: null, webhookSecret: SECRET });
  Object.assign(process.env, {
    STRIPE_SECRET_KEY: "sk_test_avtomektep_local",
    STRIPE_WEBHOOK_SECRET: SECRET,
    STRIPE_API_BASE: stripe.url,
  });
  web = await startWebApp();
});
afterAll(async () => {
  await web.close();
  await stripe.close();
});

/** One delivery of `event` as Stripe makes it: the JSON body, signed with the endpoint's secret. */
async function deliver(event: Stripe.Event): Promise<{ status: number; outcome: string }> {
  const payload = JSON.stringify(event);
  const res = await fetch(`${web.base}/webhooks/stripe`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
    },
    body: payload,
  });
  const body = (await res.json()) as { received: boolean; outcome: string };
  return { status: res.status, outcome: body.outcome };
}

/** A suspended school whose director opened Checkout for the invoice and paid; the event not yet delivered. */
async function paidAtStripe() {
  const s = await suspendedSchool();
  const { url } = await s.director.billing.checkout({ school: s.slug, id: s.invoice.id });
  const completed = await stripe.complete(url.split("/").at(-1)!);
  const pi = (completed.data.object as { payment_intent: string }).payment_intent;
  return { s, completed, pi };
}

/** Everything the ledger and the outbox hold about one school's payment, counted. */
async function stateOf(schoolId: string, invoiceId: string) {
  const payments = await db().payment.findMany({
    where: { schoolId },
    select: { id: true, amountTiyn: true, refundedTiyn: true, disputedAt: true },
  });
  const ids = payments.map((p) => p.id);
  const mail = async (filter: object) => db().outboxEvent.count({ where: { queue: "mail", ...filter } });
  return {
    payments: payments.length,
    refundedTiyn: payments.reduce((n, p) => n + Number(p.refundedTiyn), 0),
    disputed: payments.filter((p) => p.disputedAt).length,
    acts: await db().schoolDocument.count({ where: { schoolId, kind: "act" } }),
    invoice: (await db().invoice.findUniqueOrThrow({ where: { id: invoiceId } })).status,
    school: (await db().school.findUniqueOrThrow({ where: { id: schoolId } })).status,
    restorations: await db().accessTransition.count({ where: { schoolId, cause: "payment" } }),
    paymentMails: await mail({ OR: ids.map((id) => ({ jobId: { startsWith: `paid-${id}-` } })) }),
    restoredMails: await mail({ jobId: { in: ids.map((id) => `restored-${id}-operator`) } }),
    refundMails: await mail({ OR: ids.map((id) => ({ jobId: { startsWith: `refund-${id}-` } })) }),
  };
}
const paidOnce = {
  payments: 1,
  refundedTiyn: 0,
  disputed: 0,
  acts: 0, // acts are drawn up after the month, for the days served (ADR 041), not at payment
  invoice: "paid",
  school: "active",
  restorations: 1,
  paymentMails: 1,
  restoredMails: 1,
  refundMails: 0,
};

describe("Stripe webhooks delivered again and out of order", () => {
  it("the same payment event 5 times in a row: paid once, then 'duplicate' four times", async () => {
    const { s, completed } = await paidAtStripe();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await deliver(completed));
    expect(answers).toEqual([
      { status: 200, outcome: "paid" },
      ...Array(4).fill({ status: 200, outcome: "duplicate" }),
    ]);
    expect(await stateOf(s.schoolId, s.invoice.id)).toEqual(paidOnce);
    expect(await db().stripeEvent.count({ where: { id: completed.id } })).toBe(1);
  });

  it("the same payment event 5 times at once: exactly one applies it", async () => {
    const { s, completed } = await paidAtStripe();
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(completed)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((a) => a.outcome).sort()).toEqual(["duplicate", "duplicate", "duplicate", "duplicate", "paid"]);
    expect(await stateOf(s.schoolId, s.invoice.id)).toEqual(paidOnce);
  });

  it("refund and dispute before the payment, each delivered 5 times: they wait, then apply once after it", async () => {
    const { s, completed, pi } = await paidAtStripe();
    const dispute = await stripe.dispute(pi);
    const refund = await stripe.refund(pi);
    for (let i = 0; i < 5; i++) {
      expect(await deliver(refund)).toEqual({ status: 200, outcome: i === 0 ? "waiting" : "duplicate" });
      expect(await deliver(dispute)).toEqual({ status: 200, outcome: i === 0 ? "waiting" : "duplicate" });
    }
    // Nothing has happened to the school yet.
    expect(await stateOf(s.schoolId, s.invoice.id)).toMatchObject({
      payments: 0,
      invoice: "open",
      school: "suspended",
    });

    // The payment arrives (five times, at once) and takes the waiting events with it.
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(completed)));
    expect(answers.map((a) => a.outcome).sort()).toEqual(["duplicate", "duplicate", "duplicate", "duplicate", "paid"]);
    for (const e of [refund, dispute, completed])
      expect(await deliver(e)).toEqual({ status: 200, outcome: "duplicate" });

    const full = s.invoice.amountTiyn;
    // The full refund leaves the school where the ladder puts it without that payment: suspended again.
    expect(await stateOf(s.schoolId, s.invoice.id)).toEqual({
      ...paidOnce,
      refundedTiyn: full,
      disputed: 1,
      invoice: "open",
      school: "suspended",
      refundMails: 1,
    });
    const events = await db().stripeEvent.findMany({ where: { paymentIntent: pi }, orderBy: { receivedAt: "asc" } });
    expect(events.map((e) => [e.type, e.outcome])).toEqual([
      ["charge.refunded", "refunded"],
      ["charge.dispute.created", "disputed"],
      ["checkout.session.completed", "paid"],
    ]);
    expect(await db().outboxEvent.count({ where: { jobId: `dispute-${dispute.id}` } })).toBe(1);
    // The refund shrank the paid period back to where it was before the payment.
    const sub = await db().subscription.findUniqueOrThrow({ where: { schoolId: s.schoolId } });
    expect(sub.paidThrough.toISOString().slice(0, 10)).toBe(s.paidThrough);
  });

  it("a refund delivered at the same moment as its payment, for 6 schools: every refund applied once, none left waiting", {
    timeout: 60_000,
  }, async () => {
    const runs = [];
    for (let i = 0; i < 6; i++) {
      const p = await paidAtStripe();
      runs.push({ ...p, refund: await stripe.refund(p.pi) });
    }
    const answers = await Promise.all(
      runs.flatMap((r) => [deliver(r.refund), deliver(r.completed), deliver(r.refund), deliver(r.completed)]),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(24).fill(200));
    for (const r of runs) {
      expect(await stateOf(r.s.schoolId, r.s.invoice.id)).toEqual({
        ...paidOnce,
        refundedTiyn: r.s.invoice.amountTiyn,
        invoice: "open",
        school: "suspended",
        refundMails: 1,
      });
    }
    expect(
      await db().stripeEvent.count({ where: { paymentIntent: { in: runs.map((r) => r.pi) }, appliedAt: null } }),
    ).toBe(0);
    expect(await db().stripeEvent.count({ where: { paymentIntent: { in: runs.map((r) => r.pi) } } })).toBe(12);
  });
});
