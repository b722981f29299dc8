// The school's data archive in the browser: the director finds it on the privacy page, asks for it, watches it
// being prepared and downloads the zip (kk, desktop; ru, on a phone); the operator does the same from the
// school's card (ru, kk). Screenshots of each step.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { operatorDb } from "../../server/db/client.ts";
import { addOperator, createSchool, traineeInput } from "../factories.ts";
import { PNG_1x1, unzip } from "../archive.ts";
import { browserSuite, chooseLanguage, shot, signInPage } from "./system.ts";

const suite = browserSuite();
const pageErrors: string[] = [];
const signIn = (email: string, width: number, lang: "kk" | "ru", landing: RegExp) =>
  signInPage(suite, { email, width, lang, landing, pageErrors });

async function text(locator: ReturnType<Page["locator"]>): Promise<string> {
  await locator.first().waitFor();
  return locator.first().innerText();
}

/** Clicks the request button and waits until `ready` archives are listed (the worker builds it; the page polls). */
async function requestAndWait(page: Page, schoolId: string, shotName: string, ready: number) {
  const listed = await page.getByTestId("archive").count();
  await page.getByTestId("archive-request").click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="archive"]').length > n, listed);
  await shot(page, shotName);
  // Watched in the database too, so a build that failed says why instead of timing out.
  const end = Date.now() + 120_000;
  for (;;) {
    const rows = await operatorDb().schoolArchive.findMany({
      where: { schoolId },
      select: { status: true, error: true, attempts: true },
    });
    if (rows.some((r) => r.status === "failed")) throw new Error(`archive build failed: ${JSON.stringify(rows)}`);
    if (rows.filter((r) => r.status === "ready").length === ready) break;
    if (Date.now() > end) throw new Error(`archive not ready in 120 s: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="archive"][data-status="ready"]').length === n,
    ready,
  );
}

it("the director asks for the archive, sees it prepared and downloads one zip; the operator can do the same", {
  timeout: 180_000,
}, async () => {
  const s = await createSchool({ schoolName: "«Көлік» автомектебі" });
  for (const lastName of ["Жұмабаева", "Оспанов"]) {
    const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName }) });
    await s.director.trainees.setPhoto({ school: s.slug, id, base64: PNG_1x1.toString("base64") });
  }
  const base = suite.system().url;

  // Kazakh, desktop: the privacy page points to the archive.
  const page = await signIn(s.email, 1280, "kk", /\/s\//);
  await page.goto(`${base}/s/${s.slug}/privacy`);
  expect(await text(page.getByTestId("archive-card"))).toContain("Автомектептің барлық деректері бір мұрағатта");
  await shot(page, "archive-01-privacy-card-kk");
  await Promise.all([
    page.waitForURL(/\/archive$/),
    page.getByRole("link", { name: "Деректер мұрағатына өту" }).click(),
  ]);
  await page.getByTestId("archive-request").waitFor(); // the URL changes before the page has rendered
  expect(await text(page.locator("main h1"))).toBe("Автомектеп деректерінің мұрағаты");
  expect(await text(page.locator("main"))).toContain("Әзірге мұрағат жоқ.");
  await requestAndWait(page, s.schoolId, "archive-02-preparing-kk", 1);
  expect(await text(page.locator('[data-testid="archive"][data-status="ready"] .badge'))).toBe("Дайын");
  await shot(page, "archive-03-ready-kk");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("archive-download").first().click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^avtomektep-${s.slug}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
  const zip = await unzip(await readFile((await download.path())!));
  expect(zip.get("README.txt")!.toString("utf8")).toContain("«Көлік» автомектебі");
  expect([...zip.keys()].filter((k) => k.startsWith("files/trainee_photo/"))).toHaveLength(2);
  expect(await operatorDb().auditLog.count({ where: { schoolId: s.schoolId, action: "archive.downloaded" } })).toBe(1);

  // Russian, on a phone: the ready archive is listed, nothing wider than the screen.
  const phone = await signIn(s.email, 390, "ru", /\/s\//);
  await phone.goto(`${base}/s/${s.slug}/archive`);
  expect(await text(phone.locator("main h1"))).toBe("Архив данных автошколы");
  expect(await text(phone.locator('[data-testid="archive"] .badge'))).toBe("Готов");
  expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
  await shot(phone, "archive-04-ready-phone-ru");
  await chooseLanguage(phone, "kk");
  expect(await text(phone.locator('[data-testid="archive"] .badge'))).toBe("Дайын");
  await shot(phone, "archive-04-ready-phone-kk");

  // The operator, from the school's card (Russian, then Kazakh).
  const operator = await addOperator("support");
  const opEmail = (await operatorDb().user.findUniqueOrThrow({ where: { id: operator.userId } })).email;
  const op = await signIn(opEmail, 1280, "ru", /\/admin/);
  await op.goto(`${base}/admin/schools/${s.schoolId}`);
  await shot(op, "archive-05-operator-school-card-ru");
  await Promise.all([op.waitForURL(/\/archive$/), op.getByRole("link", { name: "Архив данных автошколы" }).click()]);
  await op.getByTestId("archive-request").waitFor(); // the URL changes before the page has rendered
  expect(await text(op.locator("main h1"))).toBe("Архив данных: «Көлік» автомектебі");
  expect(await text(op.locator('[data-testid="archive"]'))).toContain("автошкола");
  await requestAndWait(op, s.schoolId, "archive-06-operator-preparing-ru", 2);
  await shot(op, "archive-07-operator-ready-ru");
  const [opDownload] = await Promise.all([
    op.waitForEvent("download"),
    op.getByTestId("archive-download").first().click(),
  ]);
  expect(opDownload.suggestedFilename()).toMatch(/\.zip$/);
  await op.goto(`${base}/admin/schools/${s.schoolId}/archive`);
  await chooseLanguage(op, "kk");
  await shot(op, "archive-08-operator-kk");

  expect(pageErrors).toEqual([]);
});
