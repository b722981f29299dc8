// The bank statement preview as the operator's browser gets it (kk and ru): every document of the file in a
// category with its count and sum, the total equal to the file's, the bank's totals checked, the reasons
// spelled out, and an unmatched receipt assigned to an invoice by hand from the page — once.
import { operatorDb } from "../server/db/client.ts";
import { addDays } from "../domain/kz/time.ts";
import { settleSchool } from "../server/billing/cycle.ts";
import { schoolPaidThrough, today } from "./billing.ts";
import { addOperator } from "./factories.ts";
import { postForm, signedInCookie, visible, webAppAround } from "./web.ts";

const web = webAppAround();
const db = () => operatorDb();
const KASPI = "KZ04722S000040001309";

async function openInvoice(amountTiyn: number) {
  const s = await schoolPaidThrough(3);
  await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
  const inv = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
  await db().invoice.update({ where: { id: inv.id }, data: { amountTiyn } });
  return { id: inv.id, number: inv.number };
}

describe("the statement preview page", () => {
  it("lists every document by category with totals equal to the file's, in kk and ru, and assigns a receipt by hand once", async () => {
    const inv = await openInvoice(12_000_000);
    const lost = await openInvoice(4_500_000);
    const op = await addOperator("billing");
    const date = today().split("-").reverse().join(".");
    const doc = (n: number, amount: string, purpose: string, from: string, to: string) => [
      "СекцияДокумент=Платежное поручение",
      `Номер=${n}`,
      `Дата=${date}`,
      `Сумма=${amount}`,
      `ПлательщикИИК=${from}`,
      "ПлательщикНаименование=ЖШС «Қазығұрт Әлем» автомектебі",
      "ПлательщикБИН=150640012345",
      `ПолучательИИК=${to}`,
      `НазначениеПлатежа=${purpose}`,
      "КонецДокумента",
    ];
    const text = [
      "1CClientBankExchange",
      "ВерсияФормата=1.03",
      `ДатаНачала=${date}`,
      `ДатаКонца=${date}`,
      "СекцияРасчСчет",
      `РасчСчет=${KASPI}`,
      "ВсегоПоступило=165000",
      "ВсегоСписано=2500",
      "КонецРасчСчет",
      ...doc(731, "120000", `№ ${inv.number} шот бойынша төлем`, "KZ12601A871001234567", KASPI),
      ...doc(19, "45000", "Оплата за доступ", "KZ75722S000001234567", KASPI),
      ...doc(5, "2500", "Комиссия банка", KASPI, "KZ55722C000022014099"),
      ...doc(6, "12,345", "?", "KZ75722S000001234567", KASPI),
      "КонецФайла",
    ].join("\r\n");
    const { id } = await op.caller.admin.billing.uploadStatement({
      fileName: "kaspi.txt",
      base64: Buffer.from(text).toString("base64"),
    });
    const url = `${web.base}/admin/statements/${id}`;

    const ru = await signedInCookie(op.userId, "ru");
    const page = await fetch(url, { headers: { cookie: ru } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const body = visible(html);
    expect(body).toContain("Все документы файла");
    expect(body).toContain("Сопоставлены 1 120 000,00 ₸");
    expect(body).toContain("Счёт не найден 1 45 000,00 ₸");
    expect(body).toContain("Не поступления 1 2 500,00 ₸");
    expect(body).toContain("Не читаются 1 0,00 ₸");
    expect(body).toContain("Итого 4 167 500,00 ₸");
    expect(body).toContain("не читается сумма (строка");
    expect(body).toContain("списание с нашего счёта");
    expect(body).toContain("Поступило: по данным банка 165 000,00 ₸, по документам 165 000,00 ₸");
    expect(body).toContain("Итоги банка сходятся с документами файла.");
    expect(body).toContain(date);
    // one assign form: the unknown receipt's
    expect(html.match(/name="intent" value="assign"/g)).toHaveLength(1);

    const kk = await signedInCookie(op.userId, "kk");
    const kkBody = visible(await (await fetch(url, { headers: { cookie: kk } })).text());
    expect(kkBody).toContain("Файлдың барлық құжаттары");
    expect(kkBody).toContain("Сәйкес келді 1 120 000,00 ₸");
    expect(kkBody).toContain("Түсім емес 1 2 500,00 ₸");
    expect(kkBody).toContain("Барлығы 4 167 500,00 ₸");

    const line = String(await lineOf(id, "19"));
    // the language is saved on the user too: sign in in Russian again
    const ru2 = await signedInCookie(op.userId, "ru");
    const wrong = await fetch(url, postForm(ru2, { intent: "assign", line, invoiceNumber: "AM-2026-99999" }));
    expect(wrong.status).toBe(400);
    expect(visible(await wrong.text())).toContain("Счёт AM-2026-99999 не найден");

    const kk2 = await signedInCookie(op.userId, "kk");
    const done = await fetch(url, postForm(kk2, { intent: "assign", line, invoiceNumber: lost.number }));
    expect(done.status).toBe(200);
    expect(visible(await done.text())).toContain(`№ 19 құжат ${lost.number} шотына есепке алынды.`);
    expect((await db().invoice.findUniqueOrThrow({ where: { id: lost.id } })).status).toBe("paid");

    const ru3 = await signedInCookie(op.userId, "ru");
    const twice = await fetch(url, postForm(ru3, { intent: "assign", line, invoiceNumber: lost.number }));
    expect(twice.status).toBe(409);
    expect(await db().payment.count({ where: { invoiceId: lost.id } })).toBe(1);

    const after = visible(await (await fetch(url, { headers: { cookie: ru3 } })).text());
    expect(after).toContain("Сопоставлены 2 165 000,00 ₸");
    expect(after).toContain(`зачтён в счёт ${lost.number}`);
    expect(after).toContain("Итого 4 167 500,00 ₸");
  });
});

async function lineOf(id: string, number: string): Promise<number> {
  const { previewStatement } = await import("../server/billing/statement.ts");
  const p = await previewStatement(operatorDb(), id);
  return p.rows.find((r) => r.number === number)!.line;
}
