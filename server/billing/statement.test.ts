// Bank statements account for every document: each СекцияДокумент of a file lands in exactly one category of
// the preview, with counts and sums that add up to the file's — for a classic 1C file, a Kazakh bank's file
// (…ИИК, plain integer Сумма) and a file with one document of every category; a re-upload pays nothing twice,
// and an unmatched receipt assigned to an invoice by hand pays it once.
import iconv from "iconv-lite";
import { operatorDb } from "../db/client.ts";
import { addDays } from "../../domain/kz/time.ts";
import { addOperator } from "../../tests/factories.ts";
import { refused } from "../../tests/refusal.ts";
import { schoolPaidThrough, today } from "../../tests/billing.ts";
import { settleSchool } from "./cycle.ts";

const db = () => operatorDb();
const BCC = "KZ058562203130392523";
const KASPI = "KZ04722S000040001309";
const dmy = (iso: string) => iso.split("-").reverse().join(".");

/** A school with one open invoice of exactly `amountTiyn`. */
async function openInvoice(amountTiyn: number) {
  const s = await schoolPaidThrough(3);
  await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
  const inv = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
  await db().invoice.update({ where: { id: inv.id }, data: { amountTiyn } });
  const school = await db().school.findUniqueOrThrow({ where: { id: s.schoolId } });
  return { id: inv.id, number: inv.number, schoolId: s.schoolId, bin: school.binIin, name: school.name };
}

type Doc = {
  number: number;
  amount: string;
  purpose: string;
  payerBin?: string;
  from?: string;
  to?: string;
  accountKey?: "Счет" | "ИИК" | " ИИК";
  amountKey?: "Сумма" | "СуммаПриход" | "СуммаРасход";
};
function statementFile(docs: Doc[], totals: { credited?: string; debited?: string } = {}, account = BCC): string {
  const date = dmy(today());
  return [
    "1CClientBankExchange",
    "ВерсияФормата=1.03",
    `ДатаНачала=${date}`,
    `ДатаКонца=${date}`,
    `РасчСчет=${account}`,
    "СекцияРасчСчет",
    `РасчСчет=${account}`,
    ...(totals.credited ? [`ВсегоПоступило=${totals.credited}`] : []),
    ...(totals.debited ? [`ВсегоСписано=${totals.debited}`] : []),
    "КонецРасчСчет",
    ...docs.flatMap((d) => [
      "СекцияДокумент=Платежное поручение",
      `Номер=${d.number}`,
      `Дата=${date}`,
      `${d.amountKey ?? "Сумма"}=${d.amount}`,
      `Плательщик${d.accountKey ?? "Счет"}=${d.from ?? "KZ11111111111111111111"}`,
      'Плательщик=ТОО "Автошкола"',
      `ПлательщикБИН=${d.payerBin ?? "150640012345"}`,
      `Получатель${d.accountKey ?? "Счет"}=${d.to ?? account}`,
      'Получатель=ОЮЛ "CarLife.kz"',
      "ПолучательБИН=140940023564",
      "КодНазначенияПлатежа=859",
      `НазначениеПлатежа=${d.purpose}`,
      "КонецДокумента",
    ]),
    "КонецФайла",
  ].join("\r\n");
}

type Preview = Awaited<ReturnType<Awaited<ReturnType<typeof addOperator>>["caller"]["admin"]["billing"]["statement"]>>;
/** The preview's categories that have documents, as [kind, count, sum]. */
const counts = (p: Preview) => p.categories.filter((c) => c.count > 0).map((c) => [c.kind, c.count, c.sumTiyn]);
/** Every document in exactly one category, and the categories add up to the file. */
function addsUp(p: Preview) {
  expect(p.rows).toHaveLength(p.file.count);
  expect(new Set(p.rows.map((r) => r.line)).size).toBe(p.file.count);
  expect(p.categories.reduce((s, c) => s + c.count, 0)).toBe(p.file.count);
  expect(p.categories.reduce((s, c) => s + c.sumTiyn, 0)).toBe(p.file.sumTiyn);
  expect(p.totals).toMatchObject({ count: p.file.count, sumTiyn: p.file.sumTiyn });
}

async function upload(caller: Awaited<ReturnType<typeof addOperator>>["caller"], bytes: Uint8Array, name: string) {
  const { id } = await caller.admin.billing.uploadStatement({
    fileName: name,
    base64: Buffer.from(bytes).toString("base64"),
  });
  return id;
}

