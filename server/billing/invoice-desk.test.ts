// The operator's invoice desk against PostgreSQL and the local Stripe: a transfer confirmed by hand, an invoice
// voided (and never paid after), refunds (part, too much, the same request twice, by card through Stripe), credit
// notes, and an overpayment carried to the next invoice exactly once however often the billing run repeats.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../db/client.ts";
import { addDays, isoDay } from "../../domain/kz/time.ts";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { issueMonthAct, monthOf } from "./acts.ts";
import { pdfText } from "../../tests/documents.ts";
import { addOperator } from "../../tests/factories.ts";
import { refused } from "../../tests/refusal.ts";
import { schoolPaidThrough, stripeForFile, today } from "../../tests/billing.ts";
import { settleSchool } from "./cycle.ts";
import { refundCardPayment } from "./stripe.ts";

const stripe = stripeForFile();
const db = () => operatorDb();

/** A school whose first invoice (15 000 ₸, the Start plan) is `daysOverdue` days past its due date. */
async function schoolWithInvoice(daysOverdue: number) {
  const s = await schoolPaidThrough(daysOverdue + 1);
  await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
  await settleSchool(s.schoolId, today());
  const invoice = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
  const op = await addOperator("billing");
  return { ...s, invoice, op: op.caller, opId: op.userId };
}
const statusOf = async (schoolId: string) => (await db().school.findUniqueOrThrow({ where: { id: schoolId } })).status;
const invoiceOf = (id: string) => db().invoice.findUniqueOrThrow({ where: { id } });
const balanceOf = async (schoolId: string) =>
  Number(
    (await db().schoolCredit.aggregate({ where: { schoolId }, _sum: { amountTiyn: true } }))._sum.amountTiyn ?? 0n,
  );
/** A refusal as read: money in messages has no-break spaces, written here as spaces. */
const refusedAs = async (p: Promise<unknown>, locale: "kk" | "ru" = "ru") => {
  const r = await refused(p, locale);
  return { ...r, message: r.message.replace(/\u00a0/g, " ") };
};
const auditCount = (schoolId: string, action: string) => db().auditLog.count({ where: { schoolId, action } });

/** The next period's invoice, issued by the daily run 6 days before the paid period ends (run `times` times). */
async function nextInvoice(schoolId: string, times = 1) {
  const sub = await db().subscription.findUniqueOrThrow({ where: { schoolId } });
  const day = addDays(sub.paidThrough.toISOString().slice(0, 10), -6);
  for (let i = 0; i < times; i++) await settleSchool(schoolId, day);
  return db().invoice.findFirstOrThrow({
    where: { schoolId, status: { not: "void" } },
    orderBy: { periodStart: "desc" },
  });
}

