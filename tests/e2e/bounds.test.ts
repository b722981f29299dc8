// In the browser: a file over the import page's limit, sent from the page (the app's own fetch, not a
// document post), is refused in front of the app with 413 — and the page shows why, in kk and in ru, on a phone.
import { createSchool } from "../factories.ts";
import { browserSuite, shot, signInPage } from "./system.ts";

const suite = browserSuite();

describe("an upload over the page's limit", () => {
  it.each(["kk", "ru"] as const)("shows the limit in the page's error (%s, 390 px)", async (lang) => {
    const s = await createSchool();
    const pageErrors: string[] = [];
    const page = await signInPage(suite, { email: s.email, width: 390, lang, landing: /\/s\//, pageErrors });
    await page.goto(`${suite.system().url}/s/${s.slug}/trainees/import`);
    await page.locator('input[type="file"][name="file"]').setInputFiles({
      name: "курсанты.xlsx",
      mimeType: "application/octet-stream",
      buffer: Buffer.alloc(12 * 1024 * 1024, 0x50),
    });
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname.endsWith("/trainees/import.data"),
      ),
      page.locator('main form[enctype="multipart/form-data"] button[type="submit"]').click(),
    ]);
    expect(response.status()).toBe(413);
    const message =
      lang === "kk"
        ? "Сұраныс тым үлкен: мұнда 11 МБ-тан аспауы керек"
        : "Запрос слишком большой: здесь принимается не больше 11 МБ";
    await page.getByText(message).waitFor();
    await shot(page, `bounds-upload-too-large-${lang}-390`);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
