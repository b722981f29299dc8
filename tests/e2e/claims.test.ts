// Claims in the browser: a director files a claim from the cabinet (Kazakh, desktop) and sees its deadlines;
// the operator finds it in the console with its review and answer deadlines beside older claims coloured by
// closeness (Russian desktop, Kazakh phone), answers one, and the director sees the answer (Russian phone).
import { operatorDb } from "../../server/db/client.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { addWorkingDays } from "../../server/contract/calendar.ts";
import { registerClaim } from "../../server/contract/claims.ts";
import { formatDate } from "../../domain/i18n/index.ts";
import { addOperator, createSchool, meta } from "../factories.ts";
import { browserSuite, shot, signInPage } from "./system.ts";

const suite = browserSuite();
const pageErrors: string[] = [];

const signIn = (email: string, width: number, lang: "kk" | "ru", landing: RegExp) =>
  signInPage(suite, { email, width, lang, landing, pageErrors });

it("a director files a claim and the operator sees its deadlines in the console", { timeout: 90_000 }, async () => {
  const s = await createSchool({ schoolName: "«Бағдаршам» автомектебі" });
  const operator = await addOperator("support");
  const opEmail = (await operatorDb().user.findUniqueOrThrow({ where: { id: operator.userId } })).email;
  const today = almatyDate(new Date());
  // Two paper claims received earlier: one due for review today, one overdue for review and due for an answer soon.
  await registerClaim({
    schoolId: s.schoolId,
    subject: "Акт за октябрь",
    text: "Акт не получен.",
    receivedOn: addWorkingDays(today, -7),
    source: "paper",
    filedBy: operator.userId,
    meta,
  });
  await registerClaim({
    schoolId: s.schoolId,
    subject: "Двойное списание",
    text: "Оплата списана дважды.",
    receivedOn: addWorkingDays(today, -9),
    source: "paper",
    filedBy: operator.userId,
    meta,
  });

  const page = await signIn(s.email, 1280, "kk", /\/s\//);
  await page.goto(`${suite.system().url}/s/${s.slug}/claims`);
  expect(await page.locator("main h1").innerText()).toBe("Талаптар (претензиялар)");
  await page.fill("#c-subject", "Журнал ашылмайды");
  await page.fill("#c-text", "23.11.2026 бастап теория журналы ашылмайды. Мәселені шешуді сұраймыз.");
  await page.getByRole("button", { name: "Жіберу" }).click();
  const answerDue = addWorkingDays(today, 10);
  await expect
    .poll(() =>
      page
        .locator(".notice")
        .first()
        .innerText()
        .catch(() => ""),
    )
    .toBe(`№ 3 талап тіркелді. Жауап — ${formatDate(answerDue)} кешіктірілмей.`);
  const row = page.locator('tr[data-claim="3"]');
  expect(await row.innerText()).toContain(formatDate(addWorkingDays(today, 7)));
  expect(await row.innerText()).toContain(formatDate(answerDue));
  await shot(page, "claims-01-director-filed-kk");

  // The operator's console, in Russian: the new claim with its deadlines; the older ones coloured.
  const op = await signIn(opEmail, 1280, "ru", /\/admin/);
  await op.goto(`${suite.system().url}/admin/claims`);
  expect(await op.locator("main h1").innerText()).toBe("Претензии автошкол");
  const mine = op.locator("tr", { hasText: "Журнал ашылмайды" });
  expect(await mine.innerText()).toContain(formatDate(answerDue));
  expect(await mine.innerText()).toContain("Из кабинета");
  const dueToday = op.locator("tr", { hasText: "Акт за октябрь" });
  expect(await dueToday.locator('[data-state="today"]').innerText()).toBe(`${formatDate(today)} сегодня`);
  const late = op.locator("tr", { hasText: "Двойное списание" });
  expect(await late.locator('[data-state="overdue"]').count()).toBe(1);
  expect(await late.locator('[data-state="soon"]').innerText()).toBe(`${formatDate(addWorkingDays(today, 1))} скоро`);
  await shot(op, "claims-02-operator-console-ru");

  // The operator answers the director's claim; the answer lands in the cabinet.
  await mine.locator("summary").click();
  await mine.locator("textarea").fill("Журнал қалпына келтірілді. Журнал восстановлен.");
  await mine.getByRole("button", { name: "Отправить ответ" }).click();
  await expect
    .poll(() =>
      op
        .locator(".notice")
        .first()
        .innerText()
        .catch(() => ""),
    )
    .toBe("Ответ сохранён в кабинете автошколы и отправлен директорам.");

  // On a phone, in Kazakh: the operator's console.
  const phone = await signIn(opEmail, 390, "kk", /\/admin/);
  await phone.goto(`${suite.system().url}/admin/claims`);
  expect(await phone.locator("main h1").innerText()).toBe("Автомектептердің талаптары");
  await shot(phone, "claims-03-operator-console-kk-phone");
  // The force-majeure register and the working-day calendar of the same console.
  await phone.goto(`${suite.system().url}/admin/force-majeure`);
  await phone.fill("#fm-what", "Су тасқыны / Паводок");
  await phone.fill("#fm-eventStartedOn", "2026-03-19");
  await phone.fill("#fm-notifiedOn", "2026-03-31");
  await phone.getByRole("button", { name: "Тіркеу" }).click();
  await expect
    .poll(() =>
      phone
        .locator("tbody tr")
        .first()
        .innerText()
        .catch(() => ""),
    )
    .toContain("жоқ");
  expect(await phone.locator("tbody tr").first().innerText()).toContain("30.03.2026");
  await shot(phone, "claims-05-force-majeure-kk-phone");
  // (the operator's language is now Kazakh: it is saved on the user, and the phone switched it)
  await op.goto(`${suite.system().url}/admin/calendar?year=2026`);
  expect(await op.locator("main h1").innerText()).toBe("Өндірістік күнтізбе");
  expect(await op.locator("main").innerText()).toContain("24.03.2026");
  await shot(op, "claims-06-calendar-kk");

  // The director on a phone, in Russian: the answer and its document.
  const dPhone = await signIn(s.email, 390, "ru", /\/s\//);
  await dPhone.goto(`${suite.system().url}/s/${s.slug}/claims`);
  const answered = dPhone.locator('tr[data-claim="3"]');
  expect(await answered.innerText()).toContain("Дан ответ");
  expect(await answered.innerText()).toContain("Журнал восстановлен.");
  const pdf = await dPhone.request.get(
    await answered
      .getByRole("link", { name: "Ответ (PDF)" })
      .getAttribute("href")
      .then((h) => `${suite.system().url}${h}`),
  );
  expect(pdf.headers()["content-type"]).toContain("application/pdf");
  await shot(dPhone, "claims-04-director-answer-ru-phone");
  expect(pageErrors).toEqual([]);
});
