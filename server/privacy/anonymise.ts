// A personal-data withdrawal taking effect (offer 7.5, 10.9; docs/decisions/021-school-archive-and-anonymisation.md).
// The daily `privacy` job finds accepted withdrawals whose effective date (received + 30 calendar days, Almaty)
// has come and, for each, in ONE transaction of the operator role:
//  - closes the school (deactivated, with the reason) — without the consent nobody's data may be processed for it;
//  - anonymises what may go: trainees (names, IIN, birth date to its year, contacts, address, medical certificate,
//    photo), free-text notes and reasons, support conversations, staff certificates, the school's contact person;
//    deletes invitations, cabinet invitations and logins, memberships, uploaded import files, support attachments
//    and every archive of the school; anonymises the accounts of the school's people who have no other school,
//    ends their sessions; scrubs delivered e-mail and SMS logs of their addresses, drops messages not yet sent;
//  - keeps what the law and the contract keep: invoices, acts, payments, the subscription and its access history
//    (accounting law: primary documents 5 years), consents, offer acceptances, claims and force-majeure notices,
//    documents with legal force and their delivery records (10.8, 7.3.3), the audit log, and the training journal
//    unchanged — its hash chain covers only its own rows, which name people by id only, so it stays verifiable
//    while the ids no longer lead to anyone.
// The withdrawal row records when and what (anonymised_at, counts): a second run finds nothing to do.
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import { operatorDb, type Tx } from "../db/client.ts";
import { audit } from "../audit/log.ts";
import { lockSchool } from "../billing/ledger.ts";
import { config } from "../config.ts";
import { addDays, almatyDate, isoDay } from "../../domain/kz/time.ts";
import { formatDate } from "../../domain/i18n/index.ts";
import { dropSchoolArchives, expireArchives } from "../archive/service.ts";
import { logger } from "../log.ts";
import { pruneRequestLog } from "../billing/rails/request-log.ts";

/** What becomes of each table of a school's data when its withdrawal takes effect. A new table must be placed here (a test checks). */
export const TABLE_FATE = {
  // Accounting (Law on accounting and financial reporting: primary documents kept 5 years) and the access ladder.
  invoice: "keep",
  payment: "keep",
  subscription: "keep",
  access_transition: "keep",
  billing_reminder: "keep",
  payment_refund: "keep",
  credit_note: "keep",
  school_credit: "keep",
  // Documents with legal force and evidence of the contract (10.8, 7.3.3, claims 9.1/10.7).
  school_document: "keep",
  service_act: "keep",
  plan_change: "keep",
  service_act_line: "keep",
  document_read: "keep",
  notice_recipient: "keep",
  offer_acceptance: "keep",
  offer_disagreement: "keep",
  consent: "keep",
  consent_withdrawal: "keep",
  claim: "keep",
  force_majeure_notice: "keep",
  audit_log: "keep",
  // The regulator's record: the hash-chained journal and what it numbers. People in it are ids only.
  journal_entry: "keep",
  journal_head: "keep",
  certificate_counter: "keep",
  theory_attendance: "keep",
  exam_attempt: "keep",
  prior_training: "keep", // hours and dates against a trainee id, no free text
  // The school's own settings and teaching content, no personal data.
  programme: "keep",
  study_group: "keep",
  vehicle: "keep",
  instructor_hours: "keep", // when a person works, no free text
  booking_rules: "keep",
  exam_rules: "keep",
  contract_template: "keep",
  question: "keep",
  theory_lesson: "keep",
  // The record that exports happened stays; their bytes (every person's data) go.
  school_archive: "keep",
  school_archive_chunk: "delete",
  // Personal data and free text about people.
  school: "anonymise",
  trainee: "anonymise",
  trainee_search_word: "anonymise", // rewritten by its trigger from the anonymised trainee (ADR 028)
  trainee_payment: "anonymise",
  tuition_instalment: "keep",
  school_kaspi_payee: "keep", // a hashed secret and addresses, nothing about a person // due dates and amounts of a contract, no free text
  trainee_status_change: "anonymise",
  driving_lesson: "anonymise",
  exam_result: "anonymise",
  exam_result_correction: "anonymise",
  certificate: "anonymise",
  staff_profile: "anonymise",
  vehicle_downtime: "anonymise", // the note is free text
  instructor_absence: "delete", // a sick leave is about a person's health
  support_ticket: "anonymise",
  support_message: "anonymise",
  trainee_photo: "delete",
  trainee_login: "delete",
  trainee_invite: "delete",
  calendar_feed: "delete", // secret addresses of people's lessons: nothing to keep
  trainee_import: "delete",
  invitation: "delete",
  membership: "delete",
  support_attachment: "delete",
} as const satisfies Record<string, "keep" | "anonymise" | "delete">;

