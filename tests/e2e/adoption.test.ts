import { operatorDb } from "../../server/db/client.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { addMember, createSchool, traineeInput } from "../factories.ts";
import path from "node:path";
import { browserSuite, screenshotDir, shot, signInPage } from "./system.ts";
import { addProgrammeB } from "../lessons.ts";

const suite = browserSuite();

it("a registrar enters training done before adoption on the trainee's card, and the trainee becomes eligible", async () => {
  const s = await createSchool();
  const registrar = await addMember(s.schoolId, "registrar");
  await operatorDb().user.update({ where: { id: registrar.userId }, data: { fullName: "Тіркеуші Әсел" } });
  await addProgrammeB(s.schoolId);
  const ids: string[] = [];
  for (const lastName of ["Сәрсенбаева", "Ким"]) {
    const { id } = await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({ lastName, firstName: "Дана" }),
    });
    await operatorDb().trainee.update({
      where: { id },
      data: {
        medicalCertNumber: "083-5",
        medicalCertValidUntil: new Date(`${addDays(almatyDate(new Date()), 300)}T00:00:00Z`),
        contractPriceTiyn: 150_000_00n,
      },
    });
    // paid in full at the desk: eligibility reads the payments (ADR 042)
    await s.director.training.addPayment({
      school: s.slug,
      traineeId: id,
      amountTiyn: 150_000_00,
      paidOn: almatyDate(new Date()),
    });
    for (const to of ["enrolled", "training", "exams"] as const)
      await s.director.training.changeStatus({ school: s.slug, traineeId: id, to });
    ids.push(id);
  }

  for (const [lang, id] of [
    ["kk", ids[0]!],
    ["ru", ids[1]!],
  ] as const) {
    const pageErrors: string[] = [];
    const page = await signInPage(suite, {
      email: registrar.email,
      width: 390,
      lang,
      landing: /\/s\//,
      pageErrors,
    });
    await page.goto(`${suite.system().url}/s/${s.slug}/trainees/${id}`);
    const section = page.locator("#prior");
    await section.locator("#prior-theoryHours").fill("1300");
    await section.locator("#prior-drivingHours").fill("56");
    await Promise.all([page.waitForLoadState("networkidle"), section.locator('button[type="submit"]').click()]);
    await section.locator("#prior-theoryHours-err").waitFor();
    expect(await section.locator("#prior-theoryHours-err").innerText()).toBe(
      lang === "kk"
        ? "Сағат — 0-ден 500-ге дейінгі сан, мысалы 40 немесе 12,5"
        : "Часы — число от 0 до 500, например 40 или 12,5",
    );
    await section.screenshot({ path: path.join(screenshotDir, `adoption-form-error-${lang}-390.png`) });
    // what was typed is kept
    expect(await section.locator("#prior-drivingHours").inputValue()).toBe("56");

    await section.locator("#prior-startedOn").fill("2026-03-02");
    await section.locator("#prior-theoryHours").fill("130");
    await section.locator("#prior-theoryExamOn").fill("2026-06-15");
    await section.locator("#prior-theoryExamScore").fill("36");
    await section.locator("#prior-practicalExamOn").fill("2026-07-20");
    await Promise.all([page.waitForLoadState("networkidle"), section.locator('button[type="submit"]').click()]);
    await section.locator('[data-testid="prior-entered"]').waitFor();
    const today = almatyDate(new Date()).split("-").reverse().join(".");
    expect(await section.locator('[data-testid="prior-entered"]').innerText()).toBe(
      lang === "kk"
        ? `Автомектепке көшкенде енгізілді: Тіркеуші Әсел, ${today}`
        : `Внесено при переходе на Автомектеп: Тіркеуші Әсел, ${today}`,
    );
    const facts = await section.locator("dl").innerText();
    expect(facts).toContain("02.03.2026");
    expect(facts).toContain(lang === "kk" ? "15.06.2026 тапсырылды, 40 ішінен 36" : "сдан 15.06.2026, 36 из 40");
    expect(await page.locator("#eligibility").innerText()).toContain(lang === "kk" ? "Жіберіледі" : "Допущен");
    await shot(page, `adoption-card-${lang}-390`);
    await section.screenshot({ path: path.join(screenshotDir, `adoption-section-${lang}-390.png`) });
    // The exams page shows the paper's pass as such, with no correction offered there.
    await page.goto(`${suite.system().url}/s/${s.slug}/exams?trainee=${id}`);
    const theory = page.locator('[data-testid="exam-result"]', { hasText: "36" });
    expect(await theory.innerText()).toContain(
      lang === "kk"
        ? `15.06.2026 тапсырылған — Автомектепке көшкенде енгізілді: Тіркеуші Әсел, ${today}`
        : `Сдан 15.06.2026 — внесено при переходе на Автомектеп: Тіркеуші Әсел, ${today}`,
    );
    expect(await theory.locator("details").count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }
}, 120_000);