describe("a classic 1C statement (…Счет, Сумма=120000.50, Windows-1251)", () => {
  it("lists its receipt as matched and its rent payment as not a receipt; the totals are the file's and the bank's", async () => {
    const inv = await openInvoice(12_000_050);
    const op = await addOperator("billing");
    const text = statementFile(
      [
        { number: 317, amount: "120000.50", purpose: `Оплата по счёту № ${inv.number} без НДС`, payerBin: inv.bin },
        { number: 1204, amount: "35000.00", purpose: "Аренда офиса", from: BCC, to: "KZ42914002203KZ00911" },
      ],
      { credited: "120000.50", debited: "35000.00" },
    );
    const id = await upload(op.caller, iconv.encode(text, "win1251"), "classic.txt");
    const p = await op.caller.admin.billing.statement({ id });
    expect(counts(p)).toEqual([
      ["matched", 1, 12_000_050],
      ["notReceipt", 1, 3_500_000],
    ]);
    expect(p.rows.map((r) => [r.number, r.kind, r.reason])).toEqual([
      ["317", "matched", null],
      ["1204", "notReceipt", "outgoing"],
    ]);
    addsUp(p);
    expect(p.file).toMatchObject({
      count: 2,
      sumTiyn: 15_500_050,
      credited: 12_000_050,
      debited: 3_500_000,
      bankCredited: 12_000_050,
      bankDebited: 3_500_000,
      mismatch: false,
    });
    expect(await op.caller.admin.billing.applyStatement({ id })).toEqual({ paid: 1, matched: 1 });
    expect((await db().invoice.findUniqueOrThrow({ where: { id: inv.id } })).status).toBe("paid");
    // after applying, the receipt is still "matched" — applied by this statement
    const after = await op.caller.admin.billing.statement({ id });
    expect(counts(after)).toEqual(counts(p));
    expect(after.rows[0]!.payment).toEqual({ invoiceNumber: inv.number, thisStatement: true });
  });
});

describe("a Kazakh bank's statement (…ИИК, plain Сумма=120000, UTF-8)", () => {
  it("is no longer lost: its receipt is matched and paid, the bank's commission is not a receipt", async () => {
    const inv = await openInvoice(12_000_000);
    const op = await addOperator("billing");
    const text = statementFile(
      [
        {
          number: 731,
          amount: "120000",
          purpose: `№ ${inv.number} шот бойынша төлем, ҚҚС-сыз`,
          payerBin: inv.bin,
          accountKey: "ИИК",
          to: "kz04 722s 0000 4000 1309",
        },
        {
          number: 5,
          amount: "2500",
          purpose: "Комиссия банка",
          accountKey: " ИИК",
          from: KASPI,
          to: "KZ55722C000022014099",
        },
      ],
      { credited: "120000", debited: "2500" },
      KASPI,
    );
    const id = await upload(op.caller, new TextEncoder().encode(text), "kaspi.txt");
    const p = await op.caller.admin.billing.statement({ id });
    expect(counts(p)).toEqual([
      ["matched", 1, 12_000_000],
      ["notReceipt", 1, 250_000],
    ]);
    addsUp(p);
    expect(p.file).toMatchObject({ count: 2, sumTiyn: 12_250_000, bankCredited: 12_000_000, mismatch: false });
    expect(await op.caller.admin.billing.applyStatement({ id })).toEqual({ paid: 1, matched: 1 });
    const payment = await db().payment.findFirstOrThrow({ where: { invoiceId: inv.id } });
    expect(Number(payment.amountTiyn)).toBe(12_000_000);
    expect(payment.statementId).toBe(id);
  });
});