const ANON_DOMAIN = "anonymised.invalid";
/** The mark left where free text about people was (NOT NULL columns). */
export const REDACTED = "—";

export type AnonymisationCounts = Record<string, number>;

type Due = { id: string; schoolId: string; effectiveOn: Date };

/** Withdrawals whose day has come (effective_on ≤ today, Almaty) and that are not anonymised yet. */
export async function dueWithdrawals(db: PrismaClient | Tx, today: string): Promise<Due[]> {
  return db.consentWithdrawal.findMany({
    where: { status: "accepted", anonymisedAt: null, effectiveOn: { lte: new Date(`${today}T00:00:00Z`) } },
    select: { id: true, schoolId: true, effectiveOn: true },
    orderBy: { effectiveOn: "asc" },
  });
}

/** Anonymises every school whose withdrawal took effect by `today`; each school in its own transaction. */
export async function anonymiseDue(now = new Date()): Promise<{ schools: number }> {
  const today = almatyDate(now);
  let schools = 0;
  for (const w of await dueWithdrawals(operatorDb(), today)) {
    if (await anonymiseSchool(w.id, now)) schools++;
  }
  return { schools };
}

/** One school's withdrawal taking effect. Returns the counts, or null when there was nothing (left) to do. */
export async function anonymiseSchool(withdrawalId: string, now = new Date()): Promise<AnonymisationCounts | null> {
  return operatorDb().$transaction(
    async (tx) => {
      // The row lock makes two runs at once take turns; the second finds it done.
      const [w] = await tx.$queryRaw<
        { school_id: string; effective_on: Date; status: string; anonymised_at: Date | null }[]
      >`
        SELECT school_id, effective_on, status, anonymised_at FROM consent_withdrawal WHERE id = ${withdrawalId}::uuid FOR UPDATE`;
      if (w?.status !== "accepted" || w.anonymised_at) return null;
      const effectiveOn = isoDay(w.effective_on);
      if (effectiveOn > almatyDate(now)) return null;
      const schoolId = w.school_id;
      await lockSchool(tx, schoolId);
      const counts = await anonymiseSchoolData(tx, schoolId, effectiveOn, now);
      await tx.consentWithdrawal.update({
        where: { id: withdrawalId },
        data: { anonymisedAt: now, anonymised: counts },
      });
      await audit(
        tx,
        { ip: null, userAgent: null },
        { action: "consent.withdrawal_effective", schoolId, details: { withdrawalId, effectiveOn, counts } },
      );
      return counts;
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
}

async function anonymiseSchoolData(
  tx: Tx,
  schoolId: string,
  effectiveOn: string,
  now: Date,
): Promise<AnonymisationCounts> {
  const counts: AnonymisationCounts = {};
  const run = async (name: string, sql: Promise<number>) => {
    counts[name] = (counts[name] ?? 0) + (await sql);
  };

  // The people of this school, before their links go: staff (memberships) and trainees with a cabinet login.
  // Those who belong nowhere else (no other school, no other cabinet, not operator staff) lose their account.
  const people = await tx.$queryRaw<{ id: string }[]>`
    SELECT u.id FROM app_user u
     WHERE u.id IN (SELECT user_id FROM membership WHERE school_id = ${schoolId}::uuid
                    UNION SELECT user_id FROM trainee_login WHERE school_id = ${schoolId}::uuid
                    UNION SELECT user_id FROM trainee WHERE school_id = ${schoolId}::uuid AND user_id IS NOT NULL)
       AND u.operator_role IS NULL
       AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.user_id = u.id AND m.school_id <> ${schoolId}::uuid)
       AND NOT EXISTS (SELECT 1 FROM trainee_login l WHERE l.user_id = u.id AND l.school_id <> ${schoolId}::uuid)
       AND NOT EXISTS (SELECT 1 FROM trainee t WHERE t.user_id = u.id AND t.school_id <> ${schoolId}::uuid)`;
  const userIds = people.map((p) => p.id);
  // Addresses to scrub from the delivery logs: the accounts' and the trainees' own.
  const [addr] = await tx.$queryRaw<{ emails: string[] | null; phones: string[] | null }[]>`
    SELECT array_remove(array_agg(DISTINCT e), NULL) AS emails, array_remove(array_agg(DISTINCT p), NULL) AS phones FROM (
      SELECT email AS e, phone AS p FROM trainee WHERE school_id = ${schoolId}::uuid
      UNION ALL SELECT email, phone FROM app_user WHERE id = ANY(${userIds}::uuid[])
      UNION ALL SELECT email, NULL FROM invitation WHERE school_id = ${schoolId}::uuid
      UNION ALL SELECT email, NULL FROM trainee_invite WHERE school_id = ${schoolId}::uuid) a`;
  const emails = addr?.emails ?? [];
  const phones = addr?.phones ?? [];

  // The school: closed, its contact person gone; name and BIN stay (they are on the invoices and acts kept).
  const reason = `Дербес деректерді өңдеуге келісімді кері қайтару ${formatDate(effectiveOn)} күшіне енді / Отзыв согласия на обработку персональных данных вступил в силу ${formatDate(effectiveOn)}`;
  await run(
    "school",
    tx.$executeRaw`
    UPDATE school SET status = 'deactivated', deactivated_reason = ${reason}, director_name = ${REDACTED}, phone = ${REDACTED},
           email = ${`school-${schoolId}@${ANON_DOMAIN}`}, address = NULL, updated_at = now()
     WHERE id = ${schoolId}::uuid`,
  );
  // Invoices for periods that start on or after the effective date are for service that will not be given.
  await run(
    "invoice_voided",
    tx.$executeRaw`
    UPDATE invoice SET status = 'void', voided_reason = 'consent withdrawn'
     WHERE school_id = ${schoolId}::uuid AND status = 'open' AND period_start >= ${effectiveOn}::date`,
  );

  // Trainees: a number instead of the person. IINs stay unique per school and can never be a real one (no 00 month).
  await run(
    "trainee",
    tx.$executeRaw`
    UPDATE trainee t SET iin = lpad(s.n::text, 12, '0'), last_name = 'ANON-' || lpad(s.n::text, 6, '0'), first_name = ${REDACTED},
           middle_name = NULL, latin_name = NULL, birth_date = make_date(extract(year FROM t.birth_date)::int, 1, 1),
           phone = NULL, email = NULL, address = NULL, medical_cert_number = NULL, medical_cert_issued_on = NULL,
           medical_cert_valid_until = NULL, user_id = NULL, updated_at = now()
      FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM trainee WHERE school_id = ${schoolId}::uuid) s
     WHERE t.id = s.id AND t.school_id = ${schoolId}::uuid`,
  );
  // Free-text notes and reasons: emptied.
  for (const [table, column] of [
    ["trainee_payment", "note"],
    ["trainee_status_change", "reason"],
    ["driving_lesson", "note"],
    ["exam_result", "note"],
  ] as const) {
    await run(
      table,
      tx.$executeRawUnsafe(
        `UPDATE ${table} SET ${column} = NULL WHERE school_id = $1::uuid AND ${column} IS NOT NULL`,
        schoolId,
      ),
    );
  }
  await run(
    "exam_result_correction",
    tx.$executeRaw`
    UPDATE exam_result_correction SET old_note = NULL, new_note = NULL, reason = ${REDACTED}
     WHERE school_id = ${schoolId}::uuid AND (old_note IS NOT NULL OR new_note IS NOT NULL OR reason <> ${REDACTED})`,
  );
  await run(
    "certificate",
    tx.$executeRaw`UPDATE certificate SET cancel_reason = ${REDACTED} WHERE school_id = ${schoolId}::uuid AND cancel_reason IS NOT NULL AND cancel_reason <> ${REDACTED}`,
  );
  await run(
    "staff_profile",
    tx.$executeRaw`UPDATE staff_profile SET instructor_cert_number = NULL WHERE school_id = ${schoolId}::uuid AND instructor_cert_number IS NOT NULL`,
  );
  await run(
    "vehicle_downtime",
    tx.$executeRaw`UPDATE vehicle_downtime SET note = NULL WHERE school_id = ${schoolId}::uuid AND note IS NOT NULL`,
  );
  await run(
    "support_ticket",
    tx.$executeRaw`
    UPDATE support_ticket SET subject = ${REDACTED}, text = ${REDACTED} WHERE school_id = ${schoolId}::uuid AND (subject <> ${REDACTED} OR text <> ${REDACTED})`,
  );
  await run(
    "support_message",
    tx.$executeRaw`UPDATE support_message SET text = ${REDACTED} WHERE school_id = ${schoolId}::uuid AND text <> ${REDACTED}`,
  );

  for (const table of [
    "trainee_photo",
    "instructor_absence",
    "trainee_login",
    "trainee_invite",
    "trainee_import",
    "calendar_feed",
    "invitation",
    "membership",
    "support_attachment",
  ] as const) {
    await run(table, tx.$executeRawUnsafe(`DELETE FROM ${table} WHERE school_id = $1::uuid`, schoolId));
  }
  counts.school_archive_chunk = await dropSchoolArchives(tx, schoolId, now);

  // Accounts of people who belong nowhere else: no name, no contacts, no password, no sessions, no links.
  if (userIds.length > 0) {
    await run(
      "app_user",
      tx.$executeRaw`
      UPDATE app_user SET email = 'anonymised-' || id || ${`@${ANON_DOMAIN}`}, full_name = ${REDACTED}, phone = NULL, password_hash = NULL,
             email_verified_at = NULL, deactivated_at = coalesce(deactivated_at, ${now})
       WHERE id = ANY(${userIds}::uuid[])`,
    );
    for (const table of ["session", "one_time_token", "security_link", "unsubscribe_token"] as const) {
      await run(table, tx.$executeRawUnsafe(`DELETE FROM ${table} WHERE user_id = ANY($1::uuid[])`, userIds));
    }
  }

  // Delivery logs: messages delivered to these addresses keep their id and time, not the address or the text;
  // messages not yet handed to the queue are dropped (their addressee is gone). One already in the queue goes out
  // and is logged with its address: the window is the seconds between the relay and the mail job.
  if (emails.length > 0 || phones.length > 0) {
    const to = [...emails, ...phones];
    await run(
      "outbox_event",
      tx.$executeRaw`
      UPDATE outbox_event o SET payload = jsonb_build_object('anonymised', true)
       WHERE o.payload ->> 'to' = ANY(${to}::text[])
         AND (EXISTS (SELECT 1 FROM email_delivery d WHERE d.job_id = o.job_id) OR EXISTS (SELECT 1 FROM sms_delivery s WHERE s.job_id = o.job_id))`,
    );
    await run(
      "outbox_event_dropped",
      tx.$executeRaw`
      DELETE FROM outbox_event o WHERE o.dispatched_at IS NULL AND o.payload ->> 'to' = ANY(${to}::text[])`,
    );
    await run(
      "email_delivery",
      tx.$executeRaw`UPDATE email_delivery SET to_address = ${`anonymised@${ANON_DOMAIN}`} WHERE to_address = ANY(${emails}::text[])`,
    );
    await run(
      "sms_delivery",
      tx.$executeRaw`UPDATE sms_delivery SET to_phone = ${REDACTED}, body = ${REDACTED} WHERE to_phone = ANY(${phones}::text[])`,
    );
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Telling the school beforehand

/** Days before the effective date when the directors are reminded (and offered the archive) once more. */
export const REMINDER_DAYS = 7;

/**
 * The directors of schools whose withdrawal takes effect within REMINDER_DAYS get one reminder each: what will
 * happen on the date and the link to the archive. One outbox job per withdrawal and director: run daily, it
 * sends each reminder once.
 */
export async function remindWithdrawals(now = new Date()): Promise<number> {
  const db = operatorDb();
  const today = almatyDate(now);
  const due = await db.consentWithdrawal.findMany({
    where: {
      status: "accepted",
      anonymisedAt: null,
      effectiveOn: { gt: new Date(`${today}T00:00:00Z`), lte: new Date(`${addDays(today, REMINDER_DAYS)}T00:00:00Z`) },
    },
    select: { id: true, schoolId: true, effectiveOn: true },
  });
  let queued = 0;
  for (const w of due) {
    queued += await db.$transaction((tx) =>
      queueWithdrawalMail(tx, "privacyWithdrawalReminder", w.id, w.schoolId, isoDay(w.effectiveOn), today),
    );
  }
  return queued;
}

/** The e-mail to every director of the school about a withdrawal (accepted, or its reminder). */
export async function queueWithdrawalMail(
  tx: Tx,
  template: "privacyWithdrawalAccepted" | "privacyWithdrawalReminder",
  withdrawalId: string,
  schoolId: string,
  effectiveOn: string,
  today: string,
): Promise<number> {
  const school = await tx.school.findUnique({ where: { id: schoolId }, select: { name: true, slug: true } });
  if (!school) return 0;
  const directors = await tx.membership.findMany({
    where: { schoolId, role: "director", user: { deactivatedAt: null } },
    select: { user: { select: { id: true, email: true, fullName: true, locale: true } } },
  });
  const days = Math.round((Date.parse(effectiveOn) - Date.parse(today)) / 86_400_000);
  const rows = directors.map(({ user }) => ({
    queue: "mail",
    jobName: "send",
    jobId: `${template === "privacyWithdrawalAccepted" ? "privacy-withdrawal" : "privacy-reminder"}-${withdrawalId}-${user.id}`,
    payload: {
      to: user.email,
      locale: user.locale,
      template,
      params: {
        name: user.fullName,
        school: school.name,
        date: formatDate(effectiveOn),
        days: String(days),
        link: `${config().publicUrl}/s/${school.slug}/archive`,
        privacy: `${config().publicUrl}/s/${school.slug}/privacy`,
      },
    },
  }));
  if (rows.length === 0) return 0;
  const { count } = await tx.outboxEvent.createMany({ data: rows, skipDuplicates: true });
  return count;
}

/** The daily privacy run: archives past their time, reminders, withdrawals taking effect, Kaspi's old request log. */
export async function runPrivacyDay(now = new Date()) {
  const archives = await expireArchives(now);
  const reminders = await remindWithdrawals(now);
  const anonymised = await anonymiseDue(now);
  const railRequests = await pruneRequestLog(operatorDb(), now);
  logger.info({ archives, reminders, anonymised, railRequests }, "privacy day done");
  return { archives, reminders, anonymised, railRequests };
}
