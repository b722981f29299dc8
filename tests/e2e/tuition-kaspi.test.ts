// A trainee pays tuition through the Kaspi app — here the local Kaspi (dev/kaspi/), calling the school's own payee
// /pay/kaspi/school-<slug> over HTTP with the secret its director set — once in Kazakh, once in Russian. On a phone
// the trainee reads in the cabinet what is due and what to type, follows the developer's link to the local Kaspi,
// which checks the contract and pays the exact sum, comes back to the instalments paid and the remainder; the
// school's debtors list no longer has the overdue sum; Kaspi sending the same pay again pays nothing twice. Real
// web server and worker processes, Chromium.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { operatorDb } from "../../server/db/client.ts";
import { seedOffer } from "../../server/db/seed.ts";
import { hashPassword } from "../../server/auth/password.ts";
import type { KaspiStandIn } from "../../dev/kaspi/index.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { createSchool, traineeInput, uniqueIin } from "../factories.ts";
import { launchBrowser, shot, signInPage, type startSystem, startSystemWithKaspi } from "./system.ts";

let system: Awaited<ReturnType<typeof startSystem>> | undefined;
let browser: Browser | undefined;
let kaspi: KaspiStandIn | undefined;
const suite = { system: () => system!, browser: () => browser! };

beforeAll(async () => {
  await seedOffer(operatorDb());
  ({ system, kaspi } = await startSystemWithKaspi());
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
  await kaspi?.close();
});

const money = (tenge: number) => formatTiyn(tenge * 100);
const ddmmyyyy = (iso: string) => iso.split("-").reverse().join(".");

const TEXT = {
  kk: {
    kaspiTitle: "Kaspi.kz арқылы төлеу",
    what: "Не енгізу керек:",
    sum: `Kaspi қазір төлейтін соманы көрсетеді: ${money(200_000)}`,
    devPay: "Жергілікті Kaspi арқылы сынақ төлемі →",
    check: (contract: string) => `${contract} шарты: төлеуге ${money(200_000)}`,
    paid: "Төленді",
    upcoming: "Алда",
    overdue: "Мерзімі өтті",
    balance: "Төленетін қалдық",
    debtorsTitle: "Оқу үшін кім қанша қарыз",
    totals: (overdue: number, balance: number) =>
      `Қарыздар: 1 · мерзімі өткен ${money(overdue)} · барлық қалдық ${money(balance)}`,
  },
  ru: {
    kaspiTitle: "Оплата через Kaspi.kz",
    what: "Что ввести:",
    sum: `Kaspi покажет сумму к оплате сейчас: ${money(200_000)}`,
    devPay: "Тестовая оплата через локальный Kaspi →",
    check: (contract: string) => `Договор ${contract}: к оплате ${money(200_000)}`,
    paid: "Оплачен",
    upcoming: "Предстоит",
    overdue: "Просрочен",
    balance: "Остаток к оплате",
    debtorsTitle: "Кто сколько должен за обучение",
    totals: (overdue: number, balance: number) =>
      `Должников: 1 · просрочено ${money(overdue)} · остаток всего ${money(balance)}`,
  },
} as const;

/**
 * A school taking tuition through Kaspi (its director's secret, Kaspi calling from loopback) and a trainee in
 * `lang` with a cabinet login, whose 300 000 ₸ contract is three instalments of 100 000: the first 15 days ago
 * and unpaid, the next in 15 days, the last in 45. Due now: the overdue one and the next, 200 000.
 */
async function schoolAndTrainee(lang: "kk" | "ru") {
  const s = await createSchool({ schoolName: lang === "kk" ? "«Жол» автомектебі" : "Автошкола «Дорога»" });
  const secret = `school-secret-${randomUUID()}`;
  await s.director.tuition.saveKaspiSettings({ school: s.slug, allowedIps: ["127.0.0.1", "::1"], newSecret: secret });
  await operatorDb().user.update({ where: { id: s.userId }, data: { locale: lang } });
  const { id } = await s.director.trainees.create({
    school: s.slug,
    ...traineeInput({ iin: uniqueIin("2005-05-05"), lastName: "Нұрланова", firstName: "Дана" }),
  });
  await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" });
  const contract = `К-${id.slice(0, 5).toUpperCase()}`;
  await operatorDb().trainee.update({
    where: { id },
    data: { contractPriceTiyn: 300_000_00n, contractNumber: contract },
  });
  const today = almatyDate(new Date());
  await s.director.training.setSchedule({
    school: s.slug,
    traineeId: id,
    plan: {
      kind: "text",
      text: [-15, 15, 45].map((d) => `${ddmmyyyy(addDays(today, d))} 100 000`).join("\n"),
    },
  });
  const userId = randomUUID();
  const email = `dana.${userId.slice(0, 8)}@mail.kz`;
  await operatorDb().user.create({
    data: {
      id: userId,
      email,
      fullName: "Нұрланова Дана",
      passwordHash: await hashPassword("correct-horse-battery"),
      locale: lang,
      emailVerifiedAt: new Date(),
    },
  });
  await operatorDb().trainee.update({ where: { id }, data: { userId } });
  await operatorDb().traineeLogin.create({ data: { userId, schoolId: s.schoolId, traineeId: id } });
  return { s, secret, traineeId: id, contract, email };
}

const text = async (page: Page, testId: string) => page.getByTestId(testId).innerText();
const statesOf = async (page: Page) =>
  page.locator('[data-testid="instalments"] tbody tr td:last-child').allInnerTexts();
