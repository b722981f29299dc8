// The reconciliation act and the month's ЭСФ register (ADR 041): what an accountant reconciles and enters, read
// from the ledger — the balances equal what the acts, payments, refunds and credit notes add up to.
import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import { operatorDb } from "../db/client.ts";
import { dbDay } from "../../domain/kz/time.ts";
import { schoolWithInvoices, today } from "../../tests/billing.ts";
import { pdfText } from "../../tests/documents.ts";
import { addOperator, callerFor } from "../../tests/factories.ts";
import { refusal } from "../../tests/refusal.ts";
import { issueMonthAct } from "./acts.ts";
import { reconciliation } from "./reconciliation.ts";

const db = () => operatorDb();

/** Two paid months of 10 000 ₸, paid in advance by transfer, acted at each month's end. */
async function reconciledSchool() {
  const s = await schoolWithInvoices([
    { start: "2025-10-01", end: "2025-10-31", amount: 1_000_000, paid: true },
    { start: "2025-11-01", end: "2025-11-30", amount: 1_000_000, paid: true },
  ]);
  const [oct, nov] = s.invoices as [(typeof s.invoices)[number], (typeof s.invoices)[number]];
  const tag = randomUUID().slice(0, 4);
  const payment = (invoiceId: string, ref: string, on: string) =>
    db().payment.create({
      data: {
        id: randomUUID(),
        schoolId: s.schoolId,
        invoiceId,
        method: "manual",
        externalRef: `${ref}-${tag}`,
        amountTiyn: 1_000_000n,
        receivedOn: dbDay(on),
      },
    });
  await payment(oct.id, "ПП-10", "2025-09-28");
  const p2 = await payment(nov.id, "ПП-11", "2025-10-29");
  await db().$transaction((tx) => issueMonthAct(tx, s.schoolId, "2025-10-01"));
  await db().$transaction((tx) => issueMonthAct(tx, s.schoolId, "2025-11-01"));
  return { ...s, oct, nov, p2, tag };
}

/** The ledger's own sums up to a day: acts − payments + refunds − credit notes. */
async function ledgerBalance(schoolId: string) {
  const acts = await db().serviceAct.aggregate({ where: { schoolId }, _sum: { totalTiyn: true } });
  const pays = await db().payment.aggregate({ where: { schoolId }, _sum: { amountTiyn: true, refundedTiyn: true } });
  const notes = await db().creditNote.aggregate({ where: { schoolId }, _sum: { amountTiyn: true } });
  return (
    Number(acts._sum.totalTiyn ?? 0n) -
    Number(pays._sum.amountTiyn ?? 0n) +
    Number(pays._sum.refundedTiyn ?? 0n) -
    Number(notes._sum.amountTiyn ?? 0n)
  );
}

describe("the reconciliation act", () => {
  it("opens with the balance before the range, lists every movement in it, and closes on the ledger's balance", async () => {
    const s = await reconciledSchool();
    const autumn = await reconciliation(db(), s.schoolId, "2025-10-01", "2025-11-30");
    const actNumbers = (
      await db().serviceAct.findMany({ where: { schoolId: s.schoolId }, orderBy: { month: "asc" } })
    ).map((a) => a.number);
    expect(autumn).toEqual({
      from: "2025-10-01",
      to: "2025-11-30",
      // October was paid in September: an advance
      openingTiyn: -1_000_000,
      lines: [
        {
          date: "2025-10-29",
          kind: "payment",
          number: `${s.nov.number} · ПП-11-${s.tag}`,
          debitTiyn: 0,
          creditTiyn: 1_000_000,
        },
        { date: "2025-10-31", kind: "act", number: actNumbers[0], debitTiyn: 1_000_000, creditTiyn: 0 },
        { date: "2025-11-30", kind: "act", number: actNumbers[1], debitTiyn: 1_000_000, creditTiyn: 0 },
      ],
      debitTiyn: 2_000_000,
      creditTiyn: 1_000_000,
      closingTiyn: 0,
    });

    // the operator refunds part of a payment and issues a credit note, from the desk (today)
    const op = await addOperator("billing");
    await op.caller.admin.billing.refundPayment({
      paymentId: s.p2.id,
      amount: "2000",
      reference: "ВЗ-1",
      requestKey: randomUUID(),
    });
    await op.caller.admin.billing.creditNote({
      invoiceId: s.nov.id,
      amount: "500",
      reason: "Сбой в работе 3 часа",
      requestKey: randomUUID(),
    });
    const all = await reconciliation(db(), s.schoolId, "2025-10-01", today());
    expect(all.lines.map((l) => [l.kind, l.debitTiyn, l.creditTiyn])).toEqual([
      ["payment", 0, 1_000_000],
      ["act", 1_000_000, 0],
      ["act", 1_000_000, 0],
      ...(all.lines[3]!.kind === "refund"
        ? [
            ["refund", 200_000, 0],
            ["credit_note", 0, 50_000],
          ]
        : [
            ["credit_note", 0, 50_000],
            ["refund", 200_000, 0],
          ]),
    ]);
    expect(all.closingTiyn).toBe(150_000);
    expect(all.closingTiyn).toBe(await ledgerBalance(s.schoolId));
    expect(all.openingTiyn + all.debitTiyn - all.creditTiyn).toBe(all.closingTiyn);

    // the school's director downloads it as a bilingual PDF
    const file = await s.director.billing.reconciliation({ school: s.slug, from: "2025-10-01", to: today() });
    expect(file.fileName).toMatch(/\.pdf$/);
    const text = (await pdfText(Buffer.from(file.base64, "base64"))).replace(/\s+/g, " ");
    expect(text).toContain("Өзара есеп айырысуларды салыстыру актісі / Акт сверки взаиморасчётов");
    expect(text).toContain(actNumbers[0]);
    expect(text).toContain("01.10.2025");
    expect(text).toMatch(/задолженность в пользу .* составляет 1 500,00 ₸/);
    expect(text).toMatch(/пайдасына берешек 1 500,00 ₸ құрайды/);
  });

  it("refuses a range that ends before it starts, in the reader's language", async () => {
    const s = await reconciledSchool();
    const error = await refusal(
      s.director.billing.reconciliation({ school: s.slug, from: "2025-12-01", to: "2025-11-01" }),
    );
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(error.fieldErrors?.to).toBe("Дата «по» не может быть раньше даты «с», и период — не длиннее пяти лет");
    const kk = await refusal(
      s.director.billing.reconciliation({ school: s.slug, from: "2025-12-01", to: "2025-11-01" }),
      "kk",
    );
    expect(kk.fieldErrors?.to).toBe("«Дейін» күні «бастап» күнінен ерте болмауы керек, кезең бес жылдан аспауы керек");
  });
});

