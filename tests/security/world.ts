// A school with one record of every kind, made mostly through its director's own API calls (the
// rest straight through the operator role where the API path needs days to pass), and snapshots
// of every tenant table for "nothing changed" assertions.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { operatorDb } from "../../server/db/client.ts";
import { testState } from "../state.ts";
import { addMember, callerFor, type createSchool, traineeInput, uniqueIin } from "../factories.ts";

export type School = Awaited<ReturnType<typeof createSchool>>;
export const PNG_1x1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

export type World = Awaited<ReturnType<typeof populate>>;

/** A trainee of `s` in training with a cabinet login, and a caller signed in as them. */
export async function traineeWithLogin(s: School, lastName = "Оқушыұлы") {
  const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName }) });
  await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" });
  await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "training" });
  const userId = randomUUID();
  await operatorDb().user.create({
    data: {
      id: userId,
      email: `cab.${userId}@mail.kz`,
      fullName: `${lastName} Оқушы`,
      passwordHash: "x",
      emailVerifiedAt: new Date(),
    },
  });
  await operatorDb().trainee.update({ where: { id }, data: { userId } });
  await operatorDb().traineeLogin.create({ data: { userId, schoolId: s.schoolId, traineeId: id } });
  return { traineeId: id, userId, caller: await callerFor(userId) };
}