const paidSum = async (traineeId: string) =>
  (await operatorDb().traineePayment.findMany({ where: { traineeId }, select: { amountTiyn: true } })).reduce(
    (sum, p) => sum + Number(p.amountTiyn),
    0,
  );

for (const lang of ["kk", "ru"] as const) {
  it(`a trainee pays the instalments due through the local Kaspi; the school sees it; a repeat pays nothing (${lang})`, async () => {
    const T = TEXT[lang];
    const { s, secret, traineeId, contract, email } = await schoolAndTrainee(lang);
    const payee = `school-${s.slug}`;
    const pageErrors: string[] = [];
    const step = (n: number, name: string) => `tuition-kaspi-${lang}-${String(n).padStart(2, "0")}-${name}`;

    // 1. The school's debtors list before: the overdue instalment and the whole price owed.
    const office = await signInPage(suite, { email: s.email, width: 390, lang, landing: /\/s\//, pageErrors });
    await office.goto(`${system!.url}/s/${s.slug}/tuition`);
    await office.getByRole("heading", { name: T.debtorsTitle }).waitFor();
    expect(await office.locator("main").innerText()).toContain(T.totals(100_000, 300_000));
    await shot(office, step(1, "debtors-before"));

    // 2. The trainee's cabinet on a phone: the schedule, what is due now, what to type in Kaspi.
    const page = await signInPage(suite, {
      email,
      width: 390,
      lang,
      landing: new RegExp(`/t/${s.slug}$`),
      pageErrors,
    });
    expect(await statesOf(page)).toEqual([T.overdue, T.upcoming, T.upcoming]);
    const how = await text(page, "kaspi-how");
    expect(how).toContain(T.kaspiTitle);
    expect(how).toContain(`${T.what} ${contract}`);
    expect(how).toContain(T.sum);
    await shot(page, step(2, "cabinet-due"));

    // 3. The local Kaspi: in kk it does not know the school's payee yet and takes the secret the director set
    // (as a developer does on `npm start`); in ru the payee was registered with it before, as Kaspi's own.
    if (lang === "ru") {
      const r = await fetch(`${kaspi!.url}/__fake/payees`, {
        method: "POST",
        body: JSON.stringify({ payee, secret }),
      });
      expect(r.status).toBe(200);
    }
    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(kaspi!.url)),
      page.getByRole("link", { name: T.devPay }).click(),
    ]);
    if (lang === "kk") {
      expect(await page.locator("h1").innerText()).toBe(`Получатель / Алушы ${payee}`);
      await shot(page, step(3, "kaspi-secret"));
      await page.fill('input[name="secret"]', secret);
      await page.getByRole("button", { name: "Сохранить / Сақтау" }).click();
      await page.getByRole("heading", { name: "Платежи / Төлемдер" }).waitFor();
    }
    expect(await page.locator('input[name="account"]').first().inputValue()).toBe(contract);
    expect(await page.locator("body").innerText()).toContain(T.check(contract));
    expect(await page.locator('input[name="sum"]').inputValue()).toBe("200000.00");
    await shot(page, step(4, "kaspi-check"));
    await page.getByRole("button", { name: "Оплатить / Төлеу" }).click();
    await page.getByRole("heading", { name: "Оплачено / Төленді" }).waitFor();
    const txnId = await page.locator("p strong").first().innerText();
    await shot(page, step(5, "kaspi-paid"));

    // 4. Back in the cabinet: two instalments paid, the remainder, nothing due until the last one.
    await Promise.all([
      page.waitForURL(new RegExp(`/t/${s.slug}$`)),
      page.getByRole("link", { name: "Вернуться / Оралу" }).click(),
    ]);
    expect(await statesOf(page)).toEqual([T.paid, T.paid, T.upcoming]);
    const main = await page.locator("main").innerText();
    expect(main).toContain(`${T.balance}\n${money(100_000)}`);
    expect(await text(page, "tuition-due")).toContain(money(100_000));
    expect(await text(page, "tuition-due")).not.toContain(money(200_000));
    await shot(page, step(6, "cabinet-paid"));
    expect(await paidSum(traineeId)).toBe(200_000_00);

    // 5. Kaspi sends the same pay again (its answer lost on the way): the same receipt, nothing paid twice.
    const again = (await (
      await fetch(`${kaspi!.url}/__fake/repeat`, { method: "POST", body: JSON.stringify({ txn_id: txnId }) })
    ).json()) as { result: number; prvTxnId: string };
    const first = kaspi!.payee(payee)!.history.find((t) => t.txnId === txnId)!;
    expect({ result: again.result, prvTxnId: again.prvTxnId }).toEqual({ result: 0, prvTxnId: first.final!.prvTxnId });
    expect(await paidSum(traineeId)).toBe(200_000_00);
    await page.reload();
    expect(await statesOf(page)).toEqual([T.paid, T.paid, T.upcoming]);
    expect(await page.locator("main").innerText()).toContain(`${T.balance}\n${money(100_000)}`);

    // 6. The school's debtors list: nothing overdue any more, 100 000 left of the price.
    await office.reload();
    expect(await office.locator("main").innerText()).toContain(T.totals(0, 100_000));
    const row = await office.locator("main table tbody tr").first().innerText();
    expect(row).toContain("Нұрланова");
    expect(row).toContain(money(100_000));
    expect(row).not.toContain(money(300_000));
    await shot(office, step(7, "debtors-after"));
    expect(pageErrors).toEqual([]);
  }, 180_000);
}
