// Changing a plan mid-period (ADR 043): an upgrade at once with the difference for the days already invoiced
// charged pro rata by an invoice of its own; a downgrade from the first day not yet invoiced; the operator's change
// with a reason; the change a school has waiting called off. Real PostgreSQL, the outbox and the billing day.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { operatorDb } from "../db/client.ts";
import { addDays, daysBetween, dbDay, isoDay } from "../../domain/kz/time.ts";
import { pdfText } from "../../tests/documents.ts";
import ExcelJS from "exceljs";
import { addOperator, callerFor, traineeInput } from "../../tests/factories.ts";
import { refused } from "../../tests/refusal.ts";
import { outboxTemplates, schoolMidPeriod, schoolPaidThrough, today } from "../../tests/billing.ts";
import { settleSchool } from "./cycle.ts";
import { issueMonthAct, monthOf } from "./acts.ts";
import { periodPrice, quoteChange } from "./plan-change.ts";
import { nextPeriod } from "./rules.ts";

const db = () => operatorDb();
const START = { period: "month" as const, priceTiyn: 1_500_000 };
const STANDARD = { period: "month" as const, priceTiyn: 3_500_000 };
const STANDARD_YEAR = { period: "year" as const, priceTiyn: 35_000_000 };
const plan = (code: string) => db().tariffPlan.findUniqueOrThrow({ where: { code } });

