// The trainee card's status and payment forms as a director uses them on a phone (a walk on 2026-12-07 found a
// payment recorded twice after a second tap, and the status list jumping to "expelled" after a change): each form
// says what it did beside itself, empties itself once done, starts a payment dated today, and a form sent twice
// records one payment.
import { operatorDb } from "../../server/db/client.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { formatDate, formatTiyn } from "../../domain/i18n/index.ts";
import { createSchool, traineeInput } from "../factories.ts";
import { addInstructor, addVehicle } from "../lessons.ts";
import path from "node:path";
import { browserSuite, chooseLanguage, screenshotDir, shot } from "./system.ts";

const { system, browser } = browserSuite();

it("a director moves a trainee on and takes a payment on a phone: each form says so beside it and empties itself; a second sending records nothing", async () => {
  const s = await createSchool();
  const { id } = await s.director.trainees.create({
    school: s.slug,
    ...traineeInput({ lastName: "Нұрланова", firstName: "Дана" }),
  });
  await operatorDb().trainee.update({ where: { id }, data: { contractPriceTiyn: 280_000_00n } });
  const context = await browser().newContext({
    viewport: { width: 390, height: 844 },
    extraHTTPHeaders: { "X-Forwarded-For": "10.77.3.1" },
  });
  const page = await context.newPage();
  await page.goto(`${system().url}/login`);
  await page.fill('input[name="email"]', s.email);
  await page.fill('input[name="password"]', "correct-horse-battery");
  await Promise.all([page.waitForURL(/\/s\//), page.locator('main form button[type="submit"]').click()]);
  await chooseLanguage(page, "kk");
  await page.goto(`${system().url}/s/${s.slug}/trainees/${id}`);

  // An applicant is not booked yet: the card says what to do first.
  await page.locator("#progress").getByText("жоғарыда мәртебені «Қабылданды» етіп өзгертіңіз").waitFor();

  // Applicant → enrolled → in training: each time the list offers the new status's next step first.
  const status = page.locator("#status");
  const select = status.locator('select[name="to"]');
  expect(await select.inputValue()).toBe("enrolled");
  await status.getByRole("button").click();
  await status.getByText("Мәртебе өзгертілді").waitFor();
  expect(await select.inputValue()).toBe("training");
  await status.getByRole("button").click();
  await status.getByText("Оқып жүр").first().waitFor();
  expect(await select.inputValue()).toBe("exams");
  expect((await operatorDb().trainee.findUniqueOrThrow({ where: { id } })).status).toBe("training");

  // A payment: dated today already; done, it is said beside the form, which is empty again.
  const contract = page.locator("#contract");
  const paidOn = contract.locator('input[name="paidOn"]');
  expect(await paidOn.inputValue()).toBe(almatyDate(new Date()));
  await contract.locator('input[name="amount"]').fill("50 000");
  await contract.locator('input[name="note"]').fill("қолма-қол");
  const key = await contract.locator('input[name="submissionKey"]').inputValue();
  await contract.getByRole("button", { name: "Төлем енгізу" }).click();
  await contract.getByText("Төлем енгізілді").waitFor();
  await shot(page, "card-forms-01-payment-kk-phone");
  await contract.screenshot({ path: path.join(screenshotDir, "card-forms-02-contract-kk-phone.png") });
  expect(await contract.locator('input[name="amount"]').inputValue()).toBe("");
  expect(await contract.locator('input[name="note"]').inputValue()).toBe("");
  expect(await contract.innerText()).toContain(
    `${formatDate(almatyDate(new Date()), "kk")} — ${formatTiyn(50_000_00)} (қолма-қол)`,
  );

  // The same form sent again (a tap that left before the answer came, a browser's retry): nothing more recorded.
  const again = await page.request.post(`${system().url}/s/${s.slug}/trainees/${id}`, {
    form: {
      intent: "payment",
      amount: "50 000",
      paidOn: almatyDate(new Date()),
      note: "қолма-қол",
      submissionKey: key,
    },
    headers: { origin: system().url },
  });
  expect(again.status()).toBe(200);
  expect(await operatorDb().traineePayment.count({ where: { traineeId: id } })).toBe(1);
  expect((await operatorDb().trainee.findUniqueOrThrow({ where: { id } })).paidTiyn).toBe(50_000_00n);

  // In training, the card books her a lesson: the booking form comes with her chosen.
  await addInstructor(s.schoolId, { fullName: "Ерланов Нұрлан" });
  await addVehicle(s.schoolId, { plate: "404KZ02" });
  await page.reload();
  await page.locator("#progress").screenshot({ path: path.join(screenshotDir, "card-forms-03-progress-kk-phone.png") });
  await Promise.all([
    page.waitForURL(/\/lessons\/book\?traineeId=/),
    page.locator("#progress").getByRole("link", { name: "Жүргізу сабағына жазу" }).click(),
  ]);
  expect(await page.locator('select[name="traineeId"]').inputValue()).toBe(id);
  await page.getByText("Өтініш берушіні алдымен оның карточкасында қабылдаңыз").waitFor();
  await shot(page, "card-forms-04-book-from-card-kk-phone");
  // Booked, back on her card, which says so and lists the lesson ahead.
  await page.locator('select[name="instructorId"]').selectOption({ index: 1 });
  await page.locator('select[name="vehicleId"]').selectOption({ index: 1 });
  await page.locator('input[name="date"]').fill(addDays(almatyDate(new Date()), 1));
  await Promise.all([
    page.waitForURL(new RegExp(`/trainees/${id}\\?booked=1$`)),
    page.locator("main form[method='post'] button[type='submit']").last().click(),
  ]);
  await page.locator("#progress").getByText("Сабақ жазылды").waitFor();
  expect(await page.getByTestId("upcoming-lessons").innerText()).toContain("10:00–11:30");

  // The menu on a phone is one sideways row: on its last section's page, that section's entry is on the screen.
  await page.goto(`${system().url}/s/${s.slug}/support`);
  const current = await page.locator('.sidenav [aria-current="page"]').boundingBox();
  expect(current!.x).toBeGreaterThanOrEqual(0);
  expect(current!.x + current!.width).toBeLessThanOrEqual(390);
}, 120_000);