describe("a statement with one document of every category", () => {
  it("accounts for each, re-uploaded pays nothing twice, and a receipt assigned by hand pays its invoice once", async () => {
    const [matched, mismatch, closed, before, byHand] = [
      await openInvoice(1_500_000),
      await openInvoice(1_500_000),
      await openInvoice(1_500_000),
      await openInvoice(700_000),
      await openInvoice(500_000),
    ];
    await db().invoice.update({ where: { id: closed.id }, data: { status: "void" } });
    const op = await addOperator("billing");

    // an earlier statement paid `before`: the same document in the new file is "already applied"
    const earlier = statementFile([
      { number: 40, amount: "7000.00", purpose: `счёт ${before.number}`, payerBin: before.bin },
    ]);
    const earlierId = await upload(op.caller, iconv.encode(earlier, "win1251"), "earlier.txt");
    expect(await op.caller.admin.billing.applyStatement({ id: earlierId })).toEqual({ paid: 1, matched: 1 });

    const docs: Doc[] = [
      { number: 41, amount: "15000.00", purpose: `Оплата по счёту №${matched.number}`, payerBin: matched.bin },
      { number: 42, amount: "14000,00", purpose: `Оплата по счёту № ${mismatch.number}`, payerBin: mismatch.bin },
      { number: 43, amount: "5000", purpose: "Оплата за доступ, счёт потерялся", payerBin: byHand.bin },
      { number: 44, amount: "15000.00", purpose: `Оплата ${closed.number}`, payerBin: closed.bin },
      { number: 40, amount: "7000.00", purpose: `счёт ${before.number}`, payerBin: before.bin },
      { number: 45, amount: "35000.00", purpose: "Аренда", from: BCC, to: "KZ42914002203KZ00911" },
      { number: 46, amount: "сто тенге", purpose: `Оплата ${matched.number}` },
    ];
    // the bank's own total includes the unreadable document's 1 000 ₸: the file doesn't add up, and says so
    const text = statementFile(docs, { credited: "57000.00", debited: "35000.00" });
    const bytes = iconv.encode(text, "win1251");
    const id = await upload(op.caller, bytes, "mixed.txt");
    const p = await op.caller.admin.billing.statement({ id });
    expect(counts(p)).toEqual([
      ["matched", 1, 1_500_000],
      ["amountMismatch", 1, 1_400_000],
      ["unknown", 1, 500_000],
      ["invoiceClosed", 1, 1_500_000],
      ["alreadyApplied", 1, 700_000],
      ["notReceipt", 1, 3_500_000],
      ["unreadable", 1, 0],
    ]);
    expect(p.rows.map((r) => [r.number, r.kind, r.reason, r.assignable])).toEqual([
      ["41", "matched", null, false],
      ["42", "amountMismatch", null, true],
      ["43", "unknown", null, true],
      ["44", "invoiceClosed", null, false],
      ["40", "alreadyApplied", null, false],
      ["45", "notReceipt", "outgoing", false],
      ["46", "unreadable", "badAmount", false],
    ]);
    expect(p.rows[6]).toMatchObject({ amountTiyn: null, reasonLine: p.rows[6]!.line + 3 });
    addsUp(p);
    expect(p.totals).toEqual({ count: 7, sumTiyn: 9_100_000, unknownAmounts: 1 });
    expect(p.file).toMatchObject({ count: 7, credited: 5_600_000, bankCredited: 5_700_000, mismatch: true });

    // apply: only the matched one is paid
    expect(await op.caller.admin.billing.applyStatement({ id })).toEqual({ paid: 1, matched: 1 });
    const paymentsAfterApply = await db().payment.count({ where: { method: "bank" } });

    // the same file again: nothing to apply, the paid receipts are "already applied"
    const againId = await upload(op.caller, bytes, "mixed-again.txt");
    const again = await op.caller.admin.billing.statement({ id: againId });
    expect(counts(again)).toEqual([
      ["amountMismatch", 1, 1_400_000],
      ["unknown", 1, 500_000],
      ["invoiceClosed", 1, 1_500_000],
      ["alreadyApplied", 2, 2_200_000],
      ["notReceipt", 1, 3_500_000],
      ["unreadable", 1, 0],
    ]);
    addsUp(again);
    expect(await op.caller.admin.billing.applyStatement({ id: againId })).toEqual({ paid: 0, matched: 0 });
    expect(await db().payment.count({ where: { method: "bank" } })).toBe(paymentsAfterApply);

    // the unknown receipt assigned by hand to its invoice — from the second upload's preview
    const unknownLine = again.rows.find((r) => r.number === "43")!.line;
    expect(
      await op.caller.admin.billing.assignStatementDocument({
        id: againId,
        line: unknownLine,
        invoiceNumber: ` ${byHand.number.toLowerCase()} `,
      }),
    ).toEqual({ outcome: "paid", invoice: byHand.number, document: "43" });
    expect((await db().invoice.findUniqueOrThrow({ where: { id: byHand.id } })).status).toBe("paid");
    // …and not a second time, from either upload, nor twice at once
    expect(
      await refused(
        op.caller.admin.billing.assignStatementDocument({
          id: againId,
          line: unknownLine,
          invoiceNumber: byHand.number,
        }),
      ),
    ).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("уже зачтён") });
    const settled = await Promise.allSettled(
      [id, id].map((sid) =>
        op.caller.admin.billing.assignStatementDocument({ id: sid, line: unknownLine, invoiceNumber: mismatch.number }),
      ),
    );
    expect(settled.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await db().payment.count({ where: { invoiceId: byHand.id } })).toBe(1);
    expect(await db().payment.count({ where: { invoiceId: mismatch.id } })).toBe(0);
    const audited = await db().auditLog.findMany({
      where: { action: "billing.statement_document_assigned", actorUserId: op.userId },
    });
    expect(audited.map((a) => a.details)).toEqual([
      expect.objectContaining({
        statementId: againId,
        document: "43",
        invoice: byHand.number,
        was: "unknown",
        outcome: "paid",
      }),
    ]);

    // the first upload now shows it as already applied (from the other upload); nothing was lost or doubled
    const first = await op.caller.admin.billing.statement({ id });
    expect(first.rows.find((r) => r.number === "43")).toMatchObject({
      kind: "alreadyApplied",
      payment: { invoiceNumber: byHand.number, thisStatement: false },
    });
    addsUp(first);
    // re-uploading once more: the hand-assigned receipt is already applied too
    const third = await op.caller.admin.billing.statement({ id: await upload(op.caller, bytes, "mixed-3.txt") });
    expect(third.categories.find((c) => c.kind === "alreadyApplied")).toEqual({
      kind: "alreadyApplied",
      count: 3,
      sumTiyn: 2_700_000,
    });
  });

  it("the same document twice in one file is listed twice and paid once", async () => {
    const inv = await openInvoice(1_500_000);
    const op = await addOperator("billing");
    const same: Doc = { number: 7, amount: "15000", purpose: `Оплата ${inv.number}`, payerBin: inv.bin };
    const only: Doc = { ...same, amount: "15000", purpose: "без номера", number: 8 };
    const id = await upload(
      op.caller,
      new TextEncoder().encode(statementFile([same, same, only], { credited: "45000" })),
      "twice.txt",
    );
    const p = await op.caller.admin.billing.statement({ id });
    expect(p.rows.map((r) => [r.number, r.kind, r.reason])).toEqual([
      ["7", "matched", null],
      ["7", "alreadyApplied", "repeatedInFile"],
      ["8", "unknown", null],
    ]);
    addsUp(p);
    expect(p.file).toMatchObject({ count: 3, sumTiyn: 4_500_000, credited: 4_500_000, mismatch: false });
    expect(await op.caller.admin.billing.applyStatement({ id })).toEqual({ paid: 1, matched: 1 });
    expect(await db().payment.count({ where: { invoiceId: inv.id } })).toBe(1);
  });

  it("refuses a hand assignment that can't be right, in kk and ru, with nothing written", async () => {
    const inv = await openInvoice(1_500_000);
    const closed = await openInvoice(1_500_000);
    await db().invoice.update({ where: { id: closed.id }, data: { status: "paid" } });
    const op = await addOperator("billing");
    const id = await upload(
      op.caller,
      new TextEncoder().encode(
        statementFile([
          { number: 1, amount: "100", purpose: "без номера" },
          { number: 2, amount: "100", purpose: "исходящий", from: BCC, to: "KZ42914002203KZ00911" },
        ]),
      ),
      "x.txt",
    );
    const p = await op.caller.admin.billing.statement({ id });
    const [receipt, outgoing] = p.rows;
    const assign = (line: number, invoiceNumber: string, locale: "kk" | "ru" = "ru") =>
      refused(op.caller.admin.billing.assignStatementDocument({ id, line, invoiceNumber }), locale);
    expect(await assign(receipt!.line, "AM-2026-99999")).toMatchObject({
      code: "BAD_REQUEST",
      message: "Счёт AM-2026-99999 не найден",
    });
    expect(await assign(receipt!.line, closed.number)).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("уже оплачен"),
    });
    expect(await assign(outgoing!.line, inv.number)).toMatchObject({ code: "BAD_REQUEST" });
    expect(await assign(9999, inv.number)).toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining("9999"),
    });
    expect(await assign(receipt!.line, "AM-2026-99999", "kk")).toMatchObject({
      message: "AM-2026-99999 шоты табылмады",
    });
    expect(await assign(0, inv.number)).toMatchObject({ code: "BAD_REQUEST" });
    // support can look but not assign
    const support = await addOperator("support");
    await expect(
      support.caller.admin.billing.assignStatementDocument({ id, line: receipt!.line, invoiceNumber: inv.number }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db().payment.count({ where: { invoiceId: inv.id } })).toBe(0);
  });
});
