// The operator's invoices and payments lists as the browser gets them: found by the BIN as the list shows it, by
// invoice number and by school name; filtered by status and billing period; totals equal to the sum of the rows
// the filter picks; and the XLSX export of those rows, parsed back with exceljs, with kk/ru headers.
import { operatorDb } from "../server/db/client.ts";
import { addDays } from "../domain/kz/time.ts";
import { settleSchool } from "../server/billing/cycle.ts";
import { xlsxRows } from "./documents.ts";
import { schoolPaidThrough, today } from "./billing.ts";
import { addOperator } from "./factories.ts";
import { signedInCookie, visible, webAppAround } from "./web.ts";

const web = webAppAround();
const db = () => operatorDb();
const money = (tiyn: number) =>
  `${Math.floor(tiyn / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, " ")},${String(tiyn % 100).padStart(2, "0")} ₸`;

/** A school with one open invoice, and `paid` tenge of it confirmed by hand. */
async function schoolWithInvoice(op: Awaited<ReturnType<typeof addOperator>>, paid: string | null) {
  const s = await schoolPaidThrough(2);
  await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
  const inv = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
  if (paid)
    await op.caller.admin.billing.confirmPayment({
      invoiceId: inv.id,
      amount: paid,
      receivedOn: today(),
      reference: `ПП-${inv.number}`,
    });
  const school = await db().school.findUniqueOrThrow({ where: { id: s.schoolId } });
  return { ...s, inv, school };
}

