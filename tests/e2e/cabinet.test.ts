// The trainee path: the school invites a trainee, the trainee follows the e-mailed link on a phone,
// sets a password and sees their own schedule, hours and balance — in Kazakh and in Russian.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../../server/db/client.ts";
import { addMember, createSchool, traineeInput } from "../factories.ts";
import { linkIn, waitForMail } from "../mail.ts";
import { browserSuite, shot } from "./system.ts";

const { system, browser } = browserSuite();

it("a trainee joins their cabinet from the e-mail and sees their own lessons and balance", async () => {
  const s = await createSchool();
  const instructor = await addMember(s.schoolId, "instructor");
  await operatorDb().user.update({ where: { id: instructor.userId }, data: { fullName: "Бекмұратов Айдар" } });
  const car = randomUUID();
  await operatorDb().vehicle.create({
    data: {
      id: car,
      schoolId: s.schoolId,
      plate: "909KZ02",
      makeModel: "Toyota Corolla",
      category: "B",
      gearbox: "manual",
    },
  });
  const email = `aruzhan.${randomUUID().slice(0, 6)}@mail.kz`;
  const ids: string[] = [];
  for (const [i, firstName] of ["Аружан", "Другой"].entries()) {
    const { id } = await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({
        lastName: "Сейітқызы",
        firstName,
        email: i === 0 ? email : undefined,
        contractPrice: "240 000",
      }),
    });
    await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" });
    const startsAt = new Date(Date.now() + (i + 1) * 86_400_000);
    await operatorDb().drivingLesson.create({
      data: {
        id: randomUUID(),
        schoolId: s.schoolId,
        traineeId: id,
        instructorId: instructor.userId,
        vehicleId: car,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 90 * 60_000),
        bookedBy: s.userId,
      },
    });
    ids.push(id);
  }
  await s.director.training.addPayment({
    school: s.slug,
    traineeId: ids[0]!,
    amountTiyn: 120_000_00,
    paidOn: "2026-11-20",
  });
  await s.director.training.inviteTrainee({ school: s.slug, traineeId: ids[0]! });
  const token = linkIn(await waitForMail(email, /кабинет/i), "/cabinet/join");

  const context = await browser().newContext({
    viewport: { width: 375, height: 800 },
    extraHTTPHeaders: { "X-Forwarded-For": "10.88.0.1" },
  });
  await context.addCookies([{ name: "am_lang", value: "kk", url: system().url }]);
  const page = await context.newPage();
  await page.goto(`${system().url}/cabinet/join/${token}`);
  await page.getByText("Оқушының жеке кабинетіне кіру").waitFor();
  await shot(page, "cabinet-01-join-kk-phone");
  await page.fill('input[name="password"]', "aruzhan-parol-123");
  await Promise.all([
    page.waitForURL(new RegExp(`/t/${s.slug}$`)),
    page.locator('main form button[type="submit"]').click(),
  ]);
  await page.getByText("Сәлеметсіз бе, Аружан!").waitFor();
  expect(await page.getByTestId("upcoming").innerText()).toContain("Бекмұратов Айдар");
  expect(await page.locator("main").innerText()).toContain("120\u00a0000,00\u00a0₸");
  expect(await page.locator("main").innerText()).not.toContain("Другой");
  await shot(page, "cabinet-02-overview-kk-phone");

  await page.locator('form[action="/locale"] button[value="ru"]').click();
  await page.getByText("Здравствуйте, Аружан!").waitFor();
  await shot(page, "cabinet-03-overview-ru-phone");

  // The staff workspace stays closed to a trainee.
  const res = await page.goto(`${system().url}/s/${s.slug}/trainees`);
  expect(res?.status()).toBe(403);
}, 120_000);
