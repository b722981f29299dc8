// Starts the real system for a browser test: the web server and the worker as child processes, on
// this test file's database, Redis prefix and mail sink (tests/setup.ts), on a free port.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { freePort } from "../../server/cli/services.ts";
import { DEV_KASPI_SECRET } from "../../server/secrets.ts";
import { startKaspiStandIn } from "../../dev/kaspi/index.ts";
import { SERVER_BUILD } from "../../server/root.ts";

const root = path.resolve(import.meta.dirname, "../..");
export const screenshotDir = path.join(root, "tests/e2e/screenshots");

/** `env` adds variables for both processes; its PORT, when given, is the port to use (for a test that must know the URL first). */
export async function startSystem(env: Record<string, string> = {}) {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const childEnv = {
    ...process.env,
    LOG_LEVEL: "warn",
    ...env,
    PORT: String(port),
    PUBLIC_URL: url,
    NODE_ENV: "test" as const,
  };
  const output: string[] = [];
  const start = (file: string, name: string): ChildProcess => {
    const child = spawn(process.execPath, [file], {
      cwd: root,
      env: { ...childEnv, AM_SERVICE: name },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => output.push(String(d)));
    child.stderr!.on("data", (d) => output.push(String(d)));
    return child;
  };
  // The compiled server, as production runs it (`npm test` builds it before the suite).
  const children = [start(SERVER_BUILD.web, "web"), start(SERVER_BUILD.worker, "worker")];
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until || children.some((c) => c.exitCode !== null)) {
      // Leave no worker behind when the web never came up.
      for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
      throw new Error(`the web server did not start:\n${output.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    output,
    async stop() {
      await Promise.all(
        children.map(
          (c) => new Promise<void>((r) => (c.exitCode !== null ? r() : (c.once("exit", () => r()), c.kill("SIGTERM")))),
        ),
      );
    },
  };
}

/**
 * The system with the local Kaspi beside it: the stand-in must know our endpoint, and the pages the stand-in's
 * address, so the system's port is fixed first.
 */
export async function startSystemWithKaspi() {
  const port = await freePort();
  const kaspi = await startKaspiStandIn({
    port: 0,
    endpoint: `http://127.0.0.1:${port}/pay/kaspi/avtomektep`,
    secret: DEV_KASPI_SECRET,
  });
  const system = await startSystem({ PORT: String(port), KASPI_STANDIN_URL: kaspi.url });
  return { system, kaspi };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * For a browser test file: seeds the offer, starts the system and Chromium before the tests, stops
 * both after. Returns getters, since the values exist only once the hooks have run.
 */
export function browserSuite() {
  let system: Awaited<ReturnType<typeof startSystem>> | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const [{ operatorDb }, { seedOffer }] = await Promise.all([
      import("../../server/db/client.ts"),
      import("../../server/db/seed.ts"),
    ]);
    await seedOffer(operatorDb());
    system = await startSystem();
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });
  return { system: () => system!, browser: () => browser! };
}

/**
 * Remix's router exists and has initialised: the page's scripts ran. (Polled with evaluate, which a
 * Content-Security-Policy does not govern; waitForFunction would need eval.)
 */
export const hydrated = (page: Page) =>
  expect
    .poll(
      () =>
        page.evaluate(() =>
          Boolean(
            (window as { __remixRouter?: { state?: { initialized?: boolean } } }).__remixRouter?.state?.initialized,
          ),
        ),
      { timeout: 15_000 },
    )
    .toBe(true);

/**
 * Switches the page's language with the header's switcher and waits until the choice is saved and the
 * page shows it (the POST answered and <html lang> changed): a navigation started sooner would cancel it.
 */
export async function chooseLanguage(page: Page, lang: "kk" | "ru"): Promise<void> {
  await Promise.all([
    page.waitForResponse(
      (r) => /^\/locale(\.data)?$/.test(new URL(r.url()).pathname) && r.request().method() === "POST",
    ),
    page.locator(`form[action="/locale"] button[value="${lang}"]`).first().click(),
  ]);
  await page.locator(`html[lang="${lang}"]`).waitFor({ state: "attached" });
  await page.waitForLoadState("networkidle");
}

let signIns = 0;
/**
 * A user signed in (password `correct-horse-battery`) in a browser context of their own, from an address of
 * their own (the sign-in limits count per IP), in the language asked for. Page errors go to `pageErrors`.
 */
export async function signInPage(
  suite: ReturnType<typeof browserSuite>,
  opts: { email: string; width: number; lang: "kk" | "ru"; landing: RegExp; pageErrors: string[] },
): Promise<Page> {
  const n = ++signIns;
  const context = await suite.browser().newContext({
    viewport: { width: opts.width, height: 900 },
    extraHTTPHeaders: { "X-Forwarded-For": `10.0.${Math.floor(n / 250)}.${(n % 250) + 1}` },
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => opts.pageErrors.push(e.message));
  await page.goto(`${suite.system().url}/login`);
  await page.fill('input[name="email"]', opts.email);
  await page.fill('input[name="password"]', "correct-horse-battery");
  await Promise.all([page.waitForURL(opts.landing), page.locator('main form button[type="submit"]').click()]);
  await chooseLanguage(page, opts.lang);
  return page;
}
