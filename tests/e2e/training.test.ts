// The registrar books a driving lesson in the browser from the week's "book" button (a clash is refused with its
// reason on the booking form), and the instructor marks a lesson done on a phone; the trainee's card then shows
// the hours.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { operatorDb } from "../../server/db/client.ts";
import { addDays, almatyDate, almatyToInstant } from "../../domain/kz/time.ts";
import { addMember, createSchool, traineeInput } from "../factories.ts";
import { browserSuite, shot, chooseLanguage } from "./system.ts";

const { system, browser } = browserSuite();

async function signIn(email: string, opts: { width: number; lang: "kk" | "ru"; ip: string }): Promise<Page> {
  const context = await browser().newContext({
    viewport: { width: opts.width, height: 900 },
    extraHTTPHeaders: { "X-Forwarded-For": opts.ip },
  });
  const page = await context.newPage();
  await page.goto(`${system().url}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', "correct-horse-battery");
  await Promise.all([page.waitForURL(/\/s\//), page.locator('main form button[type="submit"]').click()]);
  await chooseLanguage(page, opts.lang);
  return page;
}

it("a registrar books lessons, and an instructor marks one done on a phone", async () => {
  const s = await createSchool();
  const registrar = await addMember(s.schoolId, "registrar");
  const instructor = await addMember(s.schoolId, "instructor");
  await operatorDb().user.update({ where: { id: instructor.userId }, data: { fullName: "Қайратов Ерлан" } });
  await operatorDb().staffProfile.create({
    data: { schoolId: s.schoolId, userId: instructor.userId, licenceCategories: ["B"] },
  });
  const carId = randomUUID();
  await operatorDb().vehicle.create({
    data: {
      id: carId,
      schoolId: s.schoolId,
      plate: "777AAA02",
      makeModel: "Kia Rio",
      category: "B",
      gearbox: "manual",
    },
  });
  const names = ["Сәрсенбаев", "Ли"];
  const ids: string[] = [];
  for (const lastName of names) {
    const { id } = await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({ lastName, firstName: "Тимур" }),
    });
    await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" });
    ids.push(id);
  }
  const day = addDays(almatyDate(new Date()), 1);

  // The registrar books Сәрсенбаев 10:00–11:30, then tries Ли at 11:00 with the same instructor.
  const page = await signIn(registrar.email, { width: 1280, lang: "ru", ip: "10.77.0.1" });
  await page.goto(`${system().url}/s/${s.slug}/lessons?week=${day}`);
  const book = async (traineeId: string, time: string) => {
    await Promise.all([page.waitForURL(/\/lessons\/book\?/), page.getByTestId("book-link").click()]);
    await page.selectOption('select[name="traineeId"]', traineeId);
    await page.selectOption('select[name="instructorId"]', instructor.userId);
    await page.selectOption('select[name="vehicleId"]', carId);
    await page.fill('input[name="date"]', day);
    await page.fill('input[name="time"]', time);
    await page.fill('input[name="minutes"]', "90");
    await Promise.all([
      page.waitForLoadState("networkidle"),
      page.locator('form:has(input[name="intent"][value="book"]) button[type="submit"]').click(),
    ]);
  };
  await book(ids[0]!, "10:00");
  // Back on the week, which shows the lesson.
  await page.getByText("Занятие записано").waitFor();
  expect(new URL(page.url()).pathname).toBe(`/s/${s.slug}/lessons`);
  expect(await page.getByTestId("lesson").innerText()).toMatch(/10:00[\s\S]*11:30[\s\S]*Сәрсенбаев Тимур/);
  await book(ids[1]!, "11:00");
  await page
    .getByText(/Мастер Қайратов Ерлан уже занят .* с 10:00 до 11:30/)
    .first()
    .waitFor();
  await shot(page, "training-01-booking-clash-ru");
  await page.locator('form[action="/locale"] button[value="kk"]').click();
  await page.getByText("Жүргізу сабағына жазу").first().waitFor();
  await shot(page, "training-01-lessons-kk");
  expect(await operatorDb().drivingLesson.count({ where: { schoolId: s.schoolId } })).toBe(1);

  // A lesson earlier today (Almaty) that the instructor gave and that is over (a lesson is marked only after
  // its end); they mark it on the phone. Soon after midnight "three hours ago" would be yesterday — on a
  // Monday, last week's page — so it starts at midnight then, and ends a minute ago.
  const now = new Date();
  const startsAt = new Date(
    Math.max(now.getTime() - 3 * 3600_000, almatyToInstant(almatyDate(now), "00:00").getTime()),
  );
  const endsAt = new Date(Math.min(startsAt.getTime() + 90 * 60_000, now.getTime() - 60_000));
  await operatorDb().drivingLesson.create({
    data: {
      id: randomUUID(),
      schoolId: s.schoolId,
      traineeId: ids[1]!,
      instructorId: instructor.userId,
      vehicleId: carId,
      startsAt,
      endsAt,
      bookedBy: registrar.userId,
    },
  });
  const phone = await signIn(instructor.email, { width: 375, lang: "kk", ip: "10.77.0.2" });
  await phone.goto(`${system().url}/s/${s.slug}/lessons`);
  await phone.getByText("Менің сабақтарым").waitFor();
  await shot(phone, "training-02-instructor-today-kk-phone");
  const card = phone.locator('[data-testid="lesson"]', { hasText: "Ли Тимур" });
  await card.locator('input[name="note"]').fill("Қалада жүргізу, жақсы");
  await Promise.all([phone.waitForLoadState("networkidle"), card.locator('button[value="done"]').click()]);
  await phone.getByText("Белгі сақталды").waitFor();
  await shot(phone, "training-03-instructor-marked-kk-phone");
  await phone.locator('form[action="/locale"] button[value="ru"]').click();
  await phone.getByText("Мои занятия").waitFor();
  await shot(phone, "training-03-instructor-marked-ru-phone");
  // The row's links are plain links that open their page without reloading the document (ClientLinks), as every
  // <Link> of the app does: the correction's page comes, and the page's state (a mark left on window) stays.
  await phone.evaluate(() => Object.assign(window, { stayedInPage: true }));
  await Promise.all([
    phone.waitForURL(/\/lessons\/[0-9a-f-]+\/correct$/),
    card.getByRole("link", { name: "Исправить отметку" }).click(),
  ]);
  await phone.getByText("Сейчас отмечено: «Состоялось»", { exact: false }).waitFor();
  expect(await phone.evaluate(() => "stayedInPage" in window)).toBe(true);
  await phone.goBack();
  await phone.getByText("Мои занятия").waitFor();
  const lesson = await operatorDb().drivingLesson.findFirstOrThrow({ where: { traineeId: ids[1]! } });
  expect(lesson).toMatchObject({ status: "done", note: "Қалада жүргізу, жақсы", markedBy: instructor.userId });

  // The registrar sees the hours on the trainee's card, with the mark in the history
  await page.locator('form[action="/locale"] button[value="ru"]').click();
  await page.getByText("Записать на вождение").first().waitFor();
  await page.goto(`${system().url}/s/${s.slug}/trainees/${ids[1]}`);
  const hours = String(Math.round(((endsAt.getTime() - startsAt.getTime()) / 3_600_000) * 10) / 10).replace(".", ",");
  await page.getByText(`Откатано ${hours} из 58 ч`).waitFor();
  await page.getByText("Занятие отмечено: Состоялось").waitFor();
  await shot(page, "training-04-trainee-card-ru");
}, 120_000);
