// Fault: the operator imports the same 1C bank statement twice — one after the other, the same upload
// applied twice at once (a double click), and two uploads of the same file applied at once — through the
// operator's procedures. Proves: each transfer becomes exactly one payment, one act, one restoration and
// one e-mail; a repeated apply is refused with a kk/ru CONFLICT and leaves the statement's record intact.
import iconv from "iconv-lite";
import { operatorDb } from "../../server/db/client.ts";
import { today } from "../billing.ts";
import { addOperator } from "../factories.ts";
import { refusal, suspendedSchool } from "./helpers.ts";

const db = () => operatorDb();
const OPERATOR_IIK = "KZ058562203130392523";
const SCHOOLS = 4;

/** Schools whose unpaid invoice has taken them all the way to suspended. */
async function suspendedSchools(n: number) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const s = await suspendedSchool();
    out.push({
      schoolId: s.schoolId,
      name: s.name,
      bin: s.bin,
      invoiceId: s.invoice.id,
      invoiceNumber: s.invoice.number,
      amount: s.invoice.amountTiyn,
    });
  }
  return out;
}

/** A 1C statement (Windows-1251) with one incoming transfer per school, paying its invoice in full. */
function statementFor(schools: Awaited<ReturnType<typeof suspendedSchools>>, firstNumber: number): string {
  const date = today().split("-").reverse().join(".");
  const docs = schools.flatMap((s, i) => [
    "СекцияДокумент=Платежное поручение",
    `Номер=${firstNumber + i}`,
    `Дата=${date}`,
    `Сумма=${(s.amount / 100).toFixed(2)}`,
    "ПлательщикСчет=KZ11111111111111111111",
    `Плательщик=ТОО "${s.name}"`,
    `ПлательщикБИН=${s.bin}`,
    `ПолучательСчет=${OPERATOR_IIK}`,
    `Получатель=ОЮЛ "CarLife.kz"`,
    "ПолучательБИН=140940023564",
    "КодНазначенияПлатежа=859",
    `НазначениеПлатежа=Оплата по счёту №${s.invoiceNumber} за доступ к Avtomektep`,
    "КонецДокумента",
  ]);
  const text = [
    "1CClientBankExchange",
    "ВерсияФормата=1.03",
    "Кодировка=Windows",
    `ДатаНачала=${date}`,
    `РасчСчет=${OPERATOR_IIK}`,
    ...docs,
    "КонецФайла",
  ].join("\r\n");
  return iconv.encode(text, "win1251").toString("base64");
}

/** What the ledger holds for these schools, counted. */
async function ledgerOf(schools: Awaited<ReturnType<typeof suspendedSchools>>) {
  const schoolIds = schools.map((s) => s.schoolId);
  const payments = await db().payment.findMany({ where: { schoolId: { in: schoolIds } }, select: { id: true } });
  const mails = await db().outboxEvent.findMany({
    where: {
      queue: "mail",
      OR: payments.flatMap((p) => [{ jobId: { startsWith: `paid-${p.id}-` } }, { jobId: `restored-${p.id}-operator` }]),
    },
    select: { jobId: true },
  });
  return {
    payments: payments.length,
    acts: await db().schoolDocument.count({ where: { schoolId: { in: schoolIds }, kind: "act" } }),
    paidInvoices: await db().invoice.count({ where: { id: { in: schools.map((s) => s.invoiceId) }, status: "paid" } }),
    activeSchools: await db().school.count({ where: { id: { in: schoolIds }, status: "active" } }),
    restorations: await db().accessTransition.count({ where: { schoolId: { in: schoolIds }, cause: "payment" } }),
    paymentMails: mails.filter((m) => m.jobId.startsWith("paid-")).length,
    operatorMails: mails.filter((m) => m.jobId.startsWith("restored-")).length,
  };
}
const everythingOnce = {
  payments: SCHOOLS,
  acts: 0, // acts are drawn up after the month, for the days served (ADR 041), not at payment
  paidInvoices: SCHOOLS,
  activeSchools: SCHOOLS,
  restorations: SCHOOLS,
  paymentMails: SCHOOLS,
  operatorMails: SCHOOLS,
};

