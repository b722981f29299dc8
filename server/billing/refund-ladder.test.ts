// A card payment refunded by the operator in Stripe: a full refund leaves the school where it would be had
// the invoice never been paid — down the access ladder by the invoice's dates, with the ladder's notices —
// while a partial refund is a concession that keeps the invoice paid (docs/decisions/024-auth-hardening.md).
import { operatorDb } from "../db/client.ts";
import { addDays } from "../../domain/kz/time.ts";
import { schoolPaidThrough, stripeForFile } from "../../tests/billing.ts";
import { settleSchool } from "./cycle.ts";

const stripe = stripeForFile();

const db = () => operatorDb();
const statusOf = async (schoolId: string) => (await db().school.findUniqueOrThrow({ where: { id: schoolId } })).status;
/** The e-mails written for one school's directors and for the operator about it, by template. */
async function mails(schoolId: string) {
  const school = await db().school.findUniqueOrThrow({ where: { id: schoolId }, select: { name: true } });
  const rows = await db().outboxEvent.findMany({ where: { queue: "mail" }, orderBy: { id: "asc" } });
  return rows
    .map((r) => ({
      jobId: r.jobId,
      ...(r.payload as { to: string; template: string; params: Record<string, string> }),
    }))
    .filter((m) => m.params.school === school.name);
}
const count = async (schoolId: string, template: string) =>
  (await mails(schoolId)).filter((m) => m.template === template).length;

/** A school whose first invoice is `daysOverdue` days past its due date today (trial ended before that). */
async function overdueSchool(daysOverdue: number) {
  const s = await schoolPaidThrough(daysOverdue + 1);
  await settleSchool(s.schoolId, addDays(s.paidThrough, -6)); // the invoice is issued a week before it is due
  await settleSchool(s.schoolId, addDays(s.paidThrough, 1 + daysOverdue)); // today's run: the ladder by the dates
  const invoice = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
  return { ...s, invoice };
}

/** The director pays the invoice on the (stand-in) Stripe page; returns the payment's PaymentIntent. */
async function payByCard(
  s: { director: Awaited<ReturnType<typeof schoolPaidThrough>>["director"]; slug: string },
  invoiceId: string,
) {
  const { url } = await s.director.billing.checkout({ school: s.slug, id: invoiceId });
  expect((await fetch(url, { method: "POST", redirect: "manual" })).status).toBe(303);
  await stripe.fake.settle();
  return (await db().payment.findFirstOrThrow({ where: { invoiceId }, orderBy: { createdAt: "desc" } })).externalRef;
}

