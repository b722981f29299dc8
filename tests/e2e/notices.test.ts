// Notices in the browser: an offer change reaches the school's director (banner in kk, the notice in the
// cabinet's documents with its first reading, "Read" removes the banner) and no one else; an announced
// maintenance window shows to everyone, on a phone as one line that opens, and can be hidden; several banners
// fold into one line on a phone; during a window the workspace is the maintenance page (HTTP 503).
import type { Page } from "playwright-core";
import { randomUUID } from "node:crypto";
import { operatorDb } from "../../server/db/client.ts";
import { fanOutNotice } from "../../server/notices/fanout.ts";
import { addDays, almatyDate, almatyToInstant } from "../../domain/kz/time.ts";
import { addMember, addOperator, createSchool } from "../factories.ts";
import { browserSuite, shot, chooseLanguage } from "./system.ts";

const suite = browserSuite();
let ip = 0;

async function signIn(email: string, width: number, lang: "kk" | "ru"): Promise<Page> {
  const context = await suite
    .browser()
    .newContext({ viewport: { width, height: 900 }, extraHTTPHeaders: { "X-Forwarded-For": `10.0.77.${++ip}` } });
  const page = await context.newPage();
  await page.goto(`${suite.system().url}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', "correct-horse-battery");
  await Promise.all([page.waitForURL(/\/s\//), page.locator('main form button[type="submit"]').click()]);
  await chooseLanguage(page, lang);
  return page;
}

it("shows the offer-change banner to the director until read and to no one else, the maintenance announcement folded on a phone and hidden for good, and the maintenance page during a window", async () => {
  const school = await createSchool({ password: "correct-horse-battery" });
  const slug = (await operatorDb().school.findUniqueOrThrow({ where: { id: school.schoolId } })).slug;
  const registrar = await addMember(school.schoolId, "registrar");
  const op = await addOperator();
  const current = await operatorDb().offerVersion.findFirstOrThrow({ orderBy: { version: "desc" } });
  const { noticeId, version } = await op.caller.admin.notices.publishOffer({
    textKk: `${current.textKk}\n12.1. Жаңа тармақ.`,
    textRu: `${current.textRu}\n12.1. Новый пункт.`,
    summaryKk: "12.1-тармақ қосылды: қолдау сағаттары",
    summaryRu: "Добавлен пункт 12.1: часы поддержки",
    effectiveFrom: addDays(almatyDate(new Date()), 8),
  });
  await fanOutNotice(noticeId);
  const day = addDays(almatyDate(new Date()), 5);
  await op.caller.admin.notices.scheduleMaintenance({
    startDate: day,
    startTime: "01:00",
    endDate: day,
    endTime: "03:00",
    reasonKk: "Серверлерді жаңарту",
    reasonRu: "Обновление серверов",
  });

  const kk = await signIn(school.email, 1280, "kk");
  await kk.goto(`${suite.system().url}/s/${slug}/trainees`);
  await expect(kk.getByTestId("offer-banner").textContent()).resolves.toContain(`${version}-нұсқа`);
  await expect(kk.getByTestId("maintenance-banner").textContent()).resolves.toContain("Серверлерді жаңарту");
  await shot(kk, "notices-banner-kk-1280");
  await kk.goto(`${suite.system().url}/s/${slug}/documents`);
  await expect(kk.getByTestId("documents").textContent()).resolves.toContain(`OFFER-${version}`);
  await shot(kk, "notices-documents-kk-1280");
  // The director on a phone: the banners fold into one line that opens.
  // (In kk: the language chosen is saved on the user, and the wide window above stays in kk.)
  const phone = await signIn(school.email, 390, "kk");
  expect(new URL(phone.url()).pathname).toBe(`/s/${slug}/dashboard`);
  const group = phone.getByTestId("banner-group");
  expect(await group.locator("> summary").innerText()).toMatch(/^Хабарламалар: \d/);
  expect(await phone.getByTestId("maintenance-banner").isVisible()).toBe(false);
  await shot(phone, "notices-folded-kk-390");
  await group.locator("> summary").click();
  await phone.getByTestId("maintenance-banner").waitFor();
  await shot(phone, "notices-unfolded-kk-390");

  await kk.getByTestId("offer-banner").getByRole("button").click();
  // The banner goes once the post and the page's reload are done (networkidle can come between the two).
  await kk.getByTestId("offer-banner").waitFor({ state: "detached" });

  // The registrar can do nothing about the offer: no banner. The maintenance announcement is one line on the
  // phone, whole once tapped, and "Hide" puts it away for good.
  const ru = await signIn(registrar.email, 390, "ru");
  expect(new URL(ru.url()).pathname).toBe(`/s/${slug}/trainees`);
  expect(await ru.getByTestId("offer-banner").count()).toBe(0);
  const maintenance = ru.getByTestId("maintenance-banner");
  const line = maintenance.locator(".banner-line");
  const oneLine = await line.evaluate((e) => e.getBoundingClientRect().height);
  expect(await line.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
  await shot(ru, "notices-banner-ru-390");
  await maintenance.locator("summary").click();
  expect(await line.evaluate((e) => e.getBoundingClientRect().height)).toBeGreaterThan(oneLine * 1.5);
  expect(await maintenance.innerText()).toContain("Обновление серверов");
  await shot(ru, "notices-banner-open-ru-390");
  await maintenance.getByRole("button", { name: "Скрыть" }).click();
  await maintenance.waitFor({ state: "detached" });
  expect(new URL(ru.url()).pathname).toBe(`/s/${slug}/trainees`);
  await ru.goto(`${suite.system().url}/s/${slug}/lessons`);
  expect(await ru.getByTestId("maintenance-banner").count()).toBe(0);

  // A window that has begun (inserted directly: scheduling refuses less than 3 days' notice).
  await operatorDb().maintenanceWindow.create({
    data: {
      id: randomUUID(),
      startsAt: new Date(Date.now() - 60_000),
      endsAt: almatyToInstant(addDays(almatyDate(new Date()), 1), "06:00"),
      reasonKk: "Дерекқорды көшіру",
      reasonRu: "Перенос базы данных",
    },
  });
  await new Promise((r) => setTimeout(r, 10_500)); // the web process reads the windows every 10 s
  const res = await ru.goto(`${suite.system().url}/s/${slug}/trainees`);
  expect(res?.status()).toBe(503);
  await expect(ru.getByTestId("maintenance-page").textContent()).resolves.toContain("Перенос базы данных");
  await shot(ru, "notices-maintenance-ru-390");
  const res2 = await kk.goto(`${suite.system().url}/s/${slug}/documents`);
  expect(res2?.status()).toBe(503);
  await expect(kk.getByTestId("maintenance-page").textContent()).resolves.toContain("Дерекқорды көшіру");
  await shot(kk, "notices-maintenance-kk-1280");
}, 120_000);
