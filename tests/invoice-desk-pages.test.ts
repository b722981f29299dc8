// The invoice desk as the operator's browser gets it (kk and ru): /admin/invoices/<id> with its header, payments,
// documents and a readable history in Almaty time; its forms posted as a browser without JavaScript posts them —
// a transfer confirmed with its payer, a refund posted twice applied once, a credit note refused when too big —
// and every invoice number in the lists and the statement preview links to it.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../server/db/client.ts";
import { addDays, isoDay } from "../domain/kz/time.ts";
import { issueMonthAct, monthOf } from "../server/billing/acts.ts";
import { settleSchool } from "../server/billing/cycle.ts";
import { schoolPaidThrough, today } from "./billing.ts";
import { addOperator } from "./factories.ts";
import { postForm, signedInCookie, visible, webAppAround } from "./web.ts";

const web = webAppAround();
const db = () => operatorDb();

/** The value of a hidden input in the form of an intent. */
const keyOf = (html: string) => /name="requestKey" value="([0-9a-f-]{36})"/.exec(html)![1]!;

async function overdueInvoice() {
  const s = await schoolPaidThrough(11);
  await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
  await settleSchool(s.schoolId, today());
  const inv = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
  const school = await db().school.findUniqueOrThrow({ where: { id: s.schoolId } });
  return { ...s, inv, school };
}

