// Tuition reminders (ADR 042): before and after an unpaid instalment's date, by e-mail and SMS through the outbox,
// each once however often the day is run; nothing for what is paid.
import { operatorDb } from "../db/client.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { createSchool, traineeInput } from "../../tests/factories.ts";
import { queueTuitionReminders } from "./reminders.ts";

const today = () => almatyDate(new Date());
const ddmm = (d: string) => d.split("-").reverse().join(".");

describe("tuition reminders", () => {
  it("remind three days before and one day after an unpaid instalment, once each; a paid one is left alone", async () => {
    const s = await createSchool();
    const day = today();
    const add = async (lastName: string, email: string, phone: string) => {
      const { id } = await s.director.trainees.create({
        school: s.slug,
        ...traineeInput({ lastName, firstName: "Асқар", email, phone }),
      });
      await operatorDb().trainee.update({ where: { id }, data: { contractPriceTiyn: 100_000_00n } });
      return id;
    };
    const soon = await add("Бекова", "bekova@test.kz", "+7 701 555 00 01");
    const late = await add("Әлиев", "aliev@test.kz", "+7 701 555 00 02");
    const paid = await add("Ахметов", "akhmetov@test.kz", "+7 701 555 00 03");
    const plan = (first: string) => ({
      kind: "text" as const,
      text: `${ddmm(first)} 60 000\n${ddmm(addDays(first, 30))} 40 000`,
    });
    await s.director.training.setSchedule({ school: s.slug, traineeId: soon, plan: plan(addDays(day, 3)) });
    await s.director.training.setSchedule({ school: s.slug, traineeId: late, plan: plan(addDays(day, -1)) });
    await s.director.training.setSchedule({ school: s.slug, traineeId: paid, plan: plan(addDays(day, 3)) });
    await s.director.training.addPayment({ school: s.slug, traineeId: paid, amountTiyn: 60_000_00, paidOn: day });
    // part of the late one paid: what is left of it is what the reminder asks
    await s.director.training.addPayment({ school: s.slug, traineeId: late, amountTiyn: 10_000_00, paidOn: day });

    expect(await queueTuitionReminders(day)).toBeGreaterThanOrEqual(2);
    await queueTuitionReminders(day);
    const jobs = await operatorDb().outboxEvent.findMany({
      where: { jobId: { startsWith: "tuition-" } },
      orderBy: { jobId: "asc" },
    });
    const mine = jobs.filter((j) =>
      ["bekova@test.kz", "aliev@test.kz", "+77015550001", "+77015550002", "+77015550003", "akhmetov@test.kz"].includes(
        (j.payload as { to: string }).to,
      ),
    );
    const summary = mine.map((j) => {
      const p = j.payload as { to: string; template?: string; text?: string; params?: { amount: string } };
      return [p.to, p.template ?? "sms", (p.params?.amount ?? p.text ?? "").replace(/\s/g, " ")];
    });
    expect(summary.sort()).toEqual(
      [
        ["+77015550001", "sms", expect.stringContaining("60 000,00 ₸")],
        ["+77015550002", "sms", expect.stringContaining("50 000,00 ₸")],
        ["aliev@test.kz", "tuitionOverdue", "50 000,00 ₸"],
        ["bekova@test.kz", "tuitionDue", "60 000,00 ₸"],
      ].sort(),
    );
    // in the trainee's language (kk when the trainee has no login)
    const sms = mine.find((j) => (j.payload as { to: string }).to === "+77015550002")!.payload as { text: string };
    expect(sms.text).toContain("мерзімінен өтті");
  });
});
