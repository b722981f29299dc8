// Paid access by tariff, end to end against PostgreSQL, the local Stripe and the outbox: a school lives
// through its billing calendar (trial → invoice → reminders → past due → restricted → suspended) and
// pays, by card or by bank transfer, and its access comes back at once.
import iconv from "iconv-lite";
import { operatorDb } from "../db/client.ts";
import { addDays, isoDay } from "../../domain/kz/time.ts";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { pdfText } from "../../tests/documents.ts";
import { addMember, addOperator, traineeInput } from "../../tests/factories.ts";
import { refused } from "../../tests/refusal.ts";
import { schoolPaidThrough, stripeForFile, today } from "../../tests/billing.ts";
import { settleSchool } from "./cycle.ts";
import { issueMonthAct, monthOf } from "./acts.ts";
import { fanOutNotice } from "../notices/fanout.ts";
import { invoiceNumbersIn } from "./client-bank-exchange.ts";

const stripe = stripeForFile();

const db = () => operatorDb();
const templates = async (schoolId: string) => {
  const rows = await db().outboxEvent.findMany({ where: { queue: "mail" }, orderBy: { id: "asc" } });
  const school = await db().school.findUniqueOrThrow({ where: { id: schoolId }, select: { name: true } });
  return rows
    .map((r) => r.payload as { to: string; template: string; params: Record<string, string> })
    .filter((p) => p.params.school === school.name)
    .map((p) => p.template);
};
const count = (list: string[], t: string) => list.filter((x) => x === t).length;

/** Runs the school's billing on every day from `from` to `to`, as the daily job would. */
async function liveThrough(schoolId: string, from: string, to: string) {
  for (let d = from; d <= to; d = addDays(d, 1)) await settleSchool(schoolId, d);
}

async function payByCard(
  director: Awaited<ReturnType<typeof schoolPaidThrough>>["director"],
  slug: string,
  invoiceId: string,
) {
  const { url } = await director.billing.checkout({ school: slug, id: invoiceId });
  // The customer presses "Pay" on the (stand-in) Stripe page; Stripe sends the signed webhook before redirecting.
  const res = await fetch(url, { method: "POST", redirect: "manual" });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toContain(`/s/${slug}/billing?paid=${invoiceId}`);
}