describe("what a change costs (the arithmetic)", () => {
  it("an upgrade on 07.12 of a December paid on Start: Standard's difference for 25 of 31 days", () => {
    const q = quoteChange({
      today: "2026-12-07",
      ahead: [{ start: "2026-12-01", end: "2026-12-31" }],
      current: () => START,
      target: () => STANDARD,
    });
    // (35 000 − 15 000) ₸ × 25 / 31 = 16 129,03 ₸
    expect(q).toEqual({
      kind: "upgrade",
      effectiveOn: "2026-12-07",
      chargeTiyn: 1_612_903,
      chargeFrom: "2026-12-07",
      chargeTo: "2026-12-31",
    });
  });

  it("a January paid ahead is charged in full, beside the rest of December", () => {
    const q = quoteChange({
      today: "2026-12-07",
      ahead: [
        { start: "2027-01-01", end: "2027-01-31" },
        { start: "2026-12-01", end: "2026-12-31" },
      ],
      current: () => START,
      target: () => STANDARD,
    });
    expect([q.chargeTiyn, q.chargeFrom, q.chargeTo]).toEqual([1_612_903 + 2_000_000, "2026-12-07", "2027-01-31"]);
  });

  it("a downgrade waits for the first day not invoiced; a change with nothing invoiced ahead is free and at once", () => {
    const ahead = [{ start: "2026-12-01", end: "2026-12-31" }];
    expect(quoteChange({ today: "2026-12-07", ahead, current: () => STANDARD, target: () => START })).toEqual({
      kind: "downgrade",
      effectiveOn: "2027-01-01",
      chargeTiyn: 0,
      chargeFrom: null,
      chargeTo: null,
    });
    expect(quoteChange({ today: "2026-12-07", ahead: [], current: () => START, target: () => STANDARD })).toEqual({
      kind: "now",
      effectiveOn: "2026-12-07",
      chargeTiyn: 0,
      chargeFrom: null,
      chargeTo: null,
    });
  });

  it("a yearly plan's price for a month is scaled by days: Standard (yearly) for December 2026", () => {
    // 350 000 ₸ × 31 / 365 = 29 726,03 ₸
    expect(periodPrice(STANDARD_YEAR, { start: "2026-12-01", end: "2026-12-31" })).toBe(2_972_603);
    expect(periodPrice(STANDARD_YEAR, { start: "2026-12-01", end: "2027-11-30" })).toBe(35_000_000);
  });

  it("any day of any month: an upgrade costs at most the whole difference, and the whole of it on the period's first day", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2026-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 30 }),
        (d, offset) => {
          const start = isoDay(d);
          const period = nextPeriod(addDays(start, -1), "month");
          const on = addDays(start, Math.min(offset, daysBetween(start, period.end)));
          const q = quoteChange({ today: on, ahead: [period], current: () => START, target: () => STANDARD });
          expect(q.kind).toBe("upgrade");
          expect(q.chargeTiyn).toBeLessThanOrEqual(2_000_000);
          if (on === start) expect(q.chargeTiyn).toBe(2_000_000);
          expect(q.chargeFrom).toBe(on);
          expect(q.chargeTo).toBe(period.end);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("a director changes the plan mid-period", () => {
  it("an upgrade: the new plan at once, and an invoice for the difference for the rest of the period, paid like any other", async () => {
    const s = await schoolMidPeriod("start");
    const standard = await plan("standard");
    const left = daysBetween(today(), s.period.end) + 1;
    const all = daysBetween(s.period.start, s.period.end) + 1;
    const charge = Math.round((2_000_000 * left) / all);

    const { planChange } = await s.director.billing.overview({ school: s.slug });
    expect(planChange.quotes[standard.id]).toMatchObject({ kind: "upgrade", chargeTiyn: charge });

    const r = await s.director.billing.changePlan({ school: s.slug, planId: standard.id });
    expect([r.kind, r.chargeTiyn, r.chargeFrom, r.chargeTo]).toEqual(["upgrade", charge, today(), s.period.end]);
    expect((await db().subscription.findUniqueOrThrow({ where: { schoolId: s.schoolId } })).planId).toBe(standard.id);

    const invoice = await db().invoice.findUniqueOrThrow({ where: { id: r.invoice!.id } });
    expect([Number(invoice.amountTiyn), isoDay(invoice.periodStart), isoDay(invoice.periodEnd)]).toEqual([
      charge,
      today(),
      s.period.end,
    ]);
    expect(isoDay(invoice.dueOn)).toBe(addDays(today(), 7));
    const text = await pdfText(
      Buffer.from((await s.director.billing.invoicePdf({ school: s.slug, id: invoice.id })).base64, "base64"),
    );
    expect(text.replace(/\s+/g, " ")).toContain("разница за переход с тарифа «Старт» на тариф «Стандарт»");

    const mail = (await outboxTemplates(s.email)).filter((m) => m.template === "planUpgraded");
    expect(mail).toHaveLength(1);
    expect(mail[0]!.params).toMatchObject({ number: invoice.number, plan: "Стандарт", was: "Старт" });

    // Paid: the access period stays where it was (the days were already paid); nothing else is owed.
    const op = await addOperator("billing");
    await op.caller.admin.billing.confirmPayment({
      invoiceId: invoice.id,
      amount: (charge / 100).toFixed(2),
      receivedOn: today(),
      reference: "ПП-4410",
    });
    const after = await s.director.billing.overview({ school: s.slug });
    expect(after.paidThrough).toBe(s.period.end);
    expect(after.invoices.filter((i) => i.status === "open")).toHaveLength(0);

    // The month's act carries the charge's days of this month under both plans' names, and so does the ЭСФ register.
    const month = monthOf(today()).first;
    await db().$transaction((tx) => issueMonthAct(tx, s.schoolId, month));
    const act = await db().serviceAct.findUniqueOrThrow({
      where: { schoolId_month: { schoolId: s.schoolId, month: dbDay(month) } },
    });
    const chargeLine = await db().serviceActLine.findFirstOrThrow({ where: { actId: act.id, invoiceId: invoice.id } });
    const lastDay = monthOf(today()).last < s.period.end ? monthOf(today()).last : s.period.end;
    const chargeDays = daysBetween(today(), lastDay) + 1;
    expect(Number(chargeLine.amountTiyn)).toBe(Math.round((charge * chargeDays) / left));
    await db().user.update({ where: { id: op.userId }, data: { locale: "ru" } });
    const file = await (await callerFor(op.userId)).admin.accounting.esfRegister({ month: month.slice(0, 7) });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, "base64") as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(col("№ счёта")).value === invoice.number);
    expect(row?.getCell(col("Наименование услуги")).value).toBe(
      "Доступ к системе Avtomektep: разница за переход с тарифа «Старт» на тариф «Стандарт»",
    );
  });

  it("a double click upgrades once: the second is told the plan is already the one chosen", async () => {
    const s = await schoolMidPeriod("start");
    const standard = await plan("standard");
    const results = await Promise.allSettled([
      s.director.billing.changePlan({ school: s.slug, planId: standard.id }),
      s.director.billing.changePlan({ school: s.slug, planId: standard.id }),
    ]);
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((x) => x.status === "rejected");
    expect(await refused(Promise.reject((lost as PromiseRejectedResult).reason))).toMatchObject({
      code: "CONFLICT",
    });
    expect(await db().invoice.count({ where: { schoolId: s.schoolId, planChangeId: { not: null } } })).toBe(1);
  });

  it("a downgrade waits for the next period: priced by the new plan, switched by the billing day on its first day", async () => {
    const s = await schoolMidPeriod("standard");
    const start = await plan("start");
    const standard = await plan("standard");
    const next = addDays(s.period.end, 1);

    const r = await s.director.billing.changePlan({ school: s.slug, planId: start.id });
    expect([r.kind, r.effectiveOn, r.chargeTiyn, r.invoice]).toEqual(["downgrade", next, 0, null]);
    expect((await db().subscription.findUniqueOrThrow({ where: { schoolId: s.schoolId } })).planId).toBe(standard.id);
    const page = await s.director.billing.overview({ school: s.slug });
    expect(page.planChange.waiting).toMatchObject({ toPlanId: start.id, effectiveOn: next });
    expect((await outboxTemplates(s.email)).map((m) => m.template)).toContain("planDowngradeScheduled");
    // the same choice again is told it is already waiting
    expect(await refused(s.director.billing.changePlan({ school: s.slug, planId: start.id }))).toMatchObject({
      code: "CONFLICT",
      message: "Переход на этот тариф уже назначен: он начнётся в первый неоплаченный день",
    });

    // The next period's invoice, issued a week ahead, is on the new plan's price.
    await settleSchool(s.schoolId, addDays(next, -7));
    const invoice = await db().invoice.findFirstOrThrow({
      where: { schoolId: s.schoolId, periodStart: dbDay(next), status: "open" },
    });
    expect([Number(invoice.amountTiyn), invoice.planId]).toEqual([1_500_000, start.id]);
    expect((await db().subscription.findUniqueOrThrow({ where: { schoolId: s.schoolId } })).planId).toBe(standard.id);

    // Its first day: the plan is switched (once, however often the day runs).
    await settleSchool(s.schoolId, next);
    await settleSchool(s.schoolId, next);
    expect((await db().subscription.findUniqueOrThrow({ where: { schoolId: s.schoolId } })).planId).toBe(start.id);
    expect(await db().planChange.count({ where: { schoolId: s.schoolId, appliedAt: { not: null } } })).toBe(1);
  });

  it("choosing the current plan again calls a waiting downgrade off, and an issued invoice goes back to the current price", async () => {
    const s = await schoolMidPeriod("standard");
    const start = await plan("start");
    const standard = await plan("standard");
    const next = addDays(s.period.end, 1);
    await settleSchool(s.schoolId, addDays(next, -7));
    await s.director.billing.changePlan({ school: s.slug, planId: start.id });
    const reissued = await db().invoice.findFirstOrThrow({
      where: { schoolId: s.schoolId, periodStart: dbDay(next), status: "open" },
    });
    expect(Number(reissued.amountTiyn)).toBe(1_500_000);

    const r = await s.director.billing.changePlan({ school: s.slug, planId: standard.id });
    expect(r.cancelled).toBe(true);
    expect((await s.director.billing.overview({ school: s.slug })).planChange.waiting).toBeNull();
    expect((await outboxTemplates(s.email)).map((m) => m.template)).toContain("planChangeCancelled");
    const open = await db().invoice.findMany({
      where: { schoolId: s.schoolId, periodStart: dbDay(next), status: { not: "void" } },
    });
    expect(open.map((i) => [Number(i.amountTiyn), i.planId])).toEqual([[3_500_000, standard.id]]);
    expect(await refused(s.director.billing.changePlan({ school: s.slug, planId: standard.id }))).toMatchObject({
      code: "CONFLICT",
    });
  });

  it("on trial days a change is free and at once", async () => {
    const s = await schoolPaidThrough(-10);
    const standard = await plan("standard");
    const r = await s.director.billing.changePlan({ school: s.slug, planId: standard.id });
    expect([r.kind, r.chargeTiyn, r.invoice]).toEqual(["now", 0, null]);
    expect(await db().invoice.count({ where: { schoolId: s.schoolId } })).toBe(0);
    expect((await outboxTemplates(s.email)).map((m) => m.template)).toContain("planChanged");
  });
});

