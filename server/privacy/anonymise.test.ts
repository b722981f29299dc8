// A personal-data withdrawal taking effect (offer 7.5): the daily privacy job anonymises a school whose 30 days
// have passed — and not one still inside them — keeps the accounting records and the journal, and changes
// nothing more when it runs again. The school is told beforehand.
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { inScope, operatorDb } from "../db/client.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { verifyJournal } from "../training/journal.ts";
import { renderMail, type MailJob } from "../mail/templates.ts";
import { formatDate } from "../../domain/i18n/index.ts";
import { addMember, anonymousCaller, createSchool, meta, traineeInput } from "../../tests/factories.ts";
import { fullSchool, tablesWithSchoolId } from "../../tests/archive.ts";
import { buildArchive } from "../archive/build.ts";
import { runBillingDay } from "../billing/cycle.ts";
import { startWorker } from "../../jobs/worker.ts";
import { PRIVACY_SCHEDULER_ID, schedulePrivacy } from "../../jobs/privacy.ts";
import { requestWithdrawal } from "./service.ts";
import { REDACTED, runPrivacyDay, TABLE_FATE } from "./anonymise.ts";

const db = () => operatorDb();
const DAY = 86_400_000;
const TEXT = "Прошу отозвать согласие на обработку персональных данных автошколы.";

/** A withdrawal as if the director had handed it in `daysAgo` days ago. */
async function withdrawnDaysAgo(s: { schoolId: string; userId: string }, daysAgo: number) {
  return inScope({ schoolId: s.schoolId, userId: s.userId }, (tx) =>
    requestWithdrawal(tx, s.schoolId, s.userId, TEXT, meta, new Date(Date.now() - daysAgo * DAY)),
  );
}

/** Every row of the school's tables, the accounts of its people and the delivery logs, as text: to compare whole states. */
async function everything(schoolId: string, userIds: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const rows = async (sql: string, ...params: unknown[]) =>
    (await db().$queryRawUnsafe<{ j: string }[]>(sql, ...params)).map((x) => x.j);
  // The operator role reads every tenant table (the owner is held to RLS like everyone, FORCE).
  for (const t of await tablesWithSchoolId()) {
    out[t] = await rows(
      `SELECT row_to_json(x)::text AS j FROM "${t}" x WHERE ${t === "school" ? "id" : "school_id"} = $1::uuid ORDER BY 1`,
      schoolId,
    );
  }
  out.app_user = await rows(
    `SELECT row_to_json(u)::text AS j FROM app_user u WHERE id = ANY($1::uuid[]) ORDER BY 1`,
    userIds,
  );
  out.email_delivery = await rows(`SELECT row_to_json(d)::text AS j FROM email_delivery d ORDER BY 1`);
  out.outbox_event = await rows(`SELECT row_to_json(o)::text AS j FROM outbox_event o ORDER BY 1`);
  return out;
}

async function loginRefused(email: string, password: string) {
  const { caller } = await anonymousCaller({ locale: "ru" });
  const err = await caller.auth.login({ email, password }).then(
    () => null,
    (e: unknown) => e,
  );
  return err instanceof TRPCError;
}

