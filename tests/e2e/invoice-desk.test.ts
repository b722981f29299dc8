// The accountant at the invoice desk in Chromium, on a phone (390 px) in Kazakh and at a desk in Russian: the
// invoice's card fits the screen, a credit note is issued from its form and shows in the documents and history.
import { operatorDb } from "../../server/db/client.ts";
import { addDays } from "../../domain/kz/time.ts";
import { settleSchool } from "../../server/billing/cycle.ts";
import { schoolPaidThrough } from "../billing.ts";
import { addOperator } from "../factories.ts";
import { browserSuite, shot, signInPage } from "./system.ts";

const suite = browserSuite();

it("an accountant opens an overdue invoice, issues a credit note from the page, and sees it in its documents and history", async () => {
  const s = await schoolPaidThrough(11);
  await settleSchool(s.schoolId, addDays(s.paidThrough, -6));
  await settleSchool(s.schoolId, addDays(s.paidThrough, 11));
  const invoice = await operatorDb().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
  const op = await addOperator("billing");
  const { email } = await operatorDb().user.findUniqueOrThrow({ where: { id: op.userId } });
  const pageErrors: string[] = [];

  const phone = await signInPage(suite, { email, width: 390, lang: "kk", landing: /\/admin/, pageErrors });
  await phone.goto(`${suite.system().url}/admin/invoices/${invoice.id}`);
  await phone.getByText(`Шот ${invoice.number}`).waitFor();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
  await shot(phone, "invoice-desk-01-phone-kk");
  await phone.locator('details[data-intent="credit"] summary').click();
  await phone.fill("#credit-amount", "2500");
  await phone.fill("#credit-reason", "Қызмет үзілісі, 2 күн");
  await Promise.all([
    phone.waitForResponse((r) => r.request().method() === "POST"),
    phone.locator('details[data-intent="credit"] button[type="submit"]').click(),
  ]);
  await phone.getByText(/KN-\d{4}-\d{5} кредит-нотасы берілді/).waitFor();
  expect(await phone.getByTestId("documents").innerText()).toMatch(/Кредит-нота № KN-\d{4}-\d{5}/);
  expect(await phone.getByTestId("history").innerText()).toContain("Кредит-нота берілді");
  expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
  await shot(phone, "invoice-desk-02-credit-note-phone-kk");

  const desk = await signInPage(suite, { email, width: 1280, lang: "ru", landing: /\/admin/, pageErrors });
  await desk.goto(`${suite.system().url}/admin/invoices/${invoice.id}`);
  await desk.getByText("Осталось оплатить").waitFor();
  expect(await desk.getByTestId("invoice-header").innerText()).toMatch(/Осталось оплатить\s+12\s500,00\s₸/);
  await shot(desk, "invoice-desk-03-desk-ru");
  expect(pageErrors).toEqual([]);
}, 90_000);