describe("the invoice desk page", () => {
  it("shows one invoice and confirms, refunds once and refuses a too-big credit note, in kk and ru", async () => {
    const { inv, school, schoolId, userId, slug } = await overdueInvoice();
    const op = await addOperator("billing");
    const url = `${web.base}/admin/invoices/${inv.id}`;

    const ru = await signedInCookie(op.userId, "ru");
    const page = await fetch(url, { headers: { cookie: ru } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const body = visible(html);
    expect(body).toContain(`Счёт ${inv.number}`);
    expect(html).toContain(`href="/admin/schools/${schoolId}"`);
    expect(body).toContain(school.name);
    expect(body).toContain(school.binIin);
    expect(body).toContain("Сумма 15 000,00 ₸");
    expect(body).toContain("Осталось оплатить 15 000,00 ₸");
    expect(body).toContain("Просрочен");
    expect(body).toContain("Платежей по счёту нет");
    // the history: the ladder's steps, readable
    expect(body).toContain("Просрочка оплаты");
    expect(body).toMatch(
      /\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} Просрочка оплаты — Доступ: Пробный период → Оплата просрочена/,
    );

    const confirmed = await fetch(
      url,
      postForm(ru, {
        intent: "confirm",
        requestKey: keyOf(html),
        amount: "15000",
        receivedOn: today(),
        payer: "ТОО «Жол»",
        reference: "ПП-9001",
        note: "",
      }),
    );
    expect(confirmed.status).toBe(200);
    const afterConfirm = visible(await confirmed.text());
    expect(afterConfirm).toContain(`Платёж по счёту ${inv.number} проведён: счёт оплачен.`);
    expect(afterConfirm).toContain("ТОО «Жол»");
    expect(afterConfirm).toContain(
      "Платёж подтверждён вручную Operator сумма 15 000,00 ₸; счёт оплачен; документ ПП-9001; плательщик: ТОО «Жол»",
    );
    // the act follows after the month (ADR 041): drawn up, it is listed on the desk
    expect(afterConfirm).not.toMatch(/Акт выполненных работ № AVR-/);
    await db().$transaction((tx) => issueMonthAct(tx, schoolId, monthOf(isoDay(inv.periodStart)).first));
    expect(visible(await (await fetch(url, { headers: { cookie: ru } })).text())).toMatch(
      /Акт выполненных работ № AVR-\d{4}-\d{5}/,
    );
    expect(afterConfirm).not.toContain("{&quot;");

    // A refund posted twice (the same form's key) is applied once.
    const payment = await db().payment.findFirstOrThrow({ where: { invoiceId: inv.id } });
    const key = randomUUID();
    const refundForm = {
      intent: "refund",
      requestKey: key,
      paymentId: payment.id,
      amount: "2500",
      reference: "ВЗ-1",
      reason: "Скидка",
    };
    const first = await fetch(url, postForm(ru, refundForm));
    expect(first.status).toBe(200);
    expect(visible(await first.text())).toContain("Возврат 2 500,00 ₸ проведён.");
    const second = await fetch(url, postForm(ru, refundForm));
    expect(visible(await second.text())).toContain("Этот возврат уже проведён.");
    expect(Number((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).refundedTiyn)).toBe(250_000);
    expect(await db().paymentRefund.count({ where: { paymentId: payment.id } })).toBe(1);

    // Too much refunded, and too big a credit note, are refused in the page's language.
    const kk = await signedInCookie(op.userId, "kk");
    const tooMuch = await fetch(url, postForm(kk, { ...refundForm, requestKey: randomUUID(), amount: "12500,01" }));
    expect(tooMuch.status).toBe(400);
    expect(visible(await tooMuch.text())).toContain(
      "Төленгеннен артық қайтаруға болмайды: бұл төлемнен ең көбі 12 500,00 ₸ қайтаруға болады",
    );
    const bigNote = await fetch(
      url,
      postForm(kk, { intent: "credit", requestKey: randomUUID(), amount: "15000,01", reason: "Қате" }),
    );
    expect(bigNote.status).toBe(400);
    expect(visible(await bigNote.text())).toContain(
      "Кредит-нота сомасы тым үлкен: бұл шот бойынша ең көбі 15 000,00 ₸",
    );
    const note = await fetch(
      url,
      postForm(kk, { intent: "credit", requestKey: randomUUID(), amount: "1000", reason: "Қызмет үзілісі" }),
    );
    expect(note.status).toBe(200);
    const kkBody = visible(await note.text());
    expect(kkBody).toMatch(/KN-\d{4}-\d{5} кредит-нотасы берілді\./);
    expect(kkBody).toContain("Кредит-нота берілді");
    expect(kkBody).toContain("Төлемді қайтару");
    expect(kkBody).toMatch(/Кредит-нота № KN-\d{4}-\d{5}/);

    // The school sees the credit note among its billing documents, and its credit balance.
    const director = await signedInCookie(userId, "ru");
    const billing = visible(
      await (await fetch(`${web.base}/s/${slug}/billing`, { headers: { cookie: director } })).text(),
    );
    expect(billing).toMatch(/Кредит-нота № KN-\d{4}-\d{5} \(счёт № AM-\d{4}-\d{5}\)/);
    expect(billing).toContain("Кредит 1 000,00 ₸ — будет зачтён в следующий счёт");

    // The credit note's PDF opens for the operator.
    const docId = /href="\/admin\/documents\/([0-9a-f-]{36})\.pdf"/g;
    const ids = [...(await (await fetch(url, { headers: { cookie: kk } })).text()).matchAll(docId)].map((m) => m[1]!);
    expect(ids).toHaveLength(2); // the act and the credit note
    for (const id of ids) {
      const pdf = await fetch(`${web.base}/admin/documents/${id}.pdf`, { headers: { cookie: kk } });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get("content-type")).toContain("application/pdf");
    }
  });

  it("links every invoice number of the lists and the school's card to the invoice; an unknown one is a 404", async () => {
    const { inv, schoolId } = await overdueInvoice();
    const op = await addOperator("support");
    const ru = await signedInCookie(op.userId, "ru");
    const link = `href="/admin/invoices/${inv.id}"`;
    for (const path of [`/admin/invoices?q=${inv.number}`, `/admin/schools/${schoolId}`]) {
      const res = await fetch(`${web.base}${path}`, { headers: { cookie: ru } });
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain(link);
    }
    // A support operator sees the invoice but no forms.
    const page = await (await fetch(`${web.base}/admin/invoices/${inv.id}`, { headers: { cookie: ru } })).text();
    expect(visible(page)).toContain("Действия со счётом доступны администратору платформы и бухгалтерии.");
    expect(page).not.toContain('name="intent"');
    const missing = await fetch(`${web.base}/admin/invoices/${randomUUID()}`, { headers: { cookie: ru } });
    expect(missing.status).toBe(404);
  });
});