describe("the operator's billing lists", () => {
  it("find an invoice and its payments by the BIN shown, by number and by name; totals are the sums of the rows; the XLSX has those rows", async () => {
    const op = await addOperator("billing");
    const a = await schoolWithInvoice(op, "15000");
    const b = await schoolWithInvoice(op, "4000,50");
    const c = await schoolWithInvoice(op, null);

    const ru = await signedInCookie(op.userId, "ru");
    const list = async (query: string) => {
      const res = await fetch(`${web.base}/admin/invoices?${query}`, { headers: { cookie: ru } });
      expect(res.status).toBe(200);
      return res.text();
    };
    // The BIN as the list shows it finds the school's invoice, and only it.
    const shown = /<div class="muted small mono hide-phone">(\d{12})<\/div>/.exec(await list(`q=${a.inv.number}`))![1]!;
    expect(shown).toBe(a.school.binIin);
    for (const q of [
      shown,
      `${shown.slice(0, 4)} ${shown.slice(4, 8)} ${shown.slice(8)}`,
      a.inv.number,
      a.school.name,
    ]) {
      const html = await list(`q=${encodeURIComponent(q)}`);
      expect(html, q).toContain(`href="/admin/invoices/${a.inv.id}"`);
      expect(html, q).not.toContain(`href="/admin/invoices/${b.inv.id}"`);
      expect(visible(html), q).toContain(`Итого по фильтру: счетов 1, на сумму 15 000,00 ₸, оплачено 15 000,00 ₸`);
    }

    // Totals over a filter of several rows equal the sums of its rows (status and billing period filters).
    const period = a.inv.periodStart.toISOString().slice(0, 7);
    const ids: string[] = [a.schoolId, b.schoolId, c.schoolId];
    const all = await op.caller.admin.billing.invoices({ period, page: 0 });
    const mine = all.items.filter((i) => ids.includes(i.schoolId));
    expect(mine).toHaveLength(3);
    expect(all.totals.count).toBe(all.items.length);
    expect(all.totals.amountTiyn).toBe(all.items.reduce((s, i) => s + i.amountTiyn, 0));
    const paidRows = await db().payment.findMany({ where: { invoiceId: { in: all.items.map((i) => i.id) } } });
    expect(all.totals.paidTiyn).toBe(paidRows.reduce((s, p) => s + Number(p.amountTiyn) - Number(p.refundedTiyn), 0));
    const open = await op.caller.admin.billing.invoices({ period, status: "open", page: 0 });
    expect(open.items.map((i) => i.id)).toEqual(expect.arrayContaining([b.inv.id, c.inv.id]));
    expect(open.items.map((i) => i.id)).not.toContain(a.inv.id);
    expect(visible(await list(`status=open&period=${period}`))).toContain(
      `Итого по фильтру: счетов ${open.totals.count}, на сумму ${money(open.totals.amountTiyn)}, оплачено ${money(open.totals.paidTiyn)}`,
    );

    // The XLSX of the filtered rows, in Russian and in Kazakh.
    const xlsx = async (path: string, cookie: string) => {
      const res = await fetch(`${web.base}${path}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("spreadsheetml");
      return Object.values(await xlsxRows(Buffer.from(await res.arrayBuffer())))[0]!;
    };
    const rows = await xlsx(`/admin/invoices.xlsx?status=open&period=${period}`, ru);
    expect(rows[0]).toEqual([
      "Номер счёта",
      "Автошкола",
      "БИН/ИИН",
      "Период с",
      "Период по",
      "Выставлен",
      "Оплатить до",
      "Статус",
      "Сумма, ₸",
      "Зачтено из кредита, ₸",
      "Оплачено, ₸",
    ]);
    const body = rows.slice(1, -1);
    expect(body).toHaveLength(open.totals.count);
    expect(body.map((r) => r[0]).sort()).toEqual(open.items.map((i) => i.number).sort());
    const bRow = body.find((r) => r[0] === b.inv.number)!;
    expect(bRow.slice(1, 3)).toEqual([b.school.name, b.school.binIin]);
    expect(bRow.slice(8)).toEqual(["15000", "0", "4000.5"]);
    const sum = (col: number) => Math.round(body.reduce((s, r) => s + Number(r[col]) * 100, 0));
    expect(sum(8)).toBe(open.totals.amountTiyn);
    expect(sum(10)).toBe(open.totals.paidTiyn);
    expect(rows.at(-1)![0]).toBe(`Итого: ${open.totals.count}`);
    expect(Math.round(Number(rows.at(-1)![8]) * 100)).toBe(open.totals.amountTiyn);

    const kk = await signedInCookie(op.userId, "kk");
    const kkRows = await xlsx(`/admin/invoices.xlsx?q=${shown}`, kk);
    expect(kkRows[0]!.slice(0, 3)).toEqual(["Шот нөмірі", "Автомектеп", "БСН/ЖСН"]);
    expect(kkRows.slice(1, -1).map((r) => r[0])).toEqual([a.inv.number]);

    // Payments: found by the school's BIN and by the invoice number; totals; XLSX.
    const pays = await op.caller.admin.billing.payments({ q: b.school.binIin, page: 0 });
    expect(pays.items.map((p) => p.invoiceNumber)).toEqual([b.inv.number]);
    expect(pays.totals).toEqual({ count: 1, amountTiyn: 400_050, refundedTiyn: 0, paidTiyn: 400_050 });
    expect(
      (await op.caller.admin.billing.payments({ q: a.inv.number, page: 0 })).items.map((p) => p.invoiceId),
    ).toEqual([a.inv.id]);
    const ru2 = await signedInCookie(op.userId, "ru");
    const page = visible(
      await (await fetch(`${web.base}/admin/payments?q=${b.school.binIin}`, { headers: { cookie: ru2 } })).text(),
    );
    expect(page).toContain("Итого по фильтру: платежей 1, на сумму 4 000,50 ₸, возвращено 0,00 ₸, нетто 4 000,50 ₸");
    const payRows = await xlsx(`/admin/payments.xlsx?q=${b.school.binIin}`, ru2);
    expect(payRows[0]).toEqual([
      "Дата поступления",
      "Автошкола",
      "БИН/ИИН",
      "Счёт",
      "Способ",
      "Плательщик",
      "Документ",
      "Сумма, ₸",
      "Возвращено, ₸",
    ]);
    expect(payRows.slice(1, -1).map((r) => [r[3], r[7]])).toEqual([[b.inv.number, "4000.5"]]);
  });
});
