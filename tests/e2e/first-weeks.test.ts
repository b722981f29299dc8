// A running school's first weeks on Avtomektep, in the browser, once in Kazakh and once in Russian: the registrar
// imports the trainees it already teaches with the hours and exams done on paper, enrols them all at once, books a
// lesson from a free cell of the instructor's week grid; the instructor marks it on a phone; the registrar enters
// the practical exam, moves the trainee on to exams, sees who is eligible and why the others are not, and issues
// the certificate.
import path from "node:path";
import ExcelJS from "exceljs";
import { operatorDb } from "../../server/db/client.ts";
import { COLUMNS, type Column } from "../../domain/import-reasons.ts";
import { headerFor } from "../../server/import/xlsx.ts";
import { addDays, almatyDate, almatyToInstant } from "../../domain/kz/time.ts";
import { addMember, createSchool, uniqueIin } from "../factories.ts";
import { addInstructor, addProgrammeB, addVehicle } from "../lessons.ts";
import { browserSuite, screenshotDir, shot, signInPage } from "./system.ts";

const suite = browserSuite();

type Row = Partial<Record<Column, string | number>>;

async function workbook(rows: Row[], locale: "kk" | "ru"): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Курсанттар");
  ws.addRow(COLUMNS.map((c) => headerFor(locale, c)));
  for (const r of rows) ws.addRow(COLUMNS.map((c) => r[c] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const TEXT = {
  kk: {
    enrolled: "Орындалды: 3 ішінен 3.",
    booked: "Сабақ жазылды",
    marked: "Белгі сақталды",
    eligible: "Жіберіледі",
    theoryMissing: "теория 130 сағаттың 40 сағаты",
  },
  ru: {
    enrolled: "Готово: 3 из 3.",
    booked: "Занятие записано",
    marked: "Отметка сохранена",
    eligible: "Допущен",
    theoryMissing: "теория 40 из 130 ч",
  },
} as const;

for (const lang of ["kk", "ru"] as const) {
  it(`a school adopts Avtomektep and brings a trainee to the certificate (${lang})`, async () => {
    const s = await createSchool();
    const registrar = await addMember(s.schoolId, "registrar");
    const instructor = await addInstructor(s.schoolId, { fullName: "Қайратов Ерлан" });
    const carId = await addVehicle(s.schoolId, { plate: "777AAA02" });
    await addProgrammeB(s.schoolId);
    const text = TEXT[lang];
    const pageErrors: string[] = [];
    const step = (n: number, name: string) => `walk-${lang}-${String(n).padStart(2, "0")}-${name}`;

    // 1. The registrar imports the paper register: one trainee all but done, one half way, one new.
    const file = await workbook(
      [
        {
          iin: uniqueIin("2001-04-05"),
          lastName: "Сәрсенбаева",
          firstName: "Дана",
          category: "B",
          trainingStartedOn: "02.03.2026",
          theoryHoursDone: 130,
          drivingHoursDone: 56,
          theoryExamPassedOn: "15.06.2026",
        },
        {
          iin: uniqueIin("2000-01-02"),
          lastName: "Әбілов",
          firstName: "Тимур",
          category: "B",
          trainingStartedOn: "01.09.2026",
          theoryHoursDone: 40,
          drivingHoursDone: "12,5",
        },
        { iin: uniqueIin("2002-07-08"), lastName: "Ізбасаров", firstName: "Арман", category: "B" },
      ],
      lang,
    );
    const page = await signInPage(suite, {
      email: registrar.email,
      width: 1280,
      lang,
      landing: /\/s\//,
      pageErrors,
    });
    const base = `${suite.system().url}/s/${s.slug}`;
    await page.goto(`${base}/trainees/import`);
    await page.setInputFiles('input[name="file"]', {
      name: "тізім.xlsx",
      mimeType: "application/octet-stream",
      buffer: file,
    });
    await Promise.all([
      page.waitForURL(/import\?id=/),
      page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click(),
    ]);
    await shot(page, step(1, "import-preview"));
    await Promise.all([page.waitForLoadState("networkidle"), page.locator(".imp-apply button[type=submit]").click()]);
    // the import runs in the worker; the register fills when it is done
    await expect
      .poll(() => operatorDb().trainee.count({ where: { schoolId: s.schoolId } }), { timeout: 30_000 })
      .toBe(3);
    await page.goto(`${base}/trainees`);
    const names = await page.locator('table a[href*="/trainees/"]').allInnerTexts();
    // Kazakh order puts І after Ы (so after С); Russian order puts it beside И
    expect(names.map((n) => n.split(" ")[0])).toEqual(
      lang === "kk" ? ["Әбілов", "Сәрсенбаева", "Ізбасаров"] : ["Әбілов", "Ізбасаров", "Сәрсенбаева"],
    );
    await shot(page, step(2, "register-imported"));

    // 2. All three are enrolled, and put in training, at once from the bulk bar ("all found").
    await page.locator('[data-testid="bulk-bar"] summary').click();
    for (const to of ["enrolled", "training"] as const) {
      await page.locator('[data-testid="bulk-bar"] input[name="scope"][value="all"]').check();
      await page.selectOption('[data-testid="bulk-bar"] select[name="kind"]', "status");
      await page.selectOption('[data-testid="bulk-bar"] select[name="to"]', to);
      await Promise.all([
        page.waitForLoadState("networkidle"),
        page.locator('[data-testid="bulk-bar"] button[name="intent"][value="bulk"]').click(),
      ]);
      await page.getByText(text.enrolled).waitFor();
      if (to === "enrolled") await shot(page, step(3, "bulk-enrolled"));
      expect(
        (await operatorDb().trainee.findMany({ where: { schoolId: s.schoolId }, select: { status: true } })).map(
          (t) => t.status,
        ),
      ).toEqual([to, to, to]);
    }
    const dana = await operatorDb().trainee.findFirstOrThrow({
      where: { schoolId: s.schoolId, lastName: "Сәрсенбаева" },
    });

    // 3. A lesson for Дана from a free cell of the instructor's grid, tomorrow at 10:00.
    const tomorrow = addDays(almatyDate(new Date()), 1);
    await page.goto(`${base}/lessons/grid?by=instructor&id=${instructor.userId}&day=${tomorrow}`);
    await shot(page, step(4, "grid-free"));
    await Promise.all([
      page.waitForURL(/\/lessons\/book\?/),
      page.locator('a.sched-free[href*="time=10%3A00"]').click(),
    ]);
    const form = page.locator('form:has(input[name="intent"][value="book"])');
    expect(await form.locator('input[name="date"]').inputValue()).toBe(tomorrow);
    expect(await form.locator('input[name="time"]').inputValue()).toBe("10:00");
    expect(await form.locator('select[name="instructorId"]').inputValue()).toBe(instructor.userId);
    await form.locator('select[name="traineeId"]').selectOption(dana.id);
    await form.locator('select[name="vehicleId"]').selectOption(carId);
    await form.locator('input[name="minutes"]').fill("90");
    await Promise.all([page.waitForLoadState("networkidle"), form.locator('button[type="submit"]').click()]);
    await page.getByText(text.booked).first().waitFor();
    await page.goto(`${base}/lessons/grid?by=instructor&id=${instructor.userId}&day=${tomorrow}`);
    const block = page.locator('[data-testid="grid-lesson"]');
    expect(await block.getAttribute("data-start")).toBe("10:00");
    expect(await block.innerText()).toContain("Сәрсенбаева Дана");
    await shot(page, step(5, "grid-booked"));

    // 4. The day comes: the lesson is given (moved here to end a minute ago, as the clock cannot be), and the
    //    instructor marks it on the phone, where their day starts.
    const lesson = await operatorDb().drivingLesson.findFirstOrThrow({ where: { traineeId: dana.id } });
    const now = Date.now();
    const startsAt = new Date(Math.max(now - 91 * 60_000, almatyToInstant(almatyDate(new Date()), "00:00").getTime()));
    await operatorDb().drivingLesson.update({
      where: { id: lesson.id },
      data: { startsAt, endsAt: new Date(now - 60_000) },
    });
    const phone = await signInPage(suite, {
      email: instructor.email,
      width: 390,
      lang,
      landing: /\/lessons/,
      pageErrors,
    });
    const card = phone.locator('[data-testid="lesson"]', { hasText: "Сәрсенбаева Дана" });
    await card.waitFor();
    // the instructor sees what the lesson needs, not the trainee's IIN
    expect(await phone.locator("main").innerText()).not.toContain(dana.iin);
    await shot(phone, step(6, "instructor-day-390"));
    await Promise.all([phone.waitForLoadState("networkidle"), card.locator('button[value="done"]').click()]);
    await phone.getByText(text.marked).waitFor();
    await shot(phone, step(7, "instructor-marked-390"));
    expect((await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id: lesson.id } })).status).toBe("done");

    // 5. The practical exam is entered; the theory exam was passed on paper and came with the import.
    await page.goto(`${base}/exams`);
    const enter = page.locator('form:has(input[name="intent"][value="enter"])');
    await enter.locator('select[name="traineeId"]').selectOption(dana.id);
    await enter.locator('select[name="kind"]').selectOption("practical");
    await enter.locator('input[name="score"]').fill("3");
    await Promise.all([page.waitForLoadState("networkidle"), enter.locator('button[type="submit"]').click()]);
    await page.locator('[data-testid="exam-result"]').first().waitFor();
    await shot(page, step(8, "exams"));

    // 6. Дана moves on to exams: ticked in the register, the bar's status action.
    await page.goto(`${base}/trainees`);
    await page.locator(`input[name="id"][value="${dana.id}"]`).check();
    await page.locator('[data-testid="bulk-bar"] summary').click();
    await page.selectOption('[data-testid="bulk-bar"] select[name="kind"]', "status");
    await page.selectOption('[data-testid="bulk-bar"] select[name="to"]', "exams");
    await Promise.all([
      page.waitForLoadState("networkidle"),
      page.locator('[data-testid="bulk-bar"] button[name="intent"][value="bulk"]').click(),
    ]);
    expect((await operatorDb().trainee.findUniqueOrThrow({ where: { id: dana.id } })).status).toBe("exams");
    // the medical certificate is typed on the card (not part of this walk)
    await operatorDb().trainee.update({
      where: { id: dana.id },
      data: {
        medicalCertNumber: "083-5",
        medicalCertValidUntil: new Date(`${addDays(almatyDate(new Date()), 300)}T00:00:00Z`),
      },
    });

    // 7. Eligibility: Дана is eligible on the paper hours and exams plus the lesson marked today.
    await page.goto(`${base}/eligibility`);
    const row = page.locator('[data-testid="eligibility-row"]', { hasText: "Сәрсенбаева Дана" });
    await row.waitFor();
    expect(await row.innerText()).toContain(text.eligible);
    // Тимур, half way on paper, is told what is missing: his paper hours count, the rest is listed
    const timur = page.locator('[data-testid="eligibility-row"]', { hasText: "Әбілов Тимур" });
    expect(await timur.innerText()).toContain("12,5 / 56");
    expect(await timur.innerText()).toContain(text.theoryMissing);
    await shot(page, step(9, "eligibility"));

    // 8. The certificate, and its PDF.
    await page.goto(`${base}/certificates`);
    const issue = page.locator('form:has(input[name="intent"][value="issue"])');
    await issue.locator('select[name="traineeId"]').selectOption(dana.id);
    await Promise.all([page.waitForLoadState("networkidle"), issue.locator('button[type="submit"]').click()]);
    const cert = page.locator('[data-testid="certificate"]', { hasText: "Сәрсенбаева Дана" });
    await cert.waitFor();
    await shot(page, step(10, "certificate"));
    const pdfHref = await cert.locator('a[href$=".pdf"]').first().getAttribute("href");
    const pdf = await page.request.get(`${suite.system().url}${pdfHref}`);
    expect(pdf.headers()["content-type"]).toContain("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
    await page.locator("main").screenshot({ path: path.join(screenshotDir, `${step(10, "certificate")}-main.png`) });

    expect(pageErrors).toEqual([]);
    await page.context().close();
    await phone.context().close();
  }, 180_000);
}