describe("the operator changes a school's plan", () => {
  it("with a reason, audited, and the school is told the reason; an upgrade is charged like the director's", async () => {
    const s = await schoolMidPeriod("start");
    const network = await plan("network");
    const op = await addOperator("billing");
    expect(
      await refused(op.caller.admin.billing.changePlan({ schoolId: s.schoolId, planId: network.id, reason: "" })),
    ).toMatchObject({ code: "BAD_REQUEST" });

    const choices = await op.caller.admin.billing.planChoices({ schoolId: s.schoolId });
    expect(choices.quotes[network.id]!.kind).toBe("upgrade");
    const r = await op.caller.admin.billing.changePlan({
      schoolId: s.schoolId,
      planId: network.id,
      reason: "Письмо директора № 42 от сегодняшнего дня",
    });
    expect(r.chargeTiyn).toBe(choices.quotes[network.id]!.chargeTiyn);
    const audit = await db().auditLog.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: "billing.plan_changed_by_operator" },
    });
    expect(audit.details).toMatchObject({
      wasRu: "Старт",
      planRu: "Сеть",
      reason: "Письмо директора № 42 от сегодняшнего дня",
    });
    const mail = (await outboxTemplates(s.email)).find((m) => m.template === "planUpgraded");
    expect(mail!.params.note).toContain("Письмо директора № 42");

    // A school's director cannot use the operator's procedure.
    await expect(
      s.director.admin.billing.changePlan({ schoolId: s.schoolId, planId: network.id, reason: "сам себе" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("a plan too small for the school's trainees is refused with the numbers, and nothing changes", async () => {
    const s = await schoolMidPeriod("standard");
    const tiny = await db().tariffPlan.create({
      data: { id: randomUUID(), code: `tiny-${randomUUID().slice(0, 8)}`, nameKk: "Шағын", nameRu: "Мини", sort: 99 },
    });
    await db().tariffVersion.create({
      data: {
        id: randomUUID(),
        planId: tiny.id,
        version: 1,
        period: "month",
        priceTiyn: 500_000n,
        maxTrainees: 1,
        maxStaff: 5,
        effectiveFrom: new Date("2026-01-01"),
      },
    });
    await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    const op = await addOperator("billing");
    expect(
      await refused(
        op.caller.admin.billing.changePlan({ schoolId: s.schoolId, planId: tiny.id, reason: "по просьбе школы" }),
      ),
    ).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/1\D+2|2\D+1/) });
    expect(await db().planChange.count({ where: { schoolId: s.schoolId } })).toBe(0);
  });
});
