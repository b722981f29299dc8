// A school signs up in Kazakh in a real browser, logs out and in again, adds a trainee (after a
// refused bad IIN), and logs out — against the real web server and worker on this file's database.
import type { Page } from "playwright-core";
import { operatorDb } from "../../server/db/client.ts";
import { makeBin, makeIin } from "../../domain/kz/iin.ts";
import { browserSuite, shot, chooseLanguage } from "./system.ts";
import { linkIn, waitForMail } from "../mail.ts";

const { system, browser } = browserSuite();

async function submit(page: Page, formSelector: string) {
  await Promise.all([
    page.waitForLoadState("networkidle"),
    page.locator(`${formSelector} button[type="submit"]`).last().click(),
  ]);
}

it("signs a school up in Kazakh, logs in, adds a trainee and logs out", async () => {
  const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));

  // Landing: Kazakh by default, with the offer text
  await page.goto(`${system().url}/`);
  expect(await page.locator("html").getAttribute("lang")).toBe("kk");
  expect(await page.getByTestId("offer-text").innerText()).toContain("ЖАРИЯ ШАРТ");
  await shot(page, "01-landing-kk");

  // Sign-up
  const email = `director.${Date.now()}@mektep.kz`;
  const password = "qauipsiz-kupiya-soz";
  const bin = makeBin("2309", Math.floor(Math.random() * 90_000));
  await page.goto(`${system().url}/signup`);
  await page.fill('input[name="schoolName"]', "«Қазақ Жолы» автомектебі");
  await page.check('input[name="kind"][value="legal_entity"]');
  await page.fill('input[name="binIin"]', bin.slice(0, 11) + ((Number(bin[11]) + 1) % 10)); // a wrong check digit first
  await page.fill('input[name="directorName"]', "Серікбаев Нұрлан Ерланұлы");
  await page.fill('input[name="phone"]', "+7 701 555 12 34");
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.check('input[name="acceptOffer"]');
  await page.check('input[name="acceptPersonalData"]');
  await submit(page, "form[method='post']");
  await page
    .getByText("БСН қате: бақылау цифры сәйкес келмейді")
    .first()
    .waitFor({ state: "visible", timeout: 10_000 });
  await shot(page, "02-signup-bad-bin-kk");

  // A typo in one field costs nothing else: the password and the ticks are still there.
  expect(await page.inputValue('input[name="password"]')).toBe(password);
  expect(await page.inputValue('input[name="directorName"]')).toBe("Серікбаев Нұрлан Ерланұлы");
  expect(await page.isChecked('input[name="acceptOffer"]')).toBe(true);
  expect(await page.isChecked('input[name="acceptPersonalData"]')).toBe(true);
  await page.fill('input[name="binIin"]', bin);
  await submit(page, "form[method='post']");
  // Nothing is created yet: the page says a link went to the address (the same for any address).
  await page.getByText(email).first().waitFor({ state: "visible", timeout: 10_000 });
  expect(await page.locator("h1").innerText()).toBe("Поштаңызды тексеріңіз");
  await shot(page, "02b-signup-sent-kk");
  expect(await operatorDb().school.count({ where: { binIin: bin } })).toBe(0);

  // The link came through the outbox, the worker and SMTP; opening it shows a button (mail scanners open links).
  const mail = await waitForMail(email, /растаңыз/);
  await page.goto(`${system().url}/signup/confirm/${linkIn(mail, "/signup/confirm")}`);
  await shot(page, "02c-signup-confirm-kk");
  await submit(page, "form[method='post']");
  await page.waitForURL(/\/s\/[a-z0-9-]+\/(dashboard|trainees)/);
  const slug = new URL(page.url()).pathname.split("/")[2]!;
  await page.getByText("«Қазақ Жолы» автомектебі").first().waitFor({ state: "visible", timeout: 10_000 });
  await shot(page, "03-workspace-after-signup-kk");

  const school = await operatorDb().school.findUniqueOrThrow({ where: { slug }, include: { acceptances: true } });
  expect(school).toMatchObject({ binIin: bin, status: "trial" });
  expect(school.acceptances).toHaveLength(1);
  expect(school.acceptances[0]!.userAgent).toMatch(/Chrome/);

  // Log out, then in again
  await page.locator('form[action="/logout"] button').click();
  await page.waitForURL(/\/login/);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await submit(page, "form[method='post']");
  await page.waitForURL(new RegExp(`/s/${slug}/(dashboard|trainees)`));

  // Add a trainee: a bad IIN is refused with the reason, a good one is saved
  await page.goto(`${system().url}/s/${slug}/trainees/new`);
  await page.fill('input[name="iin"]', "123456789012");
  await page.fill('input[name="lastName"]', "Әбдірахманова");
  await page.fill('input[name="firstName"]', "Аружан");
  await page.selectOption('select[name="category"]', "B");
  await submit(page, "form[method='post']");
  await page
    .getByText(/^ЖСН қате/)
    .first()
    .waitFor({ state: "visible", timeout: 10_000 });
  expect(await page.locator('input[name="lastName"]').inputValue()).toBe("Әбдірахманова");
  await shot(page, "04-trainee-bad-iin-kk");

  const iin = makeIin("2005-06-07", "female", 4321);
  await page.fill('input[name="iin"]', iin);
  await submit(page, "form[method='post']");
  // Saved, the new trainee's card opens (where enrolling, the contract and lessons are), saying so.
  await page.waitForURL(new RegExp(`/s/${slug}/trainees/[0-9a-f-]{36}\\?created=1$`));
  await page.getByText("Оқушы тізімге қосылды").waitFor();
  expect(await page.locator("h1").innerText()).toBe("Әбдірахманова Аружан");
  await shot(page, "05-trainee-created-kk");
  await page.goto(`${system().url}/s/${slug}/trainees`);
  await page.getByText("Әбдірахманова Аружан").first().waitFor({ state: "visible", timeout: 10_000 });
  await shot(page, "05-trainee-list-kk");
  expect(
    await operatorDb().trainee.findFirst({
      where: { schoolId: school.id, iin },
      select: { birthDate: true, sex: true },
    }),
  ).toEqual({
    birthDate: new Date("2005-06-07T00:00:00Z"),
    sex: "female",
  });

  // At phone width the list is still usable
  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await page.getByText("Әбдірахманова Аружан").first().waitFor({ state: "visible", timeout: 10_000 });
  await shot(page, "06-trainee-list-phone-kk");
  // The status, what the list is scanned for, is on the screen without scrolling sideways; the IIN is under the name.
  const badge = await page.locator("tbody .badge").first().boundingBox();
  expect(badge!.x + badge!.width).toBeLessThanOrEqual(375);
  await page.locator("tbody td .show-phone", { hasText: iin }).waitFor();

  // Log out: the workspace is closed again
  await page.locator('form[action="/logout"] button').click();
  await page.waitForURL(/\/login/);
  await page.goto(`${system().url}/s/${slug}/trainees`);
  await page.waitForURL(/\/login/);
  await shot(page, "07-logged-out-kk");
  expect(pageErrors).toEqual([]);
}, 120_000);

it("shows the same pages in Russian after the language switch", async () => {
  const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${system().url}/`);
  await chooseLanguage(page, "ru");
  expect(await page.locator("html").getAttribute("lang")).toBe("ru");
  expect(await page.getByTestId("offer-text").innerText()).toContain("ПУБЛИЧНЫЙ ДОГОВОР");
  await shot(page, "08-landing-ru");
  await page.goto(`${system().url}/signup`);
  expect(await page.locator("html").getAttribute("lang")).toBe("ru");
  await shot(page, "09-signup-ru");
}, 60_000);