describe("the same bank statement imported twice", () => {
  it("one after the other: the second import pays nothing and shows every transfer as already applied", {
    timeout: 60_000,
  }, async () => {
    const schools = await suspendedSchools(SCHOOLS);
    const op = await addOperator("billing");
    const file = statementFor(schools, 1001);
    const first = await op.caller.admin.billing.uploadStatement({ fileName: "kaspi.txt", base64: file });
    expect(await op.caller.admin.billing.applyStatement({ id: first.id })).toEqual({ paid: SCHOOLS, matched: SCHOOLS });
    const second = await op.caller.admin.billing.uploadStatement({ fileName: "kaspi (1).txt", base64: file });
    const preview = await op.caller.admin.billing.statement({ id: second.id });
    expect(preview.rows.map((r) => r.kind)).toEqual(Array(SCHOOLS).fill("alreadyApplied"));
    expect(await op.caller.admin.billing.applyStatement({ id: second.id })).toEqual({ paid: 0, matched: 0 });
    expect(await ledgerOf(schools)).toEqual(everythingOnce);
  });

  it("the same upload applied twice at once: one applies, the other is refused in kk and ru, the record keeps its count", {
    timeout: 60_000,
  }, async () => {
    const schools = await suspendedSchools(SCHOOLS);
    const op = await addOperator("billing");
    const other = await addOperator("billing");
    const { id } = await op.caller.admin.billing.uploadStatement({
      fileName: "halyk.txt",
      base64: statementFor(schools, 2001),
    });
    const results = await Promise.allSettled([
      op.caller.admin.billing.applyStatement({ id }),
      other.caller.admin.billing.applyStatement({ id }),
    ]);
    const applied = results.filter((r) => r.status === "fulfilled");
    expect(applied).toHaveLength(1);
    expect((applied[0] as PromiseFulfilledResult<unknown>).value).toEqual({ paid: SCHOOLS, matched: SCHOOLS });
    const refused = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
    expect(refusal(refused, "ru")).toMatchObject({
      code: "CONFLICT",
      status: 409,
      message: expect.stringMatching(/уже/),
    });
    expect(refusal(refused, "kk").message).not.toBe(refusal(refused, "ru").message);
    const stored = await db().bankStatement.findUniqueOrThrow({ where: { id } });
    expect(stored.paidCount).toBe(SCHOOLS);
    expect(stored.appliedAt).not.toBeNull();
    expect(
      await db().auditLog.count({
        where: { action: "billing.statement_applied", details: { path: ["statementId"], equals: id } },
      }),
    ).toBe(1);
    expect(await ledgerOf(schools)).toEqual(everythingOnce);
  });

  it("two uploads of the same file applied at once: every transfer paid once between them", {
    timeout: 60_000,
  }, async () => {
    const schools = await suspendedSchools(SCHOOLS);
    const op = await addOperator("billing");
    const file = statementFor(schools, 3001);
    const a = await op.caller.admin.billing.uploadStatement({ fileName: "a.txt", base64: file });
    const b = await op.caller.admin.billing.uploadStatement({ fileName: "b.txt", base64: file });
    const [ra, rb] = await Promise.all([
      op.caller.admin.billing.applyStatement({ id: a.id }),
      op.caller.admin.billing.applyStatement({ id: b.id }),
    ]);
    expect(ra.paid + rb.paid).toBe(SCHOOLS);
    const stored = await db().bankStatement.findMany({
      where: { id: { in: [a.id, b.id] } },
      select: { paidCount: true },
    });
    expect(stored.reduce((n, s) => n + (s.paidCount ?? 0), 0)).toBe(SCHOOLS);
    expect(await db().payment.count({ where: { statementId: { in: [a.id, b.id] } } })).toBe(SCHOOLS);
    expect(await ledgerOf(schools)).toEqual(everythingOnce);
  });
});