describe("a full card refund follows the access ladder", () => {
  it("a suspended school that paid and was refunded in full is suspended again, and its director and the operator are told", async () => {
    const s = await overdueSchool(45);
    expect(await statusOf(s.schoolId)).toBe("suspended");
    const pi = await payByCard(s, s.invoice.id);
    expect(await statusOf(s.schoolId)).toBe("active");
    const suspendedMailsBefore = await count(s.schoolId, "accessSuspended");

    await stripe.fake.refund(pi);
    await stripe.fake.settle();

    expect(await statusOf(s.schoolId)).toBe("suspended");
    expect((await db().invoice.findUniqueOrThrow({ where: { id: s.invoice.id } })).status).toBe("open");
    const payment = await db().payment.findFirstOrThrow({ where: { externalRef: pi } });
    expect(
      await db().accessTransition.findMany({
        where: { schoolId: s.schoolId, cause: "refund" },
        select: { fromStatus: true, toStatus: true, paymentId: true },
      }),
    ).toEqual([{ fromStatus: "active", toStatus: "suspended", paymentId: payment.id }]);
    expect(await count(s.schoolId, "accessSuspended")).toBe(suspendedMailsBefore + 1);
    const operatorMails = (await mails(s.schoolId)).filter(
      (m) => m.template === "operatorAccessChanged" && m.jobId.includes(payment.id),
    );
    expect(operatorMails).toHaveLength(1);

    // Workers reach the workspace only through billing again; the next daily run adds nothing.
    await expect(s.director.trainees.list({ school: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await settleSchool(s.schoolId, addDays(s.paidThrough, 47));
    expect(await statusOf(s.schoolId)).toBe("suspended");
    expect(await count(s.schoolId, "accessSuspended")).toBe(suspendedMailsBefore + 1);

    // Stripe delivering the refund again changes nothing.
    const refund = stripe.fake.events.filter((e) => e.type === "charge.refunded").at(-1)!;
    await stripe.fake.resend(refund.id);
    await stripe.fake.settle();
    expect(await db().accessTransition.count({ where: { schoolId: s.schoolId, cause: "refund" } })).toBe(1);
    expect(await count(s.schoolId, "accessSuspended")).toBe(suspendedMailsBefore + 1);
  });

  it("an invoice 3 days overdue, paid and refunded: past due again, then restricted on the day the grace period ends", async () => {
    const s = await overdueSchool(3);
    expect(await statusOf(s.schoolId)).toBe("past_due");
    const pi = await payByCard(s, s.invoice.id);
    expect(await statusOf(s.schoolId)).toBe("active");
    const pastDueBefore = await count(s.schoolId, "accessPastDue");

    await stripe.fake.refund(pi);
    await stripe.fake.settle();
    expect(await statusOf(s.schoolId)).toBe("past_due");
    expect(await count(s.schoolId, "accessPastDue")).toBe(pastDueBefore + 1);

    const due = s.invoice.dueOn.toISOString().slice(0, 10);
    await settleSchool(s.schoolId, addDays(due, 7));
    expect(await statusOf(s.schoolId)).toBe("past_due");
    await settleSchool(s.schoolId, addDays(due, 8));
    expect(await statusOf(s.schoolId)).toBe("restricted");
    expect(await count(s.schoolId, "accessRestricted")).toBe(1);
  });

  it("an invoice paid ahead of its due date and refunded in full: back on the trial it was on, then past due once it is overdue", async () => {
    const s = await schoolPaidThrough(-5); // the trial ends in 5 days
    await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
    const invoice = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    const pi = await payByCard(s, invoice.id);
    expect(await statusOf(s.schoolId)).toBe("active");

    await stripe.fake.refund(pi);
    await stripe.fake.settle();
    expect(await statusOf(s.schoolId)).toBe("trial");
    expect(
      (await db().subscription.findUniqueOrThrow({ where: { schoolId: s.schoolId } })).paidThrough
        .toISOString()
        .slice(0, 10),
    ).toBe(s.paidThrough);
    // Nothing is overdue yet: no ladder e-mail.
    expect((await mails(s.schoolId)).filter((m) => /^access/.test(m.template))).toEqual([]);

    const due = invoice.dueOn.toISOString().slice(0, 10);
    await settleSchool(s.schoolId, addDays(due, 1));
    expect(await statusOf(s.schoolId)).toBe("past_due");
    expect(await count(s.schoolId, "accessPastDue")).toBe(1);
  });
});

describe("a partial card refund", () => {
  it("is a concession: the invoice stays paid and the school keeps its access; the operator is told to settle the documents", async () => {
    const s = await overdueSchool(45);
    const pi = await payByCard(s, s.invoice.id);
    const paidThrough = (await db().subscription.findUniqueOrThrow({ where: { schoolId: s.schoolId } })).paidThrough;

    await stripe.fake.refund(pi, 500_000);
    await stripe.fake.settle();
    expect(await statusOf(s.schoolId)).toBe("active");
    expect((await db().invoice.findUniqueOrThrow({ where: { id: s.invoice.id } })).status).toBe("paid");
    expect((await db().subscription.findUniqueOrThrow({ where: { schoolId: s.schoolId } })).paidThrough).toEqual(
      paidThrough,
    );
    expect(Number((await db().payment.findFirstOrThrow({ where: { externalRef: pi } })).refundedTiyn)).toBe(500_000);
    expect(await count(s.schoolId, "operatorRefund")).toBe(1);

    // The rest refunded later makes it a full refund: the ladder applies then.
    await stripe.fake.refund(pi);
    await stripe.fake.settle();
    expect(await statusOf(s.schoolId)).toBe("suspended");
    expect((await db().invoice.findUniqueOrThrow({ where: { id: s.invoice.id } })).status).toBe("open");
    expect(await count(s.schoolId, "operatorRefund")).toBe(2);
  });
});
