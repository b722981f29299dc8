import { operatorDb } from "../db/client.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { pdfText } from "../../tests/documents.ts";
import { addMember, addOperator, createSchool } from "../../tests/factories.ts";
import { refused } from "../../tests/refusal.ts";
import { outboxTemplates } from "../../tests/billing.ts";
import { runClaimDeadlines } from "./claims.ts";
import { isWorkingDay } from "./calendar.ts";
import { processContract } from "../../jobs/contract.ts";
import type { Job } from "bullmq";

const db = () => operatorDb();
const today = () => almatyDate(new Date());

/** The e-mails written for one claim (job ids carry the claim id). */
async function mailsOf(claimId: string) {
  return (await outboxTemplates()).filter((m) => m.jobId.includes(claimId));
}

/** A school, a support operator, and a paper claim the operator registered as received on 19 March 2026. */
async function paperClaim19March(subject: string, text: string) {
  const s = await createSchool();
  const op = await addOperator("support");
  const c = await op.caller.admin.contract.registerClaim({
    schoolId: s.schoolId,
    subject,
    text,
    receivedOn: "2026-03-19",
  });
  return { s, op, c };
}

describe("a claim filed from the cabinet", () => {
  it("is numbered, gets its deadlines in working days, is stored in the cabinet and reaches the operator", async () => {
    const s = await createSchool();
    const c1 = await s.director.contract.fileClaim({
      school: s.slug,
      subject: "Сбой выгрузки",
      text: "Реестр не выгружается с 20.11.",
    });
    const c2 = await s.director.contract.fileClaim({ school: s.slug, subject: "Второе", text: "Текст" });
    expect([c1.number, c2.number]).toEqual([1, 2]);
    expect(c1.receivedOn).toBe(today());
    expect(c1.status).toBe("open");
    // 7 and 10 working days after receipt: each is a working day, and the answer comes 3 working days later.
    expect(isWorkingDay(c1.reviewDue) && isWorkingDay(c1.answerDue)).toBe(true);
    expect(c1.reviewDue > today()).toBe(true);

    const doc = await db().schoolDocument.findUniqueOrThrow({ where: { id: c1.documentId! } });
    expect([doc.kind, doc.number, doc.schoolId]).toEqual(["claim", "1", s.schoolId]);
    expect(await pdfText(Buffer.from(doc.content))).toContain("Реестр не выгружается");

    const mail = (await mailsOf(c1.id)).find((m) => m.template === "claimReceived")!;
    expect(mail.params.subject).toBe("Сбой выгрузки");
    expect(mail.params.link).toContain("/admin/claims");

    const listed = await s.director.contract.claims({ school: s.slug });
    expect(listed.claims.map((c) => c.number)).toEqual([2, 1]);
    const audit = await db().auditLog.findMany({ where: { schoolId: s.schoolId, action: "claim.filed" } });
    expect(audit).toHaveLength(2);

    // Another school's director sees none of it; a registrar of the same school may not file claims.
    const other = await createSchool();
    expect((await other.director.contract.claims({ school: other.slug })).claims).toEqual([]);
    const registrar = await addMember(s.schoolId, "registrar");
    expect((await refused(registrar.caller.contract.fileClaim({ school: s.slug, subject: "x", text: "y" }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await refused(other.director.contract.claims({ school: s.slug }))).code).toBe("FORBIDDEN");
  });
});

describe("a paper claim registered by the operator", () => {
  it("received on 19 March 2026 is due for review on 2 April and for an answer on 7 April (Nauryz week off)", async () => {
    const { op, c } = await paperClaim19March("Бумажная", "Письмо");
    expect([c.source, c.reviewDue, c.answerDue]).toEqual(["paper", "2026-04-02", "2026-04-07"]);
    const list = await op.caller.admin.contract.claims({ open: false });
    expect(list.claims.find((x) => x.id === c.id)).toMatchObject({
      schoolName: expect.any(String),
      answerState: "overdue",
    });
  });

  it("refuses a receipt date in the future, with the reason on the field", async () => {
    const s = await createSchool();
    const op = await addOperator("support");
    const r = await refused(
      op.caller.admin.contract.registerClaim({
        schoolId: s.schoolId,
        subject: "x",
        text: "y",
        receivedOn: "2099-01-05",
      }),
    );
    expect(r).toEqual({ code: "BAD_REQUEST", message: "Дата получения не может быть в будущем" });
  });

  it("a billing operator has no access to claims", async () => {
    const op = await addOperator("billing");
    expect((await refused(op.caller.admin.contract.claims({ open: true }))).code).toBe("FORBIDDEN");
  });
});

describe("the daily deadline job", () => {
  it("warns 2 working days before and on each deadline once, even run twice a day, then marks silence once", async () => {
    const { s, op, c } = await paperClaim19March("Наурыз", "Текст");
    const warned = async () =>
      (await mailsOf(c.id))
        .filter((m) => m.template === "claimDeadline")
        .map((m) => m.jobId.replace(`claim-warn-${c.id}-`, ""));

    await runClaimDeadlines("2026-03-27"); // review due 2 April: 2 working days before is 31 March
    expect(await warned()).toEqual([]);
    for (const day of ["2026-03-31", "2026-03-31"]) await runClaimDeadlines(day);
    expect(await warned()).toEqual(["review-soon"]);
    for (const day of ["2026-04-01", "2026-04-02", "2026-04-02"]) await runClaimDeadlines(day);
    expect(await warned()).toEqual(["review-soon", "review-due"]);
    // The answer is due 7 April; 2 working days before is Friday 3 April.
    for (const day of ["2026-04-03", "2026-04-06", "2026-04-07", "2026-04-07"]) await runClaimDeadlines(day);
    expect(await warned()).toEqual(["review-soon", "review-due", "answer-soon", "answer-due"]);
    const dueMail = (await mailsOf(c.id)).find((m) => m.jobId.endsWith("answer-due"))!;
    expect(dueMail.params.due).toBe("07.04.2026");
    expect(await db().claim.findUniqueOrThrow({ where: { id: c.id }, select: { status: true } })).toEqual({
      status: "open",
    });

    // The day after the answer deadline: accepted by silence, once, through the queue's processor as well.
    await processContract({ name: "day", data: { day: "2026-04-08" } } as Job);
    await processContract({ name: "day", data: { day: "2026-04-08" } } as Job);
    const after = await db().claim.findUniqueOrThrow({ where: { id: c.id } });
    expect(after.status).toBe("accepted_by_silence");
    const silence = (await mailsOf(c.id)).filter((m) => m.template.startsWith("claimSilence"));
    expect(silence.map((m) => m.template).sort()).toEqual(["claimSilence", "claimSilenceOperator"]);
    expect(silence.find((m) => m.template === "claimSilence")!.to).toBe(s.email);
    expect(await db().auditLog.count({ where: { schoolId: s.schoolId, action: "claim.acceptedBySilence" } })).toBe(1);
    expect((await s.director.contract.claims({ school: s.slug })).claims[0]!.status).toBe("accepted_by_silence");

    // No answer can be given any more.
    const r = await refused(op.caller.admin.contract.answerClaim({ id: c.id, answer: "Поздно" }));
    expect(r).toEqual({ code: "CONFLICT", message: "Срок ответа истёк: претензия считается принятой" });
  });

  it("does not warn about the review once the claim is marked reviewed", async () => {
    const { op, c } = await paperClaim19March("Р", "Т");
    await op.caller.admin.contract.markReviewed({ id: c.id });
    await runClaimDeadlines("2026-04-02");
    expect((await mailsOf(c.id)).filter((m) => m.template === "claimDeadline")).toEqual([]);
  });
});

describe("the operator's answer", () => {
  it("becomes a document in the school's cabinet, is e-mailed to the directors and shown to the school", async () => {
    const s = await createSchool();
    const op = await addOperator("support");
    const c = await s.director.contract.fileClaim({ school: s.slug, subject: "Доступ", text: "Нет доступа к журналу" });
    await op.caller.admin.contract.answerClaim({ id: c.id, answer: "Доступ восстановлен, приносим извинения." });
    const row = await db().claim.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.status).toBe("answered");
    expect(row.reviewedAt).not.toBeNull();
    const doc = await db().schoolDocument.findUniqueOrThrow({ where: { id: row.answerDocumentId! } });
    expect([doc.kind, doc.number]).toEqual(["claim_answer", "1"]);
    expect(await pdfText(Buffer.from(doc.content))).toContain("Доступ восстановлен");
    const mail = (await mailsOf(c.id)).find((m) => m.template === "claimAnswered")!;
    expect([mail.to, mail.params.answer]).toEqual([s.email, "Доступ восстановлен, приносим извинения."]);
    const seen = (await s.director.contract.claims({ school: s.slug })).claims[0]!;
    expect([seen.status, seen.answer, seen.answerState]).toEqual([
      "answered",
      "Доступ восстановлен, приносим извинения.",
      "done",
    ]);
    const again = await refused(op.caller.admin.contract.answerClaim({ id: c.id, answer: "Ещё" }));
    expect(again).toEqual({ code: "CONFLICT", message: "На эту претензию уже дан ответ" });
  });
});

describe("force-majeure notices", () => {
  it("are within the deadline when notified within 4 working days of the event (over Nauryz)", async () => {
    const op = await addOperator("support");
    const s = await createSchool();
    // Event Thursday 19 March 2026: the 4th working day after it is Monday 30 March.
    const late = await op.caller.admin.contract.registerForceMajeure({
      schoolId: s.schoolId,
      what: "Паводок",
      eventStartedOn: "2026-03-19",
      notifiedOn: "2026-03-31",
    });
    const ok = await op.caller.admin.contract.registerForceMajeure({
      schoolId: "",
      what: "Отключение ЦОД",
      eventStartedOn: "2026-03-19",
      notifiedOn: "2026-03-30",
    });
    expect([late.withinDeadline, late.deadline, late.side]).toEqual([false, "2026-03-30", "school"]);
    expect([ok.withinDeadline, ok.side, ok.schoolId]).toEqual([true, "operator", null]);

    // The school registers its own (notified today); it sees its own and the operator's for all, not others'.
    const own = await s.director.contract.registerForceMajeure({
      school: s.slug,
      what: "Пожар в классе",
      eventStartedOn: today(),
      documents: "Справка МЧС",
    });
    expect(own.withinDeadline).toBe(true);
    const other = await createSchool();
    await other.director.contract.registerForceMajeure({ school: other.slug, what: "Чужое", eventStartedOn: today() });
    const seen = (await s.director.contract.forceMajeure({ school: s.slug })).map((n) => n.what);
    expect(seen).toEqual(expect.arrayContaining(["Пожар в классе", "Паводок", "Отключение ЦОД"]));
    expect(seen).not.toContain("Чужое");
    expect(
      (await outboxTemplates()).some(
        (m) => m.template === "forceMajeureReceived" && m.params.what === "Пожар в классе",
      ),
    ).toBe(true);
    // The school's own notice is in its cabinet as a document, in both languages.
    const docs = await operatorDb().schoolDocument.findMany({ where: { schoolId: s.schoolId, kind: "force_majeure" } });
    expect(docs).toHaveLength(2); // the operator's "Паводок" for this school, and its own
    expect(docs.map((d) => Buffer.from(d.content).toString("utf8")).join()).toMatch(
      /Пожар в классе[\s\S]*Мән-жай|Мән-жай[\s\S]*Пожар в классе/,
    );

    const bad = await refused(
      s.director.contract.registerForceMajeure({ school: s.slug, what: "x", eventStartedOn: "2099-01-01" }),
    );
    expect(bad).toEqual({ code: "BAD_REQUEST", message: "Дата не может быть в будущем" });
  });
});

describe("the operator's calendar", () => {
  // The last test of this file (its own database): the saved year stays.
  it("a saved decree day off moves the deadlines of claims registered after it", async () => {
    const op = await addOperator("super_admin");
    const s = await createSchool();
    const before = await op.caller.admin.contract.calendar({ year: 2026 });
    expect(before.source).toBe("builtin");
    expect(before.daysOffList.map((d) => d.date)).toContain("2026-03-24");
    const holidays = before.holidays.map((h) => `${h.date} ${h.name}${h.religious ? " *" : ""}`).join("\n");
    await op.caller.admin.contract.saveCalendar({
      year: 2026,
      holidays,
      daysOff: "2026-03-20 Постановление № 1",
      workingDays: "",
    });
    const c = await op.caller.admin.contract.registerClaim({
      schoolId: s.schoolId,
      subject: "x",
      text: "y",
      receivedOn: "2026-03-19",
    });
    expect([c.reviewDue, c.answerDue]).toEqual(["2026-04-03", "2026-04-08"]);
    const after = await op.caller.admin.contract.calendar({ year: 2026 });
    expect(after.source).toBe("operator");
    expect(after.daysOffList.find((d) => d.date === "2026-03-20")).toEqual({ date: "2026-03-20", reason: "decree" });
    const bad = await refused(
      op.caller.admin.contract.saveCalendar({
        year: 2026,
        holidays: "2027-01-01 Жаңа жыл",
        daysOff: "",
        workingDays: "",
      }),
    );
    expect(bad.message).toBe("Строка 1: ожидается «ГГГГ-ММ-ДД текст» с датой 2026 года");
    const support = await addOperator("support");
    expect(
      (
        await refused(
          support.caller.admin.contract.saveCalendar({ year: 2026, holidays: "", daysOff: "", workingDays: "" }),
        )
      ).code,
    ).toBe("FORBIDDEN");
  });
});
