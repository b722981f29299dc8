import type { Job } from "bullmq";
import { operatorDb } from "../db/client.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { fetchSunkMail } from "../../dev/mail/client.ts";
import { formatDate } from "../../domain/i18n/index.ts";
import { openQueues } from "../queues.ts";
import { relayOnce } from "../../jobs/relay.ts";
import { processMail } from "../../jobs/mail.ts";
import { runWarnings, scheduleWarnings, WARNINGS_SCHEDULER_ID } from "../../jobs/warnings.ts";
import { addMember, createSchool, traineeInput } from "../../tests/factories.ts";
import { addVehicle } from "../../tests/lessons.ts";
import { testState } from "../../tests/state.ts";

let queues: ReturnType<typeof openQueues>;
beforeAll(() => {
  queues = openQueues();
});
afterAll(async () => {
  await Promise.all(Object.values(queues).map((q) => q.obliterate({ force: true }).then(() => q.close())));
});

const dbDate = (d: string) => new Date(`${d}T00:00:00Z`);

/** Relays the outbox and runs every queued warnings e-mail once, as the worker would. */
async function deliver() {
  while ((await relayOnce(queues)) > 0);
  const jobs = await queues.mail.getJobs(["waiting", "delayed"]);
  for (const job of jobs.filter((j) => j.id?.startsWith("warnings."))) await processMail(job as Job);
}

describe("the daily warnings job", () => {
  it("e-mails each director of a school with warnings exactly once a day, in their language, and no one at a school without warnings", async () => {
    const today = almatyDate(new Date());
    const a = await createSchool();
    const kkDirector = await addMember(a.schoolId, "director");
    await operatorDb().user.update({ where: { id: kkDirector.userId }, data: { locale: "kk" } });
    const expired = await a.director.trainees.create({
      school: a.slug,
      ...traineeInput({ lastName: "Ахметов", firstName: "Нұрлан" }),
    });
    await operatorDb().trainee.update({
      where: { id: expired.id },
      data: { status: "training", medicalCertValidUntil: dbDate(addDays(today, -3)) },
    });
    await addVehicle(a.schoolId, { plate: "555KZ02", inspectionValidUntil: dbDate(addDays(today, 12)) });

    const b = await createSchool(); // everything valid for long
    const fine = await b.director.trainees.create({ school: b.slug, ...traineeInput() });
    await operatorDb().trainee.update({
      where: { id: fine.id },
      data: { status: "training", medicalCertValidUntil: dbDate(addDays(today, 200)) },
    });

    await runWarnings();
    await runWarnings(); // a retry, a restarted worker, a second scheduler tick — the same day
    await deliver();
    await deliver();

    const ru = await fetchSunkMail(testState.sink!.httpUrl, a.email);
    const warningMails = ru.filter((m) => m.subject.includes("сроки документов"));
    expect(warningMails).toHaveLength(1);
    const [mail] = warningMails;
    expect(mail!.subject).toBe(
      `Avtomektep: сроки документов требуют внимания — ${(await operatorDb().school.findUniqueOrThrow({ where: { id: a.schoolId } })).name}`,
    );
    expect(mail!.text).toContain(`Ахметов Нұрлан — ${formatDate(addDays(today, -3))} (!)`);
    expect(mail!.text).toContain(`555KZ02 — ${formatDate(addDays(today, 12))} (12)`);
    expect(mail!.text).toContain(`http://localhost:3999/s/${a.slug}/dashboard`);
    // Russian first, the Kazakh text below it
    expect(mail!.text.indexOf("Медицинские справки курсантов")).toBeLessThan(
      mail!.text.indexOf("Оқушылардың медициналық анықтамалары"),
    );

    const kk = await fetchSunkMail(testState.sink!.httpUrl, kkDirector.email);
    expect(kk).toHaveLength(1);
    expect(kk[0]!.subject).toMatch(/^Avtomektep: құжаттардың мерзімін тексеріңіз/);
    expect(kk[0]!.text.indexOf("Оқушылардың медициналық анықтамалары")).toBeLessThan(
      kk[0]!.text.indexOf("Медицинские справки курсантов"),
    );

    expect(
      (await fetchSunkMail(testState.sink!.httpUrl, b.email)).filter((m) => m.subject.includes("сроки документов")),
    ).toHaveLength(0);
    expect(await operatorDb().outboxEvent.count({ where: { jobId: { startsWith: `warnings.${b.schoolId}.` } } })).toBe(
      0,
    );
    expect(
      await operatorDb().emailDelivery.count({ where: { jobId: { startsWith: `warnings.${a.schoolId}.${today}.` } } }),
    ).toBe(2);
  });

  it("the next day is a new day: the same school gets its next e-mail", async () => {
    const today = almatyDate(new Date());
    const s = await createSchool();
    const t = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    await operatorDb().trainee.update({
      where: { id: t.id },
      data: { status: "enrolled", medicalCertValidUntil: dbDate(addDays(today, 5)) },
    });
    await runWarnings();
    await runWarnings(new Date(Date.now() + 86_400_000));
    await deliver();
    const mails = (await fetchSunkMail(testState.sink!.httpUrl, s.email)).filter((m) =>
      m.subject.includes("сроки документов"),
    );
    expect(mails).toHaveLength(2);
    expect(mails.map((m) => (m.text.match(/\((\d+)\)/) ?? [])[1]).sort()).toEqual(["4", "5"]);
  });

  it("is scheduled once, every day at 08:00 Astana time, however often the worker starts", async () => {
    await scheduleWarnings(queues.warnings);
    await scheduleWarnings(queues.warnings);
    const schedulers = await queues.warnings.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: WARNINGS_SCHEDULER_ID, pattern: "0 8 * * *", tz: "Asia/Almaty" });
    const next = new Date(schedulers[0]!.next!);
    expect(new Date(next.getTime() + 5 * 3600_000).toISOString().slice(11, 16)).toBe("08:00");
  });
});
