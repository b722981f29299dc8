// A page's scripts carry the reader's language only (docs/decisions/050): the other language's messages come
// to the browser when the reader switches to it, or signs in as a user who reads it — and the page then shows
// that language at once, without reloading the document and without a hydration error.
import type { Page } from "playwright-core";
import { operatorDb } from "../../server/db/client.ts";
import { translator } from "../../domain/i18n/index.ts";
import { resources } from "../../domain/i18n/messages.ts";
import { addMember, createSchool } from "../factories.ts";
import { browserSuite, chooseLanguage, hydrated, shot } from "./system.ts";

const suite = browserSuite();

/** Every script the page loaded, with \uXXXX escapes (esbuild writes Cyrillic so) read as the letters they are. */
function scriptsOf(page: Page): { text: () => Promise<string> } {
  const bodies: Promise<string>[] = [];
  page.on("response", (r) => {
    // read at once: a body is gone once the page navigates away
    if (new URL(r.url()).pathname.startsWith("/build/") && r.url().endsWith(".js")) bodies.push(r.text());
  });
  return {
    async text() {
      return (await Promise.all(bodies))
        .join("\n")
        .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    },
  };
}

/** Script errors and the console's errors (a hydration mismatch is reported there). */
function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  return problems;
}

// Texts only one of the languages has.
const KAZAKH = [resources.kk.common.tagline, resources.kk.errors.notFound];
const RUSSIAN = [resources.ru.common.tagline, resources.ru.errors.notFound];

it("a page loads only its reader's language; switching kk → ru → kk shows the other one at once, in the same document", async () => {
  const s = await createSchool();
  const { email } = await addMember(s.schoolId, "registrar");
  const context = await suite.browser().newContext({
    viewport: { width: 1280, height: 900 },
    extraHTTPHeaders: { "X-Forwarded-For": "10.66.0.1" },
  });
  await context.addCookies([{ name: "am_lang", value: "kk", url: suite.system().url }]);
  const page = await context.newPage();
  const problems = problemsOf(page);
  const scripts = scriptsOf(page);

  await page.goto(`${suite.system().url}/login`);
  await hydrated(page);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', "correct-horse-battery");
  await Promise.all([page.waitForURL(/\/s\//), page.locator('main form button[type="submit"]').click()]);
  await page.goto(`${suite.system().url}/s/${s.slug}/trainees`);
  await hydrated(page);
  const h1 = page.locator("main h1").first();
  expect(await h1.innerText()).toBe(translator("kk")("workspace:trainees.title"));
  const kkOnly = await scripts.text();
  for (const text of KAZAKH) expect(kkOnly).toContain(text);
  for (const text of RUSSIAN) expect(kkOnly).not.toContain(text);

  // The switch is sent by the router: the same document (a mark left on the window survives) in Russian.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));
  await chooseLanguage(page, "ru");
  await expect.poll(() => h1.innerText()).toBe(translator("ru")("workspace:trainees.title"));
  expect(await page.locator('form[action="/locale"] button[aria-pressed="true"]').getAttribute("value")).toBe("ru");
  await shot(page, "languages-trainees-ru");
  for (const text of RUSSIAN) expect(await scripts.text()).toContain(text);

  await chooseLanguage(page, "kk");
  await expect.poll(() => h1.innerText()).toBe(translator("kk")("workspace:trainees.title"));
  await shot(page, "languages-trainees-kk");
  expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);
  expect(problems).toEqual([]);
}, 90_000);

it("signing in from a Kazakh page as a user who reads Russian shows the workspace in Russian", async () => {
  const s = await createSchool();
  const { email, userId } = await addMember(s.schoolId, "registrar");
  await operatorDb().user.update({ where: { id: userId }, data: { locale: "ru" } });
  // Kazakh by the browser's language, not chosen with the switch (a chosen one would be saved on the user).
  const context = await suite.browser().newContext({
    viewport: { width: 390, height: 844 },
    extraHTTPHeaders: { "X-Forwarded-For": "10.66.0.2", "Accept-Language": "kk" },
  });
  const page = await context.newPage();
  const problems = problemsOf(page);

  await page.goto(`${suite.system().url}/login`);
  await hydrated(page);
  expect(await page.locator("main h1").first().innerText()).toBe(translator("kk")("auth:login.title"));
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', "correct-horse-battery");
  // The router sends the form and renders the next page: in Russian, whose messages the page had not loaded.
  await Promise.all([page.waitForURL(/\/s\//), page.locator('main form button[type="submit"]').click()]);
  await page.locator('html[lang="ru"]').waitFor({ state: "attached" });
  await expect
    .poll(() => page.locator('form[action="/locale"] button[aria-pressed="true"]').getAttribute("value"))
    .toBe("ru");
  await expect.poll(() => page.locator("header.topbar").textContent()).toContain(translator("ru")("common:logout"));
  await shot(page, "languages-signed-in-ru-390");
  expect(problems).toEqual([]);
}, 90_000);