describe("the invoice desk", () => {
  it("confirms a transfer by hand with its payer: part, then the rest; access comes back; the same reference twice changes nothing", async () => {
    const s = await schoolWithInvoice(10);
    expect(await statusOf(s.schoolId)).toBe("restricted");
    const confirm = (amount: string, reference: string) =>
      s.op.admin.billing.confirmPayment({
        invoiceId: s.invoice.id,
        amount,
        receivedOn: today(),
        reference,
        payer: "ТОО «Жол Мектебі»",
      });
    expect(await confirm("10000", "ПП-101")).toMatchObject({ outcome: "partial" });
    expect(await refused(confirm("10000", "ПП-101"))).toMatchObject({ code: "CONFLICT" });
    expect(await confirm("5000", "ПП-102")).toMatchObject({ outcome: "paid", restoredTo: "active" });
    const payments = await db().payment.findMany({ where: { invoiceId: s.invoice.id }, orderBy: { createdAt: "asc" } });
    expect(payments.map((p) => [Number(p.amountTiyn), p.payerName, p.method])).toEqual([
      [1_000_000, "ТОО «Жол Мектебі»", "manual"],
      [500_000, "ТОО «Жол Мектебі»", "manual"],
    ]);
    expect((await invoiceOf(s.invoice.id)).status).toBe("paid");
    expect(await auditCount(s.schoolId, "billing.payment_confirmed")).toBe(2);

    const card = await s.op.admin.billing.invoice({ id: s.invoice.id });
    expect(card).toMatchObject({ status: "paid", receivedTiyn: 1_500_000, leftTiyn: 0 });
    expect(card.payments).toHaveLength(2);
    // no act at payment; once the period's first month is drawn up, its act is on the desk with this invoice's share
    expect(card.documents).toEqual([]);
    await db().$transaction((tx) => issueMonthAct(tx, s.schoolId, monthOf(isoDay(s.invoice.periodStart)).first));
    const drawn = await s.op.admin.billing.invoice({ id: s.invoice.id });
    const line = await db().serviceActLine.findFirstOrThrow({ where: { invoiceId: s.invoice.id } });
    expect(drawn.documents.map((d) => [d.kind, d.amountTiyn])).toEqual([["act", Number(line.amountTiyn)]]);
    expect(card.history.filter((h) => h.kind === "audit").map((h) => h.action)).toEqual([
      "billing.payment_confirmed",
      "billing.payment_confirmed",
    ]);
    expect(card.history.filter((h) => h.kind === "access").map((h) => h.details.to)).toEqual([
      "past_due",
      "restricted",
      "active",
    ]);
  });

  it("voids an open invoice with a reason: access back, audited once, a paid one refused, the voided one never paid after", async () => {
    const s = await schoolWithInvoice(10);
    expect(await statusOf(s.schoolId)).toBe("restricted");
    expect(await refused(s.op.admin.billing.voidInvoice({ invoiceId: s.invoice.id, reason: "" }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    const r = await s.op.admin.billing.voidInvoice({ invoiceId: s.invoice.id, reason: "Выставлен по ошибке" });
    expect(r).toEqual({ outcome: "voided", restoredTo: "trial" });
    expect(await s.op.admin.billing.voidInvoice({ invoiceId: s.invoice.id, reason: "Выставлен по ошибке" })).toEqual({
      outcome: "already",
      restoredTo: null,
    });
    const inv = await invoiceOf(s.invoice.id);
    expect(inv).toMatchObject({ status: "void", voidedReason: "Выставлен по ошибке", voidedBy: s.opId });
    expect(await statusOf(s.schoolId)).toBe("trial");
    expect(await auditCount(s.schoolId, "billing.invoice_voided")).toBe(1);
    const step = await db().accessTransition.findMany({ where: { schoolId: s.schoolId, cause: "operator" } });
    expect(step.map((t) => [t.fromStatus, t.toStatus, t.reason])).toEqual([
      ["restricted", "trial", "Выставлен по ошибке"],
    ]);

    // Never paid later: by hand, by card.
    const byHand = s.op.admin.billing.confirmPayment({
      invoiceId: s.invoice.id,
      amount: "15000",
      receivedOn: today(),
      reference: "ПП-200",
    });
    expect(await refused(byHand, "kk")).toEqual({
      code: "CONFLICT",
      message: "Бұл шот төленген немесе жойылған: оған төлем қабылданбайды",
    });
    await expect(s.director.billing.checkout({ school: s.slug, id: s.invoice.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(await db().payment.count({ where: { invoiceId: s.invoice.id } })).toBe(0);
    expect((await invoiceOf(s.invoice.id)).status).toBe("void");

    // The period is unpaid again: the next run issues a new invoice for it.
    await settleSchool(s.schoolId, today());
    const again = await db().invoice.findMany({ where: { schoolId: s.schoolId, status: "open" } });
    expect(again).toHaveLength(1);
    expect(again[0]!.periodStart).toEqual(inv.periodStart);

    // A paid invoice is refunded, not voided.
    await s.op.admin.billing.confirmPayment({
      invoiceId: again[0]!.id,
      amount: "15000",
      receivedOn: today(),
      reference: "ПП-201",
    });
    expect(await refused(s.op.admin.billing.voidInvoice({ invoiceId: again[0]!.id, reason: "Ошибка" }))).toEqual({
      code: "CONFLICT",
      message: "Оплаченный счёт нельзя аннулировать — вместо этого сделайте возврат платежа",
    });
  });

  it("refunds a bank payment in part, refuses more than was paid in kk and ru, applies one request once, and a full refund reopens the invoice", async () => {
    const s = await schoolWithInvoice(1);
    await s.op.admin.billing.confirmPayment({
      invoiceId: s.invoice.id,
      amount: "15000",
      receivedOn: today(),
      reference: "ПП-300",
    });
    const payment = await db().payment.findFirstOrThrow({ where: { invoiceId: s.invoice.id } });
    const key = randomUUID();
    const refund = (amount: string, requestKey = key) =>
      s.op.admin.billing.refundPayment({
        paymentId: payment.id,
        amount,
        reference: "ВЗ-1",
        reason: "Скидка",
        requestKey,
      });

    expect(await refund("5000")).toEqual({ outcome: "refunded", refundedTiyn: 500_000 });
    expect(await refund("5000")).toEqual({ outcome: "already", refundedTiyn: 500_000 });
    expect(Number((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).refundedTiyn)).toBe(500_000);
    expect((await invoiceOf(s.invoice.id)).status).toBe("paid"); // a partial refund is a concession
    expect(await db().paymentRefund.count({ where: { paymentId: payment.id } })).toBe(1);
    expect(await auditCount(s.schoolId, "billing.payment_refunded")).toBe(1);

    expect(await refusedAs(refund("10000,01", randomUUID()), "ru")).toEqual({
      code: "BAD_REQUEST",
      message: "Нельзя вернуть больше, чем оплачено: по этому платежу можно вернуть не больше 10 000,00 ₸",
    });
    expect(await refusedAs(refund("10000,01", randomUUID()), "kk")).toEqual({
      code: "BAD_REQUEST",
      message: "Төленгеннен артық қайтаруға болмайды: бұл төлемнен ең көбі 10 000,00 ₸ қайтаруға болады",
    });
    expect(
      await refused(s.op.admin.billing.refundPayment({ paymentId: payment.id, amount: "1", requestKey: randomUUID() })),
    ).toMatchObject({
      code: "BAD_REQUEST",
      message: "Укажите номер банковского документа возврата",
    });
    expect(await refund("10000", randomUUID())).toEqual({ outcome: "refunded", refundedTiyn: 1_000_000 });
    expect(Number((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).refundedTiyn)).toBe(1_500_000);
    expect((await invoiceOf(s.invoice.id)).status).toBe("open");
    expect(await db().paymentRefund.count({ where: { paymentId: payment.id } })).toBe(2);
  });

  it("refunds a card payment through Stripe once: the webhook after it and the same request again change nothing", async () => {
    const s = await schoolWithInvoice(1);
    const { url } = await s.director.billing.checkout({ school: s.slug, id: s.invoice.id });
    expect((await fetch(url, { method: "POST", redirect: "manual" })).status).toBe(303);
    await stripe.fake.settle();
    const payment = await db().payment.findFirstOrThrow({ where: { invoiceId: s.invoice.id, method: "card" } });
    const key = randomUUID();
    const refund = () => s.op.admin.billing.refundPayment({ paymentId: payment.id, amount: "4000", requestKey: key });
    expect(await refund()).toEqual({ outcome: "refunded", refundedTiyn: 400_000 });
    await stripe.fake.settle();
    expect(await refund()).toEqual({ outcome: "already", refundedTiyn: 400_000 });
    await stripe.fake.settle();
    const after = await db().payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(Number(after.refundedTiyn)).toBe(400_000);
    const refunds = stripe.fake.events.filter((e) => e.type === "charge.refunded");
    expect(refunds).toHaveLength(1);
    expect((refunds[0]!.data.object as { amount_refunded: number }).amount_refunded).toBe(400_000);
    const row = await db().paymentRefund.findFirstOrThrow({ where: { paymentId: payment.id } });
    expect(row.reference).toMatch(/^re_/);
    expect((await invoiceOf(s.invoice.id)).status).toBe("paid");

    // A refund Stripe made for a form whose transaction here did not commit (a crash in between): its webhook
    // applied it; the same form sent again records it and counts it once.
    const lost = randomUUID();
    await refundCardPayment({ paymentIntent: payment.externalRef, amountTiyn: 100_000, requestKey: lost });
    await stripe.fake.settle();
    expect(Number((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).refundedTiyn)).toBe(500_000);
    expect(await s.op.admin.billing.refundPayment({ paymentId: payment.id, amount: "1000", requestKey: lost })).toEqual(
      { outcome: "refunded", refundedTiyn: 100_000 },
    );
    expect(Number((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).refundedTiyn)).toBe(500_000);
    expect(await db().paymentRefund.count({ where: { paymentId: payment.id } })).toBe(2);
  });

  it("a credit note against a paid invoice is a document in the school's cabinet and comes off the next invoice once", async () => {
    const s = await schoolWithInvoice(1);
    await s.op.admin.billing.confirmPayment({
      invoiceId: s.invoice.id,
      amount: "15000",
      receivedOn: today(),
      reference: "ПП-400",
    });
    const key = randomUUID();
    const note = () =>
      s.op.admin.billing.creditNote({
        invoiceId: s.invoice.id,
        amount: "3000,50",
        reason: "Простой сервиса 2 дня",
        requestKey: key,
      });
    const first = await note();
    expect(first).toMatchObject({ outcome: "issued", paid: false });
    expect(await note()).toMatchObject({ outcome: "already", number: first.number });
    expect(
      await refusedAs(
        s.op.admin.billing.creditNote({
          invoiceId: s.invoice.id,
          amount: "12000",
          reason: "Ещё",
          requestKey: randomUUID(),
        }),
      ),
    ).toEqual({
      code: "BAD_REQUEST",
      message: "Сумма кредит-ноты слишком велика: по этому счёту не больше 11 999,50 ₸",
    });
    expect(await balanceOf(s.schoolId)).toBe(300_050);
    expect(await auditCount(s.schoolId, "billing.credit_note_issued")).toBe(1);

    // The school sees it among its billing documents, and its PDF says what and why.
    const overview = await s.director.billing.overview({ school: s.slug });
    const doc = overview.documents.find((d) => d.kind === "credit_note")!;
    expect(doc.number).toBe(first.number);
    const pdf = await s.director.billing.document({ school: s.slug, id: doc.id });
    const text = await pdfText(Buffer.from(pdf.base64, "base64"));
    expect(text).toContain(first.number!);
    expect(text).toContain(s.invoice.number);
    expect(text).toContain("Простой сервиса 2 дня");
    expect(text).toMatch(/3\s000,50/);

    const next = await nextInvoice(s.schoolId, 2);
    expect(Number(next.amountTiyn)).toBe(1_500_000);
    expect(Number(next.creditTiyn)).toBe(300_050);
    expect(await balanceOf(s.schoolId)).toBe(0);
    expect(await db().schoolCredit.count({ where: { schoolId: s.schoolId, kind: "applied" } })).toBe(1);
    expect(overview.creditTiyn).toBe(300_050);
  });

  it("a credit note covering what is left of an open invoice pays it and restores access", async () => {
    const s = await schoolWithInvoice(10);
    await s.op.admin.billing.confirmPayment({
      invoiceId: s.invoice.id,
      amount: "14000",
      receivedOn: today(),
      reference: "ПП-500",
    });
    expect(await statusOf(s.schoolId)).toBe("restricted");
    const r = await s.op.admin.billing.creditNote({
      invoiceId: s.invoice.id,
      amount: "1000",
      reason: "Округление по договорённости",
      requestKey: randomUUID(),
    });
    expect(r).toMatchObject({ outcome: "issued", paid: true });
    expect(await invoiceOf(s.invoice.id)).toMatchObject({ status: "paid", creditTiyn: 100_000n });
    expect(await statusOf(s.schoolId)).toBe("active");
    expect(await balanceOf(s.schoolId)).toBe(0);
  });

  it("the schools list and the school's billing page show what is left of an overdue invoice: its credit and payments taken off", async () => {
    const s = await schoolWithInvoice(10);
    await s.op.admin.billing.creditNote({
      invoiceId: s.invoice.id,
      amount: "2000",
      reason: "Простой по вине оператора",
      requestKey: randomUUID(),
    });
    await s.op.admin.billing.confirmPayment({
      invoiceId: s.invoice.id,
      amount: "3000.50",
      receivedOn: today(),
      reference: "ПП-777",
    });
    // 15 000 ₸ less 2 000 ₸ of credit less 3 000,50 ₸ received: 9 999,50 ₸ left, wherever it is shown
    const { binIin } = await db().school.findUniqueOrThrow({ where: { id: s.schoolId } });
    const [row] = await s.op.admin.billing.schools({ q: binIin });
    expect(row).toMatchObject({ id: s.schoolId, debtTiyn: 999_950 });
    expect(await s.op.admin.billing.invoice({ id: s.invoice.id })).toMatchObject({ leftTiyn: 999_950 });
    expect(await s.director.billing.overview({ school: s.slug })).toMatchObject({ debtTiyn: 999_950 });
  });

  it("a reminder asks for what is left of the invoice: its credit and a part payment taken off", async () => {
    const s = await schoolPaidThrough(2);
    await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
    const invoice = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    const op = (await addOperator("billing")).caller;
    await op.admin.billing.creditNote({
      invoiceId: invoice.id,
      amount: "2000",
      reason: "Простой по вине оператора",
      requestKey: randomUUID(),
    });
    await op.admin.billing.confirmPayment({
      invoiceId: invoice.id,
      amount: "3000.50",
      receivedOn: today(),
      reference: "ПП-778",
    });
    await settleSchool(s.schoolId, today());
    const reminders = await db().outboxEvent.findMany({ where: { jobId: { startsWith: `reminder-${invoice.id}-` } } });
    expect(reminders.length).toBeGreaterThan(0);
    for (const r of reminders)
      expect((r.payload as { params: { amount: string } }).params.amount).toBe(formatTiyn(999_950));
  });

  it("an overpayment becomes the school's credit and comes off the next invoice exactly once, however often the run repeats", async () => {
    const s = await schoolWithInvoice(1);
    expect(
      await s.op.admin.billing.confirmPayment({
        invoiceId: s.invoice.id,
        amount: "20000,01",
        receivedOn: today(),
        reference: "ПП-600",
      }),
    ).toMatchObject({ outcome: "paid" });
    expect(await balanceOf(s.schoolId)).toBe(500_001);
    const next = await nextInvoice(s.schoolId, 3);
    expect(Number(next.creditTiyn)).toBe(500_001);
    expect(await balanceOf(s.schoolId)).toBe(0);
    expect(await db().invoice.count({ where: { schoolId: s.schoolId } })).toBe(2);
    expect(await db().schoolCredit.count({ where: { schoolId: s.schoolId } })).toBe(2);
    // Paying what is left pays it: 15 000,00 − 5 000,01.
    expect(
      await s.op.admin.billing.confirmPayment({
        invoiceId: next.id,
        amount: "9999,99",
        receivedOn: today(),
        reference: "ПП-601",
      }),
    ).toMatchObject({ outcome: "paid" });
    // The invoice's PDF shows the credit as a line of its own.
    const text = await pdfText(Buffer.from((await s.op.admin.billing.invoicePdf({ id: next.id })).base64, "base64"));
    expect(text).toMatch(/5\s000,01/);
    expect(text).toMatch(/9\s999,99/);
  });

  it("a plan changed before the next invoice is paid: the credit it carried comes off the re-issued one", async () => {
    const s = await schoolWithInvoice(1);
    await s.op.admin.billing.confirmPayment({
      invoiceId: s.invoice.id,
      amount: "16000",
      receivedOn: today(),
      reference: "ПП-800",
    });
    const next = await nextInvoice(s.schoolId);
    expect(Number(next.creditTiyn)).toBe(100_000);
    const standard = await db().tariffPlan.findUniqueOrThrow({ where: { code: "standard" } });
    await s.director.billing.changePlan({ school: s.slug, planId: standard.id });
    expect((await invoiceOf(next.id)).status).toBe("void");
    const reissued = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId, status: "open" } });
    expect([Number(reissued.amountTiyn), Number(reissued.creditTiyn)]).toEqual([3_500_000, 100_000]);
    expect(await balanceOf(s.schoolId)).toBe(0);
  });

  it("a refund of an overpaying payment takes its credit back first, then what paid the invoice", async () => {
    const s = await schoolWithInvoice(1);
    await s.op.admin.billing.confirmPayment({
      invoiceId: s.invoice.id,
      amount: "20000",
      receivedOn: today(),
      reference: "ПП-700",
    });
    const payment = await db().payment.findFirstOrThrow({ where: { invoiceId: s.invoice.id } });
    expect(await balanceOf(s.schoolId)).toBe(500_000);
    const refund = (amount: string) =>
      s.op.admin.billing.refundPayment({ paymentId: payment.id, amount, reference: "ВЗ-7", requestKey: randomUUID() });
    await refund("5000");
    expect(await balanceOf(s.schoolId)).toBe(0);
    expect((await invoiceOf(s.invoice.id)).status).toBe("paid");
    await refund("15000");
    expect(await balanceOf(s.schoolId)).toBe(0);
    expect((await invoiceOf(s.invoice.id)).status).toBe("open");
    expect((await s.op.admin.billing.invoice({ id: s.invoice.id })).leftTiyn).toBe(1_500_000);
  });
});