describe("the month's acts and ЭСФ register", () => {
  it("lists the acts dated in the month with totals, and the register has a row per act line with the VAT", async () => {
    const s = await schoolWithInvoices([{ start: "2025-10-15", end: "2025-11-14", amount: 3_100_000, paid: true }]);
    await db().invoice.update({ where: { id: s.invoices[0]!.id }, data: { vatRateBp: 1200 } });
    await db().$transaction((tx) => issueMonthAct(tx, s.schoolId, "2025-10-01"));
    const op = await addOperator("billing");
    await db().user.update({ where: { id: op.userId }, data: { locale: "ru" } });
    const ru = await callerFor(op.userId);
    const month = await ru.admin.accounting.acts({ month: "2025-10" });
    const mine = month.acts.filter((a) => a.school.id === s.schoolId);
    // 17 of 31 days
    expect(mine.map((a) => [a.date, a.totalTiyn, a.vatTiyn])).toEqual([["2025-10-31", 1_700_000, 182_143]]);
    expect(month.totals.totalTiyn).toBe(month.acts.reduce((n, a) => n + a.totalTiyn, 0));
    expect(month.totals.count).toBe(month.acts.length);

    const file = await ru.admin.accounting.esfRegister({ month: "2025-10" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, "base64") as unknown as ExcelJS.Buffer);
    const acts = wb.worksheets[0]!;
    const header = (acts.getRow(1).values as string[]).slice(1);
    expect(header).toContain("Дата совершения оборота");
    const col = (name: string) => header.indexOf(name) + 1;
    const row = acts.getRows(2, acts.rowCount - 1)!.find((r) => r.getCell(col("№ акта")).value === mine[0]!.number)!;
    const school = await db().school.findUniqueOrThrow({ where: { id: s.schoolId } });
    expect(row.getCell(col("Дата совершения оборота")).value).toBe("31.10.2025");
    expect(row.getCell(col("БИН/ИИН получателя")).value).toBe(school.binIin);
    expect(row.getCell(col("Период оказания")).value).toBe("15.10.2025–31.10.2025");
    expect(row.getCell(col("Стоимость с НДС")).value).toBe(17_000);
    expect(row.getCell(col("Сумма НДС")).value).toBe(1821.43);
    expect(row.getCell(col("Стоимость без НДС")).value).toBe(15178.57);
    expect(row.getCell(col("Ставка НДС")).value).toBe("12%");
    // the totals row adds up the rows above it
    const last = acts.getRow(acts.rowCount);
    const sum = acts
      .getRows(2, acts.rowCount - 2)!
      .reduce((n, r) => n + Math.round(Number(r.getCell(col("Стоимость с НДС")).value) * 100), 0);
    expect(Math.round(Number(last.getCell(col("Стоимость с НДС")).value) * 100)).toBe(sum);
    await expect(ru.admin.accounting.acts({ month: "2025-13" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