describe("a withdrawal of the personal-data consent taking effect", () => {
  it("the daily job anonymises a school that withdrew 30 days ago, not one still within its 30 days; accounting and the journal stay; a second run changes nothing", {
    timeout: 120_000,
  }, async () => {
    const a = await fullSchool();
    const registrar = await addMember(a.schoolId, "registrar");
    const c = await createSchool();
    const shared = await addMember(c.schoolId, "instructor");
    await db().membership.create({
      data: { id: randomUUID(), schoolId: a.schoolId, userId: shared.userId, role: "instructor" },
    });
    // A trainee with a cabinet login, and an e-mail already delivered to a trainee.
    const cabinetUser = randomUUID();
    await db().user.create({
      data: { id: cabinetUser, email: `cab-${cabinetUser.slice(0, 8)}@trainee.kz`, fullName: a.trainees[1]!.lastName },
    });
    await db().traineeLogin.create({
      data: { userId: cabinetUser, schoolId: a.schoolId, traineeId: a.trainees[1]!.id },
    });
    await db().trainee.update({ where: { id: a.trainees[1]!.id }, data: { userId: cabinetUser } });
    const traineeEmail = a.trainees[0]!.email as string;
    await db().outboxEvent.create({
      data: {
        queue: "mail",
        jobName: "send",
        jobId: `lesson.test.${a.schoolId}`,
        payload: { to: traineeEmail, template: "lessonBooked", params: { name: a.trainees[0]!.lastName } },
      },
    });
    await db().emailDelivery.create({
      data: { jobId: `lesson.test.${a.schoolId}`, toAddress: traineeEmail, subject: "Вождение" },
    });
    // An archive made before: it holds everyone's data, so it must go too.
    const archive = await a.director.privacy.archive.request({ school: a.slug });
    await buildArchive(archive.id);

    const b = await createSchool();
    const bTrainee = await b.director.trainees.create({ school: b.slug, ...traineeInput({ lastName: "Бекова" }) });

    const wa = await withdrawnDaysAgo(a, 30);
    const wb = await withdrawnDaysAgo(b, 29);
    expect(wa.effectiveOn).toBe(almatyDate(new Date()));
    expect(wb.effectiveOn).toBe(addDays(almatyDate(new Date()), 1));

    const kept = async () => ({
      invoices: await db().invoice.findMany({ where: { schoolId: a.schoolId }, orderBy: { number: "asc" } }),
      payments: await db().payment.findMany({ where: { schoolId: a.schoolId }, orderBy: { id: "asc" } }),
      documents: await db().schoolDocument.findMany({ where: { schoolId: a.schoolId }, orderBy: { id: "asc" } }),
      subscription: await db().subscription.findUnique({ where: { schoolId: a.schoolId } }),
      journal: await db().journalEntry.findMany({ where: { schoolId: a.schoolId }, orderBy: { seq: "asc" } }),
      consents: await db().consent.findMany({ where: { schoolId: a.schoolId }, orderBy: { id: "asc" } }),
    });
    const before = await kept();
    const journalBefore = await db().$transaction((tx) => verifyJournal(tx, a.schoolId));
    expect(journalBefore.intact).toBe(true);
    expect(before.invoices.length).toBeGreaterThan(0);
    expect(before.documents.some((d) => d.kind === "act")).toBe(true);

    const day = await runPrivacyDay();
    expect(day.anonymised.schools).toBe(1);

    // School A: closed, its people's data gone.
    const school = await db().school.findUniqueOrThrow({ where: { id: a.schoolId } });
    expect(school).toMatchObject({ status: "deactivated", directorName: REDACTED, address: null });
    expect(school.email).toMatch(/@anonymised\.invalid$/);
    expect(school.deactivatedReason).toContain(formatDate(wa.effectiveOn));
    const trainees = await db().trainee.findMany({ where: { schoolId: a.schoolId }, orderBy: { lastName: "asc" } });
    expect(trainees).toHaveLength(3);
    for (const t of trainees) {
      expect(t).toMatchObject({
        firstName: REDACTED,
        middleName: null,
        phone: null,
        email: null,
        address: null,
        medicalCertNumber: null,
        userId: null,
      });
      expect(t.lastName).toMatch(/^ANON-\d{6}$/);
      expect(t.iin).toMatch(/^0{6}\d{6}$/);
      expect(t.birthDate.toISOString().slice(5, 10)).toBe("01-01");
    }
    const stored = JSON.stringify(await everything(a.schoolId, [a.userId, registrar.userId, cabinetUser]));
    for (const t of a.trainees) {
      expect(stored).not.toContain(t.iin);
      expect(stored).not.toContain(t.lastName);
      expect(stored).not.toContain(t.email as string);
    }
    expect(stored).not.toContain(a.email);
    expect(stored).not.toContain(registrar.email);
    // the search words followed the trainees: no folded or Latin form of a name, no IIN, no phone is left to find
    const words = await db().traineeSearchWord.findMany({ where: { schoolId: a.schoolId }, select: { word: true } });
    expect(words.length).toBeGreaterThan(0);
    for (const { word } of words) expect(word).toMatch(/^(anon|\d{6}|—|0{6}\d{6})$/);
    for (const table of [
      "trainee_photo",
      "trainee_login",
      "support_attachment",
      "membership",
      "invitation",
      "trainee_import",
      "school_archive_chunk",
    ] as const) {
      expect({ table, rows: (await everything(a.schoolId, []))[table]!.length }).toEqual({ table, rows: 0 });
    }
    expect(await db().supportTicket.findFirstOrThrow({ where: { schoolId: a.schoolId } })).toMatchObject({
      subject: REDACTED,
      text: REDACTED,
    });
    expect(await db().schoolArchive.findUniqueOrThrow({ where: { id: archive.id } })).toMatchObject({
      status: "expired",
    });
    expect(await db().emailDelivery.findUniqueOrThrow({ where: { jobId: `lesson.test.${a.schoolId}` } })).toMatchObject(
      { toAddress: "anonymised@anonymised.invalid", subject: "Вождение" },
    );

    // Accounts: the director, the registrar and the cabinet login belonged to A only — gone; the instructor who
    // also works for school C keeps the account and C.
    for (const id of [a.userId, registrar.userId, cabinetUser]) {
      const u = await db().user.findUniqueOrThrow({ where: { id } });
      expect(u).toMatchObject({ fullName: REDACTED, phone: null, passwordHash: null });
      expect(u.email).toBe(`anonymised-${id}@anonymised.invalid`);
      expect(await db().session.count({ where: { userId: id } })).toBe(0);
    }
    expect(await loginRefused(a.email, a.password)).toBe(true);
    const instructor = await db().user.findUniqueOrThrow({ where: { id: shared.userId } });
    expect(instructor.email).toBe(shared.email);
    expect(await db().membership.count({ where: { userId: shared.userId, schoolId: c.schoolId } })).toBe(1);
    expect(await db().membership.count({ where: { userId: shared.userId, schoolId: a.schoolId } })).toBe(0);

    // What the law keeps is kept, untouched; the journal is the same, entry for entry, and still verifies.
    const after = await kept();
    expect(after).toEqual(before);
    const journalAfter = await db().$transaction((tx) => verifyJournal(tx, a.schoolId));
    expect(journalAfter).toEqual(journalBefore);

    // Recorded.
    const w = await db().consentWithdrawal.findUniqueOrThrow({ where: { id: wa.id } });
    expect(w.anonymisedAt).not.toBeNull();
    expect(w.anonymised).toMatchObject({ trainee: 3, trainee_photo: 1, support_attachment: 1 });
    expect(await db().auditLog.count({ where: { schoolId: a.schoolId, action: "consent.withdrawal_effective" } })).toBe(
      1,
    );

    // School B, one day short of its 30: untouched.
    expect(await db().trainee.findUniqueOrThrow({ where: { id: bTrainee.id } })).toMatchObject({ lastName: "Бекова" });
    expect((await db().school.findUniqueOrThrow({ where: { id: b.schoolId } })).status).not.toBe("deactivated");
    expect((await db().consentWithdrawal.findUniqueOrThrow({ where: { id: wb.id } })).anonymisedAt).toBeNull();

    // Run again: nothing more changes.
    const state = await everything(a.schoolId, [a.userId, registrar.userId, cabinetUser, shared.userId]);
    const again = await runPrivacyDay();
    expect(again.anonymised.schools).toBe(0);
    expect(await everything(a.schoolId, [a.userId, registrar.userId, cabinetUser, shared.userId])).toEqual(state);
    expect(await db().auditLog.count({ where: { schoolId: a.schoolId, action: "consent.withdrawal_effective" } })).toBe(
      1,
    );

    // B's day comes tomorrow.
    await runPrivacyDay(new Date(Date.now() + DAY));
    expect((await db().trainee.findUniqueOrThrow({ where: { id: bTrainee.id } })).lastName).toMatch(/^ANON-/);
  });

  it("tells the directors at once what will happen on the date and offers the archive, reminds them a week before, once", {
    timeout: 60_000,
  }, async () => {
    const s = await createSchool();
    const { id, effectiveOn } = await s.director.privacy.requestWithdrawal({ school: s.slug, text: TEXT });
    const accepted = await db().outboxEvent.findUniqueOrThrow({
      where: { jobId: `privacy-withdrawal-${id}-${s.userId}` },
    });
    const mail = renderMail(accepted.payload as MailJob);
    expect(mail.subject).toContain(formatDate(effectiveOn));
    expect(mail.text).toContain(`/s/${s.slug}/archive`);
    expect(mail.text).toContain(`/s/${s.slug}/privacy`);
    expect(mail.text).toContain("будут обезличены");
    expect(mail.text).toContain("иесіздендіріледі");
    expect(mail.text).toContain("5 лет");

    const remindOn = new Date(Date.now() + 23 * DAY);
    await runPrivacyDay(new Date(Date.now() + 22 * DAY));
    expect(await db().outboxEvent.count({ where: { jobId: { startsWith: `privacy-reminder-${id}-` } } })).toBe(0);
    await runPrivacyDay(remindOn);
    await runPrivacyDay(remindOn);
    await runPrivacyDay(new Date(remindOn.getTime() + DAY));
    const reminders = await db().outboxEvent.findMany({ where: { jobId: { startsWith: `privacy-reminder-${id}-` } } });
    expect(reminders).toHaveLength(1);
    const reminder = renderMail(reminders[0]!.payload as MailJob);
    expect(reminder.subject).toBe(
      `Через 7 дн. (${formatDate(effectiveOn)}) данные автошколы (${(await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).name}) будут обезличены`,
    );
    // Still the school's own until the date.
    expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).not.toBe("deactivated");
  });

  it("an invoice issued meanwhile for a period from the effective date on is voided; nothing else of billing changes", {
    timeout: 60_000,
  }, async () => {
    const s = await createSchool();
    await withdrawnDaysAgo(s, 30);
    // The daily billing run issued the next period's invoice after the withdrawal was accepted.
    const paidThrough = addDays(almatyDate(new Date()), 3);
    await db().subscription.update({
      where: { schoolId: s.schoolId },
      data: { paidThrough: new Date(`${paidThrough}T00:00:00Z`) },
    });
    await runBillingDay(almatyDate(new Date()));
    const invoice = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    expect(invoice).toMatchObject({ status: "open", periodStart: new Date(`${addDays(paidThrough, 1)}T00:00:00Z`) });
    await runPrivacyDay();
    expect(await db().invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: "void",
      voidedReason: "consent withdrawn",
      number: invoice.number,
      amountTiyn: invoice.amountTiyn,
    });
    expect(await db().subscription.findUniqueOrThrow({ where: { schoolId: s.schoolId } })).toMatchObject({
      paidThrough: new Date(`${paidThrough}T00:00:00Z`),
    });
    // A deactivated school is not invoiced again.
    await runBillingDay(almatyDate(new Date()));
    expect(await db().invoice.count({ where: { schoolId: s.schoolId } })).toBe(1);
  });

  it("a withdrawal taken back before its date is never carried out", { timeout: 30_000 }, async () => {
    const s = await createSchool();
    const t = await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName: "Қалдыбаев" }) });
    await s.director.privacy.requestWithdrawal({ school: s.slug, text: TEXT });
    await s.director.privacy.cancelWithdrawal({ school: s.slug });
    await runPrivacyDay(new Date(Date.now() + 31 * DAY));
    expect((await db().trainee.findUniqueOrThrow({ where: { id: t.id } })).lastName).toBe("Қалдыбаев");
  });

  it("runs through the privacy queue: scheduled once a day at 03:30 Almaty, and a day's job carries the withdrawal out", {
    timeout: 60_000,
  }, async () => {
    const s = await createSchool();
    const w = await withdrawnDaysAgo(s, 30);
    const worker = await startWorker();
    try {
      await schedulePrivacy(worker.queues.privacy);
      const schedulers = await worker.queues.privacy.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ key: PRIVACY_SCHEDULER_ID, pattern: "30 3 * * *", tz: "Asia/Almaty" });
      await worker.queues.privacy.add("day", {}, { jobId: `privacy-day-test-${w.id}` });
      const end = Date.now() + 45_000;
      while ((await db().consentWithdrawal.findUniqueOrThrow({ where: { id: w.id } })).anonymisedAt === null) {
        if (Date.now() > end) throw new Error("the privacy job did not carry the withdrawal out");
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).status).toBe("deactivated");
    } finally {
      await worker.stop();
    }
  });

  it("every table of a school's data has a decided fate (a new table must be placed)", async () => {
    expect(Object.keys(TABLE_FATE).sort()).toEqual(await tablesWithSchoolId());
  });
});
