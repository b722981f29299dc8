// Support tickets in the browser: a registrar opens a remark with an attachment (a program dressed as a
// picture is refused first), the operator finds it in the queue by deadline and replies, the registrar gets
// the reply by e-mail in Kazakh and sees it in the cabinet, then in Russian on a phone. Screenshots kk and ru.
import type { Page } from "playwright-core";
import { operatorDb } from "../../server/db/client.ts";
import { addMember, addOperator, createSchool } from "../factories.ts";
import { waitForMail } from "../mail.ts";
import { browserSuite, shot, chooseLanguage, signInPage } from "./system.ts";

const suite = browserSuite();
const pageErrors: string[] = [];

const signIn = (email: string, width: number, lang: "kk" | "ru", landing: RegExp) =>
  signInPage(suite, { email, width, lang, landing, pageErrors });

async function switchLanguage(page: Page, lang: "kk" | "ru") {
  await chooseLanguage(page, lang);
}

/** A locator's text once it is on the page. */
async function text(locator: ReturnType<Page["locator"]>): Promise<string> {
  await locator.first().waitFor();
  return locator.first().innerText();
}

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

it("a registrar's remark with a screenshot reaches the operator, whose reply comes back by e-mail and in the cabinet", async () => {
  const s = await createSchool({ schoolName: "«Жол» автомектебі" });
  const registrar = await addMember(s.schoolId, "registrar");
  const operator = await addOperator("support");
  const opEmail = (await operatorDb().user.findUniqueOrThrow({ where: { id: operator.userId } })).email;

  const page = await signIn(registrar.email, 1280, "kk", /\/s\//);
  await page.goto(`${suite.system().url}/s/${s.slug}/support`);
  expect(await text(page.locator("main h1"))).toBe("Қолдау қызметі");
  await shot(page, "support-01-form-kk");

  // A program named like a picture: refused by its content, in Kazakh, and nothing is stored.
  await page.fill('input[name="subject"]', "Тізім экспорты ашылмайды");
  await page.fill('textarea[name="text"]', "Топ тізімін XLSX-ке жүктегенде файл бос болып шығады. Скриншот тіркелді.");
  await page.setInputFiles("#f-files", [
    { name: "скриншот.png", mimeType: "image/png", buffer: Buffer.concat([Buffer.from("MZ"), Buffer.alloc(64, 0x90)]) },
  ]);
  await page.locator('main form button[type="submit"]').click();
  expect(await text(page.locator(".field.has-error .error"))).toContain("«скриншот.png» файлы қабылданбады");
  await shot(page, "support-02-refused-by-content-kk");
  expect(await operatorDb().supportTicket.count({ where: { schoolId: s.schoolId } })).toBe(0);

  // The real screenshot: accepted; the page says by when support answers.
  await page.setInputFiles("#f-files", [{ name: "скриншот.png", mimeType: "image/png", buffer: PNG }]);
  await Promise.all([
    page.waitForURL(/\/support\/[0-9a-f-]{36}\?created=1/),
    page.locator('main form button[type="submit"]').click(),
  ]);
  expect(await text(page.locator("p.notice"))).toContain("№1 өтініш жіберілді");
  expect(await text(page.locator("main"))).toContain("скриншот.png");
  await shot(page, "support-03-ticket-created-kk");
  const ticket = await operatorDb().supportTicket.findFirstOrThrow({ where: { schoolId: s.schoolId } });
  expect(ticket.kind).toBe("remark");

  // The operator: the queue (Russian), the ticket, a reply.
  const op = await signIn(opEmail, 1280, "ru", /\/admin/);
  await op.goto(`${suite.system().url}/admin/support`);
  expect(await text(op.locator("main table"))).toContain("Тізім экспорты ашылмайды");
  await shot(op, "support-04-queue-ru");
  await Promise.all([
    op.waitForURL(/\/admin\/support\/[0-9a-f-]{36}$/),
    op.getByRole("link", { name: "Тізім экспорты ашылмайды" }).click(),
  ]);
  // The URL changes before the ticket's page has rendered: wait for its reply form, then read it.
  await op.locator('textarea[name="text"]').waitFor();
  expect(await text(op.locator("main"))).toContain(registrar.email);
  const download = await Promise.all([
    op.waitForEvent("download"),
    op.getByRole("link", { name: "скриншот.png" }).click(),
  ]).then(([d]) => d);
  expect(download.suggestedFilename()).toBe("скриншот.png");
  await op.fill('textarea[name="text"]', "Рахмет! Қате табылды, түзету бүгін кешке шығады.");
  await op.getByRole("button", { name: "Ответить" }).click();
  expect(await text(op.locator("p.notice"))).toBe("Ответ отправлен автору.");
  await shot(op, "support-05-replied-ru");
  await switchLanguage(op, "kk");
  await op.goto(`${suite.system().url}/admin/support?status=all`);
  await shot(op, "support-06-queue-kk");

  // The registrar: one e-mail in Kazakh, the reply under the ticket.
  const mail = await waitForMail(registrar.email, /Қолдау қызметінің жауабы/);
  expect(mail.text).toContain("Қате табылды, түзету бүгін кешке шығады.");
  await page.reload();
  expect(await text(page.locator(".history"))).toContain("Avtomektep қолдау қызметі");
  await shot(page, "support-07-reply-in-cabinet-kk");

  // In Russian on a phone.
  await switchLanguage(page, "ru");
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${suite.system().url}/s/${s.slug}/support`);
  expect(await text(page.locator("main table"))).toContain("Есть ответ");
  await shot(page, "support-08-list-phone-ru");
  await page.goto(`${suite.system().url}/s/${s.slug}/support/${ticket.id}`);
  expect(await text(page.locator(".history"))).toContain("Поддержка Avtomektep");
  await shot(page, "support-09-ticket-phone-ru");

  const replies = await operatorDb().emailDelivery.findMany({
    where: { jobId: { startsWith: "support-reply-" }, toAddress: registrar.email },
  });
  expect(replies).toHaveLength(1);
  expect(pageErrors).toEqual([]);
}, 120_000);