/** Fills `s` with one of everything; names carry `tag` so a leak is visible in any serialized result. */
export async function populate(s: School, tag: string) {
  const school = s.slug;
  const d = s.director;
  const db = operatorDb();
  const instructor = await addMember(s.schoolId, "instructor");
  const teacher = await addMember(s.schoolId, "teacher");
  const registrar = await addMember(s.schoolId, "registrar");
  for (const u of [instructor, teacher, registrar])
    await db.user.update({ where: { id: u.userId }, data: { fullName: `${tag} ${u.email}` } });
  await d.resources.updateStaffProfile({
    school,
    userId: instructor.userId,
    licenceCategories: ["B"],
    instructorCertNumber: `${tag}-CERT`,
    instructorCertValidUntil: "2030-01-01",
  });
  const vehicle = await d.resources.createVehicle({
    school,
    plate: "777ZZZ02",
    makeModel: `${tag} Corolla`,
    category: "B",
    gearbox: "manual",
    insuranceValidUntil: "2030-01-01",
    inspectionValidUntil: "2030-01-01",
  });
  const group = await d.resources.createGroup({
    school,
    number: `${tag}-G1`,
    category: "B",
    startsOn: "2026-01-10",
    endsOn: "2030-06-10",
    teacherId: teacher.userId,
    timetable: "пн-ср",
  });
  const cab = await traineeWithLogin(s, tag);
  const other = await d.trainees.create({
    school,
    ...traineeInput({
      lastName: `${tag}ова`,
      email: `${tag.toLowerCase()}.t@mail.kz`,
      contractNumber: `${tag}-7`,
      contractPrice: "240 000",
    }),
  });
  await d.training.changeStatus({ school, traineeId: other.id, to: "enrolled" });
  await d.resources.assignToGroup({ school, traineeIds: [cab.traineeId, other.id], groupId: group.id });
  await d.training.addPayment({ school, traineeId: other.id, amountTiyn: 50_000_00, paidOn: "2026-01-15" });
  await d.trainees.setPhoto({ school, id: other.id, base64: PNG_1x1 });
  await d.training.inviteTrainee({ school, traineeId: other.id });
  await d.booking.saveRules({
    school,
    enabled: true,
    opens: "08:00",
    closes: "20:00",
    slotMinutes: 90,
    windowDays: 14,
    cancelHours: 24,
    weeklyLimit: 3,
  });
  await d.booking.assignInstructor({ school, traineeId: cab.traineeId, instructorId: instructor.userId });

  const lessonId = randomUUID();
  const startsAt = new Date(Date.now() + 3 * 86_400_000);
  await db.drivingLesson.create({
    data: {
      id: lessonId,
      schoolId: s.schoolId,
      traineeId: cab.traineeId,
      instructorId: instructor.userId,
      vehicleId: vehicle.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 90 * 60_000),
      bookedBy: s.userId,
    },
  });
  const theoryLessonId = randomUUID();
  const past = new Date(Date.now() - 86_400_000);
  await db.theoryLesson.create({
    data: {
      id: theoryLessonId,
      schoolId: s.schoolId,
      groupId: group.id,
      subjectCode: "PDD",
      teacherId: teacher.userId,
      startsAt: past,
      endsAt: new Date(past.getTime() + 90 * 60_000),
      room: `${tag}-101`,
      createdBy: s.userId,
    },
  });
  const result = await d.exams.enterResult({ school, traineeId: cab.traineeId, kind: "practical", score: 3 });
  const certificateId = randomUUID();
  await db.certificate.create({
    data: {
      id: certificateId,
      schoolId: s.schoolId,
      number: 1,
      traineeId: other.id,
      category: "B",
      issuedBy: s.userId,
    },
  });

  const questionIds = Array.from({ length: 40 }, () => randomUUID());
  await db.question.createMany({
    data: questionIds.map((id, i) => ({
      id,
      schoolId: s.schoolId,
      textKk: `${tag} сұрақ ${i}`,
      textRu: `${tag} вопрос ${i}`,
      options: [
        { kk: "Иә", ru: "Да" },
        { kk: "Жоқ", ru: "Нет" },
      ],
      correct: 0,
      createdBy: s.userId,
      image: Buffer.from(PNG_1x1, "base64"),
      imageType: "image/png",
    })),
  });
  const attempt = (await cab.caller.quizCabinet.start({ school })) as { attemptId?: string; id?: string };
  const attemptId =
    attempt.attemptId ?? attempt.id ?? (await db.examAttempt.findFirstOrThrow({ where: { schoolId: s.schoolId } })).id;

  const ticket = await d.support.create({
    school,
    kind: "remark",
    subject: `${tag} тема`,
    text: `${tag} текст`,
    files: [{ name: `${tag}.txt`, base64: Buffer.from(`${tag} attachment`).toString("base64") }],
  });
  const ticketId = (ticket as { id: string }).id;
  const attachmentId = (await db.supportAttachment.findFirstOrThrow({ where: { schoolId: s.schoolId } })).id;
  await d.contract.fileClaim({ school, subject: `${tag} претензия`, text: `${tag} текст претензии` });
  const claimId = (await db.claim.findFirstOrThrow({ where: { schoolId: s.schoolId } })).id;
  await d.contract.registerForceMajeure({ school, what: `${tag} паводок`, eventStartedOn: "2026-01-05" });
  await d.billing.issueInvoice({ school });
  const invoiceId = (await db.invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } })).id;
  // A payment on it (recorded straight into the ledger: the refund desk names payments by id).
  const paymentId = randomUUID();
  await db.payment.create({
    data: {
      id: paymentId,
      schoolId: s.schoolId,
      invoiceId,
      method: "manual",
      externalRef: `${tag}-payment`,
      amountTiyn: 100,
      receivedOn: new Date(),
    },
  });
  const documentId = randomUUID();
  await db.schoolDocument.create({
    data: {
      id: documentId,
      schoolId: s.schoolId,
      kind: "maintenance_notice",
      number: `${tag}-1`,
      titleKk: `${tag} құжат`,
      titleRu: `${tag} документ`,
      fileName: `${tag}.pdf`,
      content: Buffer.from("%PDF-1.4 test"),
      sha256: "0".repeat(64),
    },
  });
  const invite = await d.staff.invite({ school, email: `${tag.toLowerCase()}.invitee@test.kz`, role: "teacher" });
  const importId = randomUUID();
  await db.traineeImport.create({
    data: { id: importId, schoolId: s.schoolId, fileName: `${tag}.xlsx`, file: Buffer.from("PK"), createdBy: s.userId },
  });
  const noticeId = randomUUID();
  const maintenanceId = randomUUID();
  const at = new Date(Date.now() + 30 * 86_400_000);
  await db.maintenanceWindow.create({
    data: {
      id: maintenanceId,
      startsAt: at,
      endsAt: new Date(at.getTime() + 3_600_000),
      reasonKk: "Жаңарту",
      reasonRu: "Обновление",
    },
  });
  await db.notice.create({
    data: { id: noticeId, kind: "maintenance", maintenanceId, summaryKk: "Жаңарту", summaryRu: "Обновление" },
  });
  await db.noticeRecipient.create({ data: { noticeId, userId: s.userId, schoolId: s.schoolId } });
  await d.exports.saveContractTemplate({ school, locale: "ru", body: `${tag} договор {{trainee.fullName}}` });
  await d.privacy.setConsent({ school, kind: "marketing", granted: false }).catch(() => undefined);
  // A data archive of the school (requested; whether built or not, its id must lead nowhere from another school).
  const archive = await d.privacy.archive.request({ school });

  // The instructor's hours and a day off, the car's day out of work (docs/decisions/032).
  await d.availability.saveHours({
    school,
    userId: instructor.userId,
    hours: [{ weekday: 1, starts: "08:00", ends: "20:00" }],
  });
  const absence = await d.availability.addAbsence({
    school,
    userId: instructor.userId,
    startsOn: "2030-02-01",
    endsOn: "2030-02-03",
    reason: "leave",
    note: `${tag} отпуск`,
  });
  const downtime = await d.availability.addDowntime({
    school,
    vehicleId: vehicle.id,
    startsOn: "2030-02-01",
    endsOn: "2030-02-01",
    reason: "service",
    note: `${tag} ТО`,
  });

  const ids = {
    trainee: [cab.traineeId, other.id],
    lesson: lessonId,
    theoryLesson: theoryLessonId,
    group: group.id,
    instructor: instructor.userId,
    teacher: teacher.userId,
    registrar: registrar.userId,
    vehicle: vehicle.id,
    invoice: invoiceId,
    payment: paymentId,
    document: documentId,
    ticket: ticketId,
    attachment: attachmentId,
    claim: claimId,
    invite: invite.id,
    import: importId,
    certificate: certificateId,
    result: result.id,
    question: questionIds[0]!,
    attempt: attemptId,
    notice: noticeId,
    school: s.schoolId,
    director: s.userId,
    traineeUser: cab.userId,
    archive: archive.id,
    absence: absence.id,
    downtime: downtime.id,
  };
  return { school: s, ids, cabinet: cab, names: [tag, s.slug] };
}

