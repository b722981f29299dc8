// A school suspended for an unpaid invoice: the director and a registrar see the suspended page instead of
// the register; the director (with JavaScript off) pays by card on the local Stripe Checkout page and comes
// back to access restored. A second school, read-only for an invoice nine days overdue, pays from a phone in
// Russian, pays the next month ahead and switches plan. Real web server, worker, webhook and Stripe stand-in.
import type { Browser, Page } from "playwright-core";
import { operatorDb } from "../../server/db/client.ts";
import { seedOffer } from "../../server/db/seed.ts";
import { freePort } from "../../server/cli/services.ts";
import { startStripeFake, type StripeFake } from "../../dev/stripe/index.ts";
import { escalate, issueNextInvoice } from "../../server/billing/ledger.ts";
import { billingSettings } from "../../server/billing/settings.ts";
import { daysBetween } from "../../server/billing/rules.ts";
import { addDays, almatyDate, dbDay } from "../../domain/kz/time.ts";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { addMember, createSchool, traineeInput } from "../factories.ts";
import { launchBrowser, shot, startSystem, chooseLanguage } from "./system.ts";

let system: Awaited<ReturnType<typeof startSystem>> | undefined;
let browser: Browser | undefined;
let stripe: StripeFake | undefined;

beforeAll(async () => {
  await seedOffer(operatorDb());
  // The stand-in must know the webhook URL and the system the stand-in's URL: fix the system's port first.
  const port = await freePort();
  stripe = await startStripeFake({
    port: 0,
    webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe`,
    webhookSecret: "whsec_e2e",
  });
  system = await startSystem({
    PORT: String(port),
    STRIPE_API_BASE: stripe.url,
    STRIPE_SECRET_KEY: "sk_test_e2e",
    STRIPE_WEBHOOK_SECRET: "whsec_e2e",
  });
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
  await stripe?.close();
});

let ip = 0;
async function signIn(email: string, opts: { width: number; lang: "kk" | "ru"; javaScript?: boolean }): Promise<Page> {
  const context = await browser!.newContext({
    viewport: { width: opts.width, height: 900 },
    javaScriptEnabled: opts.javaScript ?? true,
    extraHTTPHeaders: { "X-Forwarded-For": `10.0.88.${++ip}` },
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${system!.url}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', "correct-horse-battery");
  await Promise.all([page.waitForURL(/\/s\//), page.locator('main form button[type="submit"]').click()]);
  await chooseLanguage(page, opts.lang);
  return page;
}
const pageErrors: string[] = [];

/** Pays the invoice shown first on the billing page by card on the Stripe stand-in; returns on the billing page. */
async function payByCard(page: Page, buttonText: string, amountTiyn: number, screenshot: string) {
  await Promise.all([
    page.waitForURL((u) => u.href.startsWith(`${stripe!.url}/pay/`)),
    page.getByRole("button", { name: buttonText }).first().click(),
  ]);
  expect(await page.locator(".amount").innerText()).toBe(formatTiyn(amountTiyn));
  await shot(page, screenshot);
  await Promise.all([
    page.waitForURL(/\/billing\?paid=/),
    page.getByRole("button", { name: "Оплатить / Төлеу" }).click(),
  ]);
}

async function invoiceOf(schoolId: string) {
  return operatorDb().invoice.findFirstOrThrow({ where: { schoolId }, orderBy: { issuedOn: "asc" } });
}

it("a suspended school sees the suspended page, and the director pays by card and gets access back", async () => {
  const s = await createSchool({ schoolName: "«Сарыарқа» автомектебі" });
  const registrar = await addMember(s.schoolId, "registrar");
  await s.director.trainees.create({
    school: s.slug,
    ...traineeInput({ lastName: "Сәрсенбаева", firstName: "Аружан" }),
  });
  const today = almatyDate(new Date());

  // On trial the director sees how many days are left, with a way to pay. (This director's browser runs
  // no JavaScript: the whole way to paying works with plain links and forms.)
  const page = await signIn(s.email, { width: 1280, lang: "kk", javaScript: false });
  await page.goto(`${system!.url}/s/${s.slug}/trainees`);
  const { trialEndsAt } = await operatorDb().school.findUniqueOrThrow({ where: { id: s.schoolId } });
  const lastDay = almatyDate(trialEndsAt!);
  const trialText = `Сынақ кезеңі ${lastDay.split("-").reverse().join(".")} дейін жалғасады — ${daysBetween(today, lastDay)} күн қалды.`;
  expect(await page.getByTestId("access-banner").innerText()).toBe(`${trialText} Тарифті төлеу`);
  await shot(page, "billing-00-trial-banner-kk");

  await operatorDb().$transaction(async (tx) => {
    await issueNextInvoice(tx, s.schoolId, today, await billingSettings(tx));
    // Long past its due date: the ladder's last step, suspended for non-payment (4.2.6). (A suspension
    // by the operator by hand has its own page: tests/operator-views-pages.test.ts.)
    await escalate(tx, s.schoolId, "trial", addDays(today, 365), await billingSettings(tx));
  });
  const invoice = await invoiceOf(s.schoolId);
  const amount = formatTiyn(Number(invoice.amountTiyn));

  // The director opens the register again: the suspended page instead, with the invoice and the way to pay.
  await page.reload();
  const suspended = page.getByTestId("suspended-page");
  await suspended.getByText("Автомектепке қол жеткізу тоқтатылды").waitFor();
  expect(await suspended.innerText()).toContain(`№ ${invoice.number} шот, сомасы ${amount}`);
  expect(await suspended.innerText()).toContain("сақталған, ештеңе жойылған жоқ");
  expect(await suspended.innerText()).toContain("info@avtomektep.kz");
  expect(await page.getByText("Сәрсенбаева Аружан").count()).toBe(0);
  expect(await page.locator(".sidenav a").allInnerTexts()).toEqual(["Төлем", "Қолдау қызметі"]);
  await shot(page, "billing-01-suspended-director-kk");

  // A registrar of the same school: the same page, but told to ask the director; no way to the billing.
  const reg = await signIn(registrar.email, { width: 1280, lang: "kk" });
  await reg.goto(`${system!.url}/s/${s.slug}/trainees`);
  await reg.getByText("Шотты тек автомектеп басшысы төлей алады").waitFor();
  expect(await reg.getByRole("link", { name: "Төлемге өту" }).count()).toBe(0);
  expect(await reg.getByText(invoice.number).count()).toBe(0);
  await shot(reg, "billing-02-suspended-registrar-kk");
  await reg.locator('form[action="/locale"] button[value="ru"]').click();
  await reg.getByText("Оплатить счёт может только руководитель автошколы").waitFor();
  await shot(reg, "billing-02-suspended-registrar-ru");
  await reg.setViewportSize({ width: 390, height: 800 });
  await shot(reg, "billing-02-suspended-registrar-ru-phone");

  // The director goes to the billing page: it opens although the school is suspended.
  await Promise.all([page.waitForURL(/\/billing$/), page.getByRole("link", { name: "Төлемге өту" }).click()]);
  await page.getByRole("heading", { name: "Төлем және тариф" }).waitFor();
  expect(await page.getByTestId("billing-status").innerText()).toContain("Қол жеткізу тоқтатылды");
  const card = page.getByTestId("open-invoice");
  expect(await card.innerText()).toContain(`Шот № ${invoice.number}`);
  expect(await card.innerText()).toContain(amount);
  expect(await page.getByTestId("requisites").innerText()).toContain(`«№ ${invoice.number} шот бойынша төлем»`);
  await shot(page, "billing-03-billing-suspended-kk");

  await payByCard(page, "Картамен төлеу", Number(invoice.amountTiyn), "billing-04-stripe-checkout");
  const result = page.getByTestId("payment-result");
  await result.getByText(`Төлем қабылданды: № ${invoice.number} шот төленді`).waitFor({ timeout: 15_000 });
  expect(await page.getByTestId("billing-status").innerText()).toContain("Төленген");
  // the act follows after the paid month (ADR 041); the page says so
  await page.getByText("Әзірге акт жоқ: алғашқысы төленген ай аяқталғаннан кейін шығады.").waitFor();
  expect(await page.locator(".sidenav a").count()).toBeGreaterThan(5);
  await shot(page, "billing-05-paid-kk");
  expect(await invoiceOf(s.schoolId)).toMatchObject({ status: "paid" });
  expect(await operatorDb().school.findUniqueOrThrow({ where: { id: s.schoolId } })).toMatchObject({
    status: "active",
  });
  expect(
    await operatorDb().payment.findMany({
      where: { schoolId: s.schoolId },
      select: { method: true, amountTiyn: true },
    }),
  ).toEqual([{ method: "card", amountTiyn: invoice.amountTiyn }]);

  // The register is back, for the director and the registrar.
  await page.getByRole("link", { name: "Оқушылар" }).click();
  await page.getByText("Сәрсенбаева Аружан").waitFor();
  expect(await page.getByTestId("suspended-page").count()).toBe(0);
  await shot(page, "billing-06-trainees-again-kk");
  await reg.reload();
  await reg.getByText("Сәрсенбаева Аружан").waitFor();
  expect(pageErrors).toEqual([]);
}, 120_000);

it("a read-only school pays from a phone in Russian, then pays ahead and switches plan", async () => {
  const s = await createSchool({ schoolName: "Автошкола «Есиль»" });
  await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName: "Ким", firstName: "Виктория" }) });
  // Access paid through ten days ago and that invoice still open: the daily run's ladder puts it in read-only.
  const today = almatyDate(new Date());
  await operatorDb().$transaction(async (tx) => {
    const settings = await billingSettings(tx);
    await tx.subscription.update({
      where: { schoolId: s.schoolId },
      data: { paidThrough: dbDay(addDays(today, -10)) },
    });
    await issueNextInvoice(tx, s.schoolId, addDays(today, -16), settings);
    await escalate(tx, s.schoolId, "trial", today, settings);
  });
  expect(await operatorDb().school.findUniqueOrThrow({ where: { id: s.schoolId } })).toMatchObject({
    status: "restricted",
  });
  const invoice = await invoiceOf(s.schoolId);
  const amount = formatTiyn(Number(invoice.amountTiyn));
  const due = addDays(today, -9).split("-").reverse().join(".");

  // On the phone: the register is readable, with the read-only banner, and a new trainee is refused.
  const page = await signIn(s.email, { width: 390, lang: "ru" });
  await page.goto(`${system!.url}/s/${s.slug}/trainees`);
  await page.getByText("Ким Виктория").waitFor();
  const banner = page.getByTestId("access-banner");
  expect(await banner.innerText()).toContain(
    `Режим «только чтение»: счёт не оплачен (задолженность ${amount}, срок был ${due})`,
  );
  await shot(page, "billing-07-restricted-banner-ru-phone");
  await page.goto(`${system!.url}/s/${s.slug}/trainees/new`);
  const newcomer = traineeInput({ lastName: "Ли", firstName: "Алина" });
  await page.fill('input[name="iin"]', newcomer.iin as string);
  await page.fill('input[name="lastName"]', "Ли");
  await page.fill('input[name="firstName"]', "Алина");
  await page.selectOption('select[name="category"]', "B");
  await Promise.all([
    page.waitForLoadState("networkidle"),
    page.locator("main form[method='post'] button[type='submit']").last().click(),
  ]);
  await page.getByText("автошкола работает в режиме «только чтение»").first().waitFor();
  await shot(page, "billing-08-restricted-refused-ru-phone");

  // From the banner to the billing page, and pay by card.
  await Promise.all([page.waitForURL(/\/billing$/), banner.getByRole("link", { name: "Перейти к оплате" }).click()]);
  expect(await page.getByTestId("open-invoice").innerText()).toContain("Просрочен");
  await shot(page, "billing-09-billing-restricted-ru-phone");
  // Back from Checkout before the webhook has confirmed the payment: "being confirmed", and the page reloads itself.
  const early = await page.context().newPage();
  await early.goto(`${system!.url}/s/${s.slug}/billing?paid=${invoice.id}`);
  expect(await early.getByTestId("payment-result").innerText()).toContain(
    `Оплата по счёту № ${invoice.number} подтверждается`,
  );
  expect(await early.locator('meta[http-equiv="refresh"]').getAttribute("content")).toBe(
    `3;url=?paid=${invoice.id}&try=1`,
  );
  await early.close();
  await payByCard(page, "Оплатить картой", Number(invoice.amountTiyn), "billing-10-stripe-checkout-phone");
  await page
    .getByTestId("payment-result")
    .getByText(`Оплата получена: счёт № ${invoice.number} оплачен`)
    .waitFor({ timeout: 15_000 });
  expect(await page.getByTestId("access-banner").count()).toBe(0);
  await shot(page, "billing-11-paid-ru-phone");
  expect(await invoiceOf(s.schoolId)).toMatchObject({ status: "paid" });
  expect(await operatorDb().school.findUniqueOrThrow({ where: { id: s.schoolId } })).toMatchObject({
    status: "active",
  });

  // Pay ahead: the next month's invoice now, at the Start price; then the Network plan re-prices it.
  await page.getByRole("button", { name: "Выставить следующий счёт" }).click();
  await page.getByText(/^Выставлен счёт № /).waitFor();
  expect(await page.getByTestId("payment-result").count()).toBe(0); // the "back from Stripe" notice is not repeated
  const next = await operatorDb().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId, status: "open" } });
  expect(await page.getByTestId("open-invoice").innerText()).toContain(`Счёт № ${next.number}`);
  // Network costs more: it applies at once, and the rest of the paid month is charged the difference by an invoice
  // of its own; the invoice paid ahead is issued again at Network's price (ADR 043).
  const networkRow = page.getByTestId("plans").getByRole("row", { name: /Сеть/ });
  expect(await networkRow.getByTestId("plan-consequence").innerText()).toMatch(
    /^Сразу\. Доплата [\d\s]+,\d\d\s₸ за \d\d\.\d\d\.\d{4}–\d\d\.\d\d\.\d{4} — отдельным счётом\.$/,
  );
  page.once("dialog", (d) => void d.accept());
  await networkRow.getByRole("button", { name: "Перейти на этот тариф" }).click();
  await page.getByText("Тариф изменён на «Сеть»").waitFor();
  const network = await operatorDb().tariffPlan.findUniqueOrThrow({
    where: { code: "network" },
    include: { versions: true },
  });
  const reissued = await operatorDb().invoice.findFirstOrThrow({
    where: { schoolId: s.schoolId, status: "open", planChangeId: null },
  });
  expect(reissued).toMatchObject({ planId: network.id, amountTiyn: network.versions[0]!.priceTiyn });
  const upgrade = await operatorDb().invoice.findFirstOrThrow({
    where: { schoolId: s.schoolId, status: "open", planChangeId: { not: null } },
  });
  const cards = (await page.getByTestId("open-invoice").allInnerTexts()).join("\n");
  expect(cards).toContain(formatTiyn(Number(reissued.amountTiyn)));
  expect(cards).toContain("Доплата за переход с тарифа «Старт» на «Сеть»");
  expect(cards).toContain(formatTiyn(Number(upgrade.amountTiyn)));
  expect(await page.getByTestId("plans").getByRole("row", { name: /Сеть/ }).innerText()).toContain("Ваш тариф");
  await shot(page, "billing-12-plan-changed-ru-phone");
  await page.setViewportSize({ width: 1280, height: 900 });
  await shot(page, "billing-13-billing-ru");
  expect(pageErrors).toEqual([]);
}, 120_000);