describe("a school that does not pay", () => {
  it("gets one invoice, its reminders, and moves past due → restricted → suspended; a card payment restores it at once", async () => {
    const s = await schoolPaidThrough(45);
    const due = addDays(s.paidThrough, 1);

    expect((await settleSchool(s.schoolId, addDays(s.paidThrough, -7))).invoiced).toBe(false);
    await liveThrough(s.schoolId, addDays(s.paidThrough, -6), addDays(due, -1));
    const [invoice, ...more] = await db().invoice.findMany({ where: { schoolId: s.schoolId } });
    expect(more).toHaveLength(0);
    expect(invoice!.number).toMatch(/^AM-\d{4}-\d{5}$/);
    expect(Number(invoice!.amountTiyn)).toBe(1_500_000); // the Start plan: 15 000 ₸ a month
    expect(invoice!.dueOn.toISOString().slice(0, 10)).toBe(due);
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("trial");

    // Past due: full access, with the banner's state.
    await liveThrough(s.schoolId, due, addDays(due, 7));
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("past_due");
    await s.director.trainees.create({ school: s.slug, ...traineeInput() });

    // Restricted: reading and exports work, changes are refused with the reason.
    await settleSchool(s.schoolId, addDays(due, 8));
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("restricted");
    expect((await s.director.trainees.list({ school: s.slug })).items).toHaveLength(1);
    await expect(s.director.exports.register({ school: s.slug })).resolves.toMatchObject({
      fileName: expect.stringMatching(/\.xlsx$/),
    });
    expect(await refused(s.director.trainees.create({ school: s.slug, ...traineeInput() }))).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("только чтение"),
    });

    // Suspended: nothing but billing, and billing only for the director.
    await liveThrough(s.schoolId, addDays(due, 9), addDays(due, 38));
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("suspended");
    expect(await refused(s.director.trainees.list({ school: s.slug }))).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("приостановлен"),
    });
    const registrar = await addMember(s.schoolId, "registrar");
    await expect(registrar.caller.trainees.list({ school: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(registrar.caller.billing.overview({ school: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const overview = await s.director.billing.overview({ school: s.slug });
    expect(overview).toMatchObject({ status: "suspended", debtTiyn: 1_500_000 });
    expect((await s.director.school.workspace({ school: s.slug })).school.status).toBe("suspended");

    // Every notice once, however often the days were run.
    await liveThrough(s.schoolId, addDays(due, 30), addDays(due, 38));
    const sent = await templates(s.schoolId);
    expect(count(sent, "invoiceIssued")).toBe(1);
    expect(count(sent, "billingReminderBefore")).toBe(1);
    expect(count(sent, "billingReminderToday")).toBe(1);
    expect(count(sent, "billingReminderAfter")).toBe(2);
    for (const t of ["accessPastDue", "accessRestricted", "accessSuspended"]) expect(count(sent, t)).toBe(1);
    expect(count(sent, "operatorAccessChanged")).toBe(3);
    expect(await db().billingReminder.count({ where: { invoiceId: invoice!.id } })).toBe(4);
    expect(await db().accessTransition.count({ where: { schoolId: s.schoolId, cause: "overdue" } })).toBe(3);

    // The director pays by card; the webhook restores access.
    await payByCard(s.director, s.slug, invoice!.id);
    const school = await db().school.findUniqueOrThrow({ where: { id: s.schoolId }, include: { subscription: true } });
    expect(school.status).toBe("active");
    expect(school.subscription!.paidThrough.getTime()).toBe(
      (await db().invoice.findUniqueOrThrow({ where: { id: invoice!.id } })).periodEnd.getTime(),
    );
    expect((await db().invoice.findUniqueOrThrow({ where: { id: invoice!.id } })).status).toBe("paid");
    expect((await s.director.trainees.list({ school: s.slug })).items).toHaveLength(1);
    await s.director.trainees.create({ school: s.slug, ...traineeInput() });

    // No act at payment: once the period's first month is over, the act for its days is in the school's cabinet
    // (ADR 041), and it is the document it says it is.
    expect((await s.director.billing.overview({ school: s.slug })).documents).toHaveLength(0);
    await db().$transaction((tx) => issueMonthAct(tx, s.schoolId, monthOf(isoDay(invoice!.periodStart)).first));
    const after = await s.director.billing.overview({ school: s.slug });
    expect(after.documents).toHaveLength(1);
    const act = await s.director.billing.document({ school: s.slug, id: after.documents[0]!.id });
    const text = (await pdfText(Buffer.from(act.base64, "base64"))).replace(/\s/g, " ");
    const drawn = await db().serviceAct.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    expect(text).toContain(after.documents[0]!.number);
    expect(text).toContain(formatTiyn(Number(drawn.totalTiyn)).replace(/\s/g, " "));
    expect(text).toContain(invoice!.number);
    const paidMail = await templates(s.schoolId);
    expect(count(paidMail, "paymentReceived")).toBe(1);
    expect(count(paidMail, "operatorRestored")).toBe(1);

    // The act can't be changed or removed, not even on the operator's path; its first opening is kept.
    const stored = await db().schoolDocument.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    expect(stored.firstReadAt).not.toBeNull();
    await expect(
      db().schoolDocument.update({ where: { id: stored.id }, data: { content: new Uint8Array([1, 2, 3]) } }),
    ).rejects.toThrow(/immutable/);
    await expect(
      db().schoolDocument.update({ where: { id: stored.id }, data: { firstReadAt: new Date() } }),
    ).rejects.toThrow(/immutable/);
    await expect(db().schoolDocument.delete({ where: { id: stored.id } })).rejects.toThrow(/immutable/);
    await s.director.billing.document({ school: s.slug, id: stored.id });
    expect((await db().schoolDocument.findUniqueOrThrow({ where: { id: stored.id } })).firstReadAt).toEqual(
      stored.firstReadAt,
    );

    // Stripe delivering the same event again changes nothing.
    const completed = stripe.fake.events.filter((e) => e.type === "checkout.session.completed").at(-1)!;
    await stripe.fake.resend(completed.id);
    await stripe.fake.settle();
    expect(await db().payment.count({ where: { schoolId: s.schoolId } })).toBe(1);
    expect(await db().schoolDocument.count({ where: { schoolId: s.schoolId } })).toBe(1);

    // The next period is invoiced with the usual notice, not already overdue.
    await settleSchool(s.schoolId, today());
    const next = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId, status: "open" } });
    expect(next.dueOn.toISOString().slice(0, 10)).toBe(addDays(today(), 7));
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("active");
  });

  it("is restored by a bank transfer found in an imported 1C statement, and the same statement imported again pays nothing twice", async () => {
    const s = await schoolPaidThrough(50);
    const other = await schoolPaidThrough(50);
    const due = addDays(s.paidThrough, 1);
    await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
    await settleSchool(other.schoolId, addDays(s.paidThrough, -6));
    await settleSchool(s.schoolId, addDays(due, 40)); // a run after a long outage: straight to suspended
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("suspended");
    const sent = await templates(s.schoolId);
    expect(count(sent, "accessSuspended")).toBe(1);
    expect(count(sent, "accessPastDue") + count(sent, "accessRestricted")).toBe(0);
    expect(count(sent, "billingReminderAfter")).toBe(1); // only the latest of the missed reminders

    const inv = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    const otherInv = await db().invoice.findFirstOrThrow({ where: { schoolId: other.schoolId } });
    const school = await db().school.findUniqueOrThrow({ where: { id: s.schoolId } });
    const operatorIik = "KZ058562203130392523";
    const doc = (n: number, amount: string, purpose: string, bin = school.binIin, out = false) => [
      "СекцияДокумент=Платежное поручение",
      `Номер=${n}`,
      `Дата=${today().split("-").reverse().join(".")}`,
      `Сумма=${amount}`,
      `ПлательщикСчет=${out ? operatorIik : "KZ11111111111111111111"}`,
      `Плательщик=ТОО "${school.name}"`,
      `ПлательщикБИН=${bin}`,
      `ПолучательСчет=${out ? "KZ22222222222222222222" : operatorIik}`,
      `Получатель=ОЮЛ "CarLife.kz"`,
      "ПолучательБИН=140940023564",
      "КодНазначенияПлатежа=859",
      `НазначениеПлатежа=${purpose}`,
      "КонецДокумента",
    ];
    const text = [
      "1CClientBankExchange",
      "ВерсияФормата=1.03",
      "Кодировка=Windows",
      `ДатаНачала=${today().split("-").reverse().join(".")}`,
      `РасчСчет=${operatorIik}`,
      ...doc(101, "15000.00", `Оплата по счёту №${inv.number} за доступ к Avtomektep, без НДС`),
      ...doc(
        102,
        "14000.00",
        `Оплата по счету № ${otherInv.number}`,
        (await db().school.findUniqueOrThrow({ where: { id: other.schoolId } })).binIin,
      ),
      ...doc(103, "5000.00", "Благотворительная помощь"),
      ...doc(104, "15000.00", `Возврат по счёту ${inv.number}`, school.binIin, true),
      "КонецФайла",
    ].join("\r\n");
    const bytes = iconv.encode(text, "win1251");
    const operator = await addOperator("billing");
    const upload = () =>
      operator.caller.admin.billing.uploadStatement({ fileName: "kaspi.txt", base64: bytes.toString("base64") });

    const first = await upload();
    const preview = await operator.caller.admin.billing.statement({ id: first.id });
    expect(preview.rows.map((r) => [r.number, r.kind])).toEqual([
      ["101", "matched"],
      ["102", "amountMismatch"],
      ["103", "unknown"],
      ["104", "notReceipt"],
    ]);
    expect(preview.rows[0]!.invoice).toMatchObject({ number: inv.number, amountTiyn: 1_500_000 });
    expect(await operator.caller.admin.billing.applyStatement({ id: first.id })).toEqual({ paid: 1, matched: 1 });
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("active");
    expect((await db().invoice.findUniqueOrThrow({ where: { id: otherInv.id } })).status).toBe("open");
    expect(invoiceNumbersIn(preview.rows[0]!.purpose)).toEqual([inv.number]);

    const second = await upload();
    const again = await operator.caller.admin.billing.statement({ id: second.id });
    expect(again.rows[0]!.kind).toBe("alreadyApplied");
    expect(await operator.caller.admin.billing.applyStatement({ id: second.id })).toEqual({ paid: 0, matched: 0 });
    await expect(operator.caller.admin.billing.applyStatement({ id: first.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(await db().payment.count({ where: { invoiceId: inv.id } })).toBe(1);
  });

  it("refuses a file that is not a statement with a message naming the problem", async () => {
    const operator = await addOperator("billing");
    const stored = await db().bankStatement.count();
    expect(
      await refused(
        operator.caller.admin.billing.uploadStatement({
          fileName: "x.txt",
          base64: Buffer.from("hello").toString("base64"),
        }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("1CClientBankExchange") });
    const broken =
      "1CClientBankExchange\nДатаНачала=01.13.2026\nСекцияДокумент=Платежное поручение\nНомер=1\nДата=01.11.2026\nСумма=1.00\nКонецДокумента\nКонецФайла";
    expect(
      await refused(
        operator.caller.admin.billing.uploadStatement({
          fileName: "x.txt",
          base64: Buffer.from(broken).toString("base64"),
        }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("строке 2") });
    expect(await db().bankStatement.count()).toBe(stored);
    // a document with a date that doesn't exist is not a broken file: it is kept, listed as unreadable
    const { id } = await operator.caller.admin.billing.uploadStatement({
      fileName: "x.txt",
      base64: Buffer.from(
        broken.replace("01.13.2026", "01.11.2026").replace("Дата=01.11.2026", "Дата=01.13.2026"),
      ).toString("base64"),
    });
    expect((await operator.caller.admin.billing.statement({ id })).rows).toMatchObject([
      { number: "1", kind: "unreadable", reason: "badDate", reasonLine: 5, amountTiyn: 100 },
    ]);
  });
});

describe("card payments through Stripe", () => {
  it("a refund reopens the invoice and shortens the paid period; a refund delivered before its payment waits for it", async () => {
    const s = await schoolPaidThrough(3);
    await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
    const inv = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    await payByCard(s.director, s.slug, inv.id);
    const payment = await db().payment.findFirstOrThrow({ where: { invoiceId: inv.id } });
    await stripe.fake.refund(payment.externalRef);
    await stripe.fake.settle();
    expect((await db().invoice.findUniqueOrThrow({ where: { id: inv.id } })).status).toBe("open");
    expect(
      (await db().subscription.findUniqueOrThrow({ where: { schoolId: s.schoolId } })).paidThrough
        .toISOString()
        .slice(0, 10),
    ).toBe(s.paidThrough);
    expect(count(await templates(s.schoolId), "operatorRefund")).toBe(1);

    // Out of order: the refund of a second payment reaches us before the payment itself.
    const { receiveEvent } = await import("./webhook.ts");
    const { url } = await s.director.billing.checkout({ school: s.slug, id: inv.id });
    const sessionId = url.split("/").at(-1)!;
    const silent = await (await import("../../dev/stripe/index.ts")).startStripeFake({
      port: 0,
      webhookUrl: null,
      webhookSecret: "x",
    });
    try {
      process.env.STRIPE_API_BASE = silent.url;
      const { url: silentUrl } = await s.director.billing.checkout({ school: s.slug, id: inv.id });
      const completed = await silent.complete(silentUrl.split("/").at(-1)!);
      const pi = (completed.data.object as { payment_intent: string }).payment_intent;
      const refunded = await silent.refund(pi);
      expect(await receiveEvent(refunded)).toBe("waiting");
      expect(await receiveEvent(completed)).toBe("paid");
      expect(await receiveEvent(completed)).toBe("duplicate");
      const p = await db().payment.findFirstOrThrow({ where: { externalRef: pi } });
      expect(Number(p.refundedTiyn)).toBe(Number(p.amountTiyn));
      expect((await db().invoice.findUniqueOrThrow({ where: { id: inv.id } })).status).toBe("open");
    } finally {
      process.env.STRIPE_API_BASE = stripe.fake.url;
      await silent.close();
    }
    expect(sessionId).toMatch(/^cs_/);
  });

  it("refuses a webhook with a bad signature and stores nothing", async () => {
    const { handleStripeWebhook } = await import("./webhook.ts");
    const body = Buffer.from(
      JSON.stringify({ id: "evt_forged", type: "checkout.session.completed", data: { object: {} } }),
    );
    const r = await handleStripeWebhook(body, "t=1,v1=deadbeef");
    expect(r.status).toBe(400);
    expect(await db().stripeEvent.count({ where: { id: "evt_forged" } })).toBe(0);
  });

  it("a card payment can't be started for a paid invoice or another school's invoice", async () => {
    const a = await schoolPaidThrough(3);
    const b = await schoolPaidThrough(3);
    await settleSchool(b.schoolId, addDays(b.paidThrough, -6));
    const bInv = await db().invoice.findFirstOrThrow({ where: { schoolId: b.schoolId } });
    await expect(a.director.billing.checkout({ school: a.slug, id: bInv.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(a.director.billing.invoicePdf({ school: a.slug, id: bInv.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("tariffs, limits and the operator", () => {
  it("a price change published with less than 7 days' notice is refused; with notice, periods from its date are invoiced at the new price", async () => {
    const op = await addOperator("super_admin");
    const start = await db().tariffPlan.findUniqueOrThrow({ where: { code: "start" } });
    expect(
      await refused(
        op.caller.admin.billing.publishTariff({
          planId: start.id,
          price: "20000",
          period: "month",
          maxTrainees: "100",
          maxStaff: "5",
          effectiveFrom: addDays(today(), 6),
        }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("7 календарных дней") });
    const effective = addDays(today(), 20);
    await op.caller.admin.billing.publishTariff({
      planId: start.id,
      price: "20000",
      period: "month",
      maxTrainees: "100",
      maxStaff: "5",
      effectiveFrom: effective,
    });

    const before = await schoolPaidThrough(-5); // next period starts in 6 days: old price
    const after = await schoolPaidThrough(-25); // next period starts after the change: new price
    await settleSchool(before.schoolId, today());
    await settleSchool(after.schoolId, addDays(after.paidThrough, -6));
    expect(Number((await db().invoice.findFirstOrThrow({ where: { schoolId: before.schoolId } })).amountTiyn)).toBe(
      1_500_000,
    );
    expect(Number((await db().invoice.findFirstOrThrow({ where: { schoolId: after.schoolId } })).amountTiyn)).toBe(
      2_000_000,
    );
    const overview = await after.director.billing.overview({ school: after.slug });
    expect(overview.plans.find((p) => p.code === "start")!.upcoming).toMatchObject({
      priceTiyn: 2_000_000,
      effectiveFrom: effective,
    });

    // The directors are told (10.2, ADR 030): the notice's fan-out, run twice, gives one banner, e-mail and document each.
    const notice = await db().notice.findFirstOrThrow({
      where: { kind: "tariff_change" },
      orderBy: { createdAt: "desc" },
    });
    expect(notice.summaryRu).toMatch(/«Старт»: 15\s000,00\s₸ → 20\s000,00\s₸ в месяц/);
    await fanOutNotice(notice.id);
    await fanOutNotice(notice.id);
    const banner = await after.director.notices.workspace({ school: after.slug });
    expect(banner.banners).toEqual([
      expect.objectContaining({ kind: "tariff_change", summaryKk: expect.stringContaining("«Бастау»") }),
    ]);
    expect(await db().noticeRecipient.count({ where: { noticeId: notice.id, userId: after.userId } })).toBe(1);
    expect(await db().outboxEvent.count({ where: { jobId: `notice-${notice.id}-${after.userId}` } })).toBe(1);
    expect(
      await db().schoolDocument.count({
        where: { schoolId: after.schoolId, kind: "offer_notice", number: "TARIFF-start-2" },
      }),
    ).toBe(1);
  });

  it("the trainee limit gives a clear message, and a bigger plan lifts it at once", async () => {
    const s = await schoolPaidThrough(-10);
    const small = await db().tariffPlan.create({
      data: { id: crypto.randomUUID(), code: `tiny-${Date.now()}`, nameKk: "Кішкентай", nameRu: "Мини", sort: 99 },
    });
    await db().tariffVersion.create({
      data: {
        id: crypto.randomUUID(),
        planId: small.id,
        version: 1,
        period: "month",
        priceTiyn: 500_000n,
        maxTrainees: 2,
        maxStaff: 1,
        effectiveFrom: new Date("2026-01-01"),
      },
    });
    await s.director.billing.changePlan({ school: s.slug, planId: small.id });
    await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    expect(await refused(s.director.trainees.create({ school: s.slug, ...traineeInput() }))).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("не больше 2 активных курсантов"),
    });
    await expect(
      s.director.staff.invite({ school: s.slug, email: "one@test.kz", role: "teacher" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const standard = await db().tariffPlan.findUniqueOrThrow({ where: { code: "standard" } });
    await s.director.billing.changePlan({ school: s.slug, planId: standard.id });
    await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    // Back down to a plan the school has outgrown: refused with the numbers.
    expect(await refused(s.director.billing.changePlan({ school: s.slug, planId: small.id }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("3"),
    });
  });

  it("a plan change before the period starts re-issues its unpaid invoice at the new price", async () => {
    const s = await schoolPaidThrough(-5);
    await settleSchool(s.schoolId, today());
    const first = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    const standard = await db().tariffPlan.findUniqueOrThrow({ where: { code: "standard" } });
    await s.director.billing.changePlan({ school: s.slug, planId: standard.id });
    const invoices = await db().invoice.findMany({ where: { schoolId: s.schoolId }, orderBy: { createdAt: "asc" } });
    expect(invoices.map((i) => [i.status, Number(i.amountTiyn)])).toEqual([
      ["void", 1_500_000],
      ["open", 3_500_000],
    ]);
    expect(invoices[1]!.periodStart.getTime()).toBe(first.periodStart.getTime());
  });

  it("the operator suspends and restores by hand with a reason, audited; the daily run does not undo the restore for the same invoice", async () => {
    const s = await schoolPaidThrough(40);
    await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
    await settleSchool(s.schoolId, today());
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("suspended");
    const op = await addOperator("billing");
    await expect(
      op.caller.admin.billing.setAccess({ schoolId: s.schoolId, action: "restore", reason: "" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await op.caller.admin.billing.setAccess({
      schoolId: s.schoolId,
      action: "restore",
      reason: "Обещали оплатить до пятницы, письмо №15",
    });
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("trial");
    await settleSchool(s.schoolId, today());
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("trial");
    const entries = await db().auditLog.findMany({ where: { schoolId: s.schoolId, action: "billing.access_changed" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toMatchObject({ reason: "Обещали оплатить до пятницы, письмо №15", to: "trial" });
    await op.caller.admin.billing.setAccess({ schoolId: s.schoolId, action: "suspend", reason: "Повторная неоплата" });
    await expect(s.director.trainees.list({ school: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  /** A school ten days past its paid period, restricted by the daily run, its invoice open; a billing operator. */
  async function overdueTenDays() {
    const s = await schoolPaidThrough(10);
    await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
    await settleSchool(s.schoolId, today());
    const inv = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    return { s, inv, op: await addOperator("billing") };
  }

  it("a manual confirmation of a transfer pays the invoice once; the same bank reference twice is refused", async () => {
    const { s, inv, op } = await overdueTenDays();
    const confirm = (amount: string, reference: string, receivedOn = today()) =>
      op.caller.admin.billing.confirmPayment({ invoiceId: inv.id, amount, receivedOn, reference });
    await expect(confirm("abc", "ПП-77")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(confirm("15000", "ПП-77", addDays(today(), 1))).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await confirm("10000", "ПП-77")).toMatchObject({ outcome: "partial" });
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("restricted");
    await expect(confirm("5000", "ПП-77")).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await confirm("5000", "ПП-78")).toMatchObject({ outcome: "paid", restoredTo: "active" });
  });

  it("a school the operator suspended by hand stays suspended when it pays; the operator is told, and restores it", async () => {
    const { s, inv, op } = await overdueTenDays();
    await op.caller.admin.billing.setAccess({ schoolId: s.schoolId, action: "suspend", reason: "Жалоба на рассылку" });

    // The invoice is paid in full: settled, the paid period extended, but the school stays suspended.
    const paid = await op.caller.admin.billing.confirmPayment({
      invoiceId: inv.id,
      amount: "15000",
      receivedOn: today(),
      reference: "ПП-90",
    });
    expect(paid).toMatchObject({ outcome: "paid", restoredTo: null });
    expect((await db().invoice.findUniqueOrThrow({ where: { id: inv.id } })).status).toBe("paid");
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("suspended");
    await expect(s.director.trainees.list({ school: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The next day's run leaves it so as well.
    await settleSchool(s.schoolId, addDays(today(), 1));
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("suspended");
    const mail = await templates(s.schoolId);
    expect(count(mail, "operatorPaidWhileSuspended")).toBe(1);
    expect(count(mail, "operatorRestored")).toBe(0);

    // The operator lifts it: the paid school is active.
    await op.caller.admin.billing.setAccess({ schoolId: s.schoolId, action: "restore", reason: "Рассылку прекратили" });
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("active");
    expect((await s.director.trainees.list({ school: s.slug })).items).toHaveLength(0);
  });

  it("invoices carry the operator's requisites and the VAT line when the operator charges VAT", async () => {
    const op = await addOperator("super_admin");
    const { settings, requisites } = await op.caller.admin.billing.settings();
    await op.caller.admin.billing.saveSettings({ settings: { ...settings, vatRateBp: 1600 }, requisites });
    const s = await schoolPaidThrough(-5);
    await settleSchool(s.schoolId, today());
    const inv = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    const text = await pdfText(
      Buffer.from((await s.director.billing.invoicePdf({ school: s.slug, id: inv.id })).base64, "base64"),
    );
    expect(text).toContain(inv.number);
    expect(text).toContain("140940023564");
    expect(text).toContain("KZ058562203130392523");
    expect(text).toMatch(/НДС 16%/);
    expect(text).toMatch(/2\s068,97/); // 16% included in 15 000 ₸
    await op.caller.admin.billing.saveSettings({ settings: { ...settings, vatRateBp: null }, requisites });
  });
});