export type IdKind = keyof World["ids"];

/** Every id of `w` (strings), for "no id of B in this result". */
export const allIds = (w: World): string[] => Object.values(w.ids).flat();

/** All tenant tables: school plus every table with a school_id column. */
export async function tenantTables(c: pg.Client): Promise<string[]> {
  const { rows } = await c.query<{ table_name: string }>(
    "SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'school_id' ORDER BY 1",
  );
  return ["school", ...rows.map((r) => r.table_name)];
}

export async function ownerClient(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: testState.databaseUrl });
  await c.connect();
  return c;
}

/** Every row of one school in every tenant table, plus its members' user rows, as JSON text per table. */
export async function snapshot(schoolId: string): Promise<Record<string, string>> {
  const c = await ownerClient();
  try {
    const out: Record<string, string> = {};
    for (const t of await tenantTables(c)) {
      const where = t === "school" ? "id" : "school_id";
      const { rows } = await c.query(`SELECT to_jsonb(x) AS r FROM "${t}" x WHERE ${where} = $1`, [schoolId]);
      out[t] = JSON.stringify(rows.map((r) => JSON.stringify(r.r)).sort());
    }
    const users = await c.query(
      `SELECT to_jsonb(u) AS r FROM app_user u WHERE id IN (SELECT user_id FROM membership WHERE school_id = $1 UNION SELECT user_id FROM trainee_login WHERE school_id = $1)`,
      [schoolId],
    );
    out.app_user = JSON.stringify(users.rows.map((r) => JSON.stringify(r.r)).sort());
    const sessions = await c.query(
      `SELECT count(*)::int AS n FROM session WHERE user_id IN (SELECT user_id FROM membership WHERE school_id = $1 UNION SELECT user_id FROM trainee_login WHERE school_id = $1)`,
      [schoolId],
    );
    out.sessions = String(sessions.rows[0].n);
    return out;
  } finally {
    await c.end();
  }
}

/** Row counts of every tenant table (all schools), the outbox, the audit log and users, in one round trip. */
export async function rowCounts(c?: pg.Client): Promise<Record<string, number>> {
  const own = c ?? (await ownerClient());
  try {
    tables ??= [...(await tenantTables(own)), "outbox_event", "audit_log", "app_user"];
    const sql = tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM "${t}"`).join(" UNION ALL ");
    const { rows } = await own.query<{ t: string; n: number }>(sql);
    return Object.fromEntries(rows.map((r) => [r.t, r.n]));
  } finally {
    if (!c) await own.end();
  }
}
let tables: string[] | undefined;

export { uniqueIin };
