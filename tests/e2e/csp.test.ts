// The Content-Security-Policy in a real browser (docs/decisions/022): scripts only from our origin or with the
// response's nonce. Pages must still hydrate and work — client-side navigation, forms sent by the router — with
// nothing blocked; and an error page shows the code for support (the request id) in Russian and Kazakh, on a phone.
import type { Page } from "playwright-core";
import { addMember, createSchool } from "../factories.ts";
import { browserSuite, chooseLanguage, hydrated, shot } from "./system.ts";

const suite = browserSuite();

/** A phone-sized page that records every script error and every refusal by the policy. */
async function watchedPage(ip: string): Promise<{ page: Page; problems: string[] }> {
  const context = await suite
    .browser()
    .newContext({ viewport: { width: 390, height: 844 }, extraHTTPHeaders: { "X-Forwarded-For": ip } });
  const page = await context.newPage();
  const problems: string[] = [];
  // Reported by the browser itself (an init script comes from the debugger, which the policy does not govern).
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) =>
      console.warn(`CSP refused ${e.effectiveDirective}: ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`),
    ),
  );
  page.on("console", (m) => /Content Security Policy|CSP refused/i.test(m.text()) && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  return { page, problems };
}

it("pages hydrate and work under the policy, and nothing is refused", async () => {
  const s = await createSchool();
  const { email } = await addMember(s.schoolId, "registrar");
  const { page, problems } = await watchedPage("10.77.0.1");
  const url = suite.system().url;

  const login = await page.goto(`${url}/login`);
  expect(login!.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  await hydrated(page);

  // Client-side navigation: the router fetches the next page's data (`.data`) instead of loading a document.
  const [data] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/forgot.data"),
    page.locator('a[href="/forgot"]').first().click(),
  ]);
  expect(data.status()).toBe(200);
  await page.waitForURL(/\/forgot$/);

  // A form sent by the router (sign-in), then a workspace page rendered in the browser.
  await page.goto(`${url}/login`);
  await hydrated(page);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', "correct-horse-battery");
  const [signIn] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/login.data" && r.request().method() === "POST"),
    page.locator('main form button[type="submit"]').click(),
  ]);
  expect(signIn.status()).toBeLessThan(400);
  await page.waitForURL(/\/s\//);
  await page.goto(`${url}/s/${s.slug}/trainees`);
  await hydrated(page);
  await chooseLanguage(page, "ru");

  // An error page: the message and the code for support, the same id as the response's X-Request-Id.
  for (const lang of ["ru", "kk"] as const) {
    const res = await page.goto(`${url}/s/${s.slug}/trainees/not-a-uuid`);
    expect(res!.status()).toBe(404);
    await hydrated(page);
    const code = page.getByTestId("support-code");
    expect(await code.innerText()).toBe(
      `${lang === "ru" ? "Код ошибки для поддержки: " : "Қолдау қызметіне арналған қате коды: "}${res!.headers()["x-request-id"]}`,
    );
    expect(await page.locator(".alert").first().innerText()).toBe(lang === "ru" ? "Не найдено" : "Табылмады");
    await shot(page, `ops-error-page-${lang}-390`);
    if (lang === "ru") await chooseLanguage(page, "kk");
  }

  expect(problems).toEqual([]);
}, 90_000);
