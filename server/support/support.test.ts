// Support tickets end to end against PostgreSQL: first-response deadlines on real calendar cases, attachments
// judged by their content, the operator's queue and replies (one e-mail per reply, in the author's language,
// delivered once even when the mail job runs twice), and a school that cannot see another school's tickets.
import type { Job } from "bullmq";
import { operatorDb } from "../db/client.ts";
import { fetchSunkMail } from "../../dev/mail/client.ts";
import type { MailJob } from "../mail/templates.ts";
import { processMail } from "../../jobs/mail.ts";
import { testState } from "../../tests/state.ts";
import { addMember, addOperator, createSchool } from "../../tests/factories.ts";
import { refused } from "../../tests/refusal.ts";
import { firstResponseDue, isOverdue, sniffAttachment } from "./service.ts";

const at = (s: string) => new Date(s);
const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64");
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
const EXE = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200, 0x90)]);

describe("the first-response deadline, in support hours (Mon–Fri 09–18, Sat 09–13, Astana time)", () => {
  it("a ticket opened on Saturday at 12:30: a remark (8 h) is due Monday 16:30, a proposal (16 h) Tuesday 15:30", () => {
    const saturday = at("2026-11-28T12:30:00+05:00");
    expect(firstResponseDue("remark", saturday)).toEqual(at("2026-11-30T16:30:00+05:00"));
    expect(firstResponseDue("proposal", saturday)).toEqual(at("2026-12-01T15:30:00+05:00"));
    expect(firstResponseDue("feedback", saturday)).toEqual(at("2026-12-01T15:30:00+05:00"));
  });

  it("a Friday-evening ticket starts counting on Saturday morning", () => {
    const friday = at("2026-11-27T19:10:00+05:00");
    expect(firstResponseDue("remark", friday)).toEqual(at("2026-11-30T13:00:00+05:00")); // Sat 4 h + Mon 4 h
    expect(firstResponseDue("feedback", friday)).toEqual(at("2026-12-01T12:00:00+05:00")); // Sat 4 + Mon 9 + Tue 3
  });

  it("skips Nauryz and its carried days off: a Friday-evening remark before Nauryz 2026 is due Thursday 26 March", () => {
    // 21 Mar (Sat) and 23 Mar are holidays, 24–25 Mar carry the holidays of 21–22 Mar.
    expect(firstResponseDue("remark", at("2026-03-20T18:30:00+05:00"))).toEqual(at("2026-03-26T17:00:00+05:00"));
  });

  it("is overdue without a first response past the deadline, and stays marked when answered late", () => {
    const dueAt = at("2026-11-30T16:30:00+05:00");
    expect(isOverdue({ dueAt, firstResponseAt: null }, at("2026-11-30T16:29:00+05:00"))).toBe(false);
    expect(isOverdue({ dueAt, firstResponseAt: null }, at("2026-11-30T16:31:00+05:00"))).toBe(true);
    expect(
      isOverdue({ dueAt, firstResponseAt: at("2026-11-30T16:00:00+05:00") }, at("2026-12-05T10:00:00+05:00")),
    ).toBe(false);
    expect(
      isOverdue({ dueAt, firstResponseAt: at("2026-12-01T10:00:00+05:00") }, at("2026-12-05T10:00:00+05:00")),
    ).toBe(true);
  });
});

describe("attachments are judged by their content, not their name", () => {
  it("recognises PNG, JPEG, PDF and plain text, and nothing else", () => {
    expect(sniffAttachment(PNG)).toBe("image/png");
    expect(sniffAttachment(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toBe("image/jpeg");
    expect(sniffAttachment(PDF)).toBe("application/pdf");
    expect(sniffAttachment(Buffer.from("Сәлем, қате бар:\r\n\tбет ашылмайды"))).toBe("text/plain");
    expect(sniffAttachment(EXE)).toBeNull();
    expect(sniffAttachment(Buffer.from("GIF89a\x01\x00"))).toBeNull();
    expect(sniffAttachment(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))).toBeNull(); // an old .doc: not UTF-8
  });

  it("a registrar's ticket keeps a PDF named .txt as a PDF and refuses a program named .png, in kk and ru", async () => {
    const s = await createSchool();
    const reg = await addMember(s.schoolId, "registrar");
    const base = {
      school: s.slug,
      kind: "remark" as const,
      subject: "Экспорт не открывается",
      text: "Файл XLSX пустой.",
    };

    const exe = await refused(
      reg.caller.support.create({ ...base, files: [{ name: "screen.png", base64: b64(EXE) }] }),
    );
    expect(exe).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("«screen.png» не принят") });
    const exeKk = await refused(
      reg.caller.support.create({ ...base, files: [{ name: "screen.png", base64: b64(EXE) }] }),
      "kk",
    );
    expect(exeKk.message).toContain("«screen.png» файлы қабылданбады");

    const big = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024, 0x20)]);
    expect(
      await refused(reg.caller.support.create({ ...base, files: [{ name: "big.pdf", base64: b64(big) }] })),
    ).toMatchObject({ message: expect.stringContaining("больше 5 МБ") });
    const four = Array.from({ length: 4 }, (_, i) => ({ name: `${i}.png`, base64: b64(PNG) }));
    expect((await refused(reg.caller.support.create({ ...base, files: four }))).code).toBe("BAD_REQUEST");
    expect(await operatorDb().supportTicket.count({ where: { schoolId: s.schoolId } })).toBe(0);

    const ok = await reg.caller.support.create({
      ...base,
      files: [
        { name: "act.txt", base64: b64(PDF) },
        { name: "screen.png", base64: b64(PNG) },
      ],
    });
    const ticket = await reg.caller.support.get({ school: s.slug, id: ok.id });
    expect(ticket.attachments.map((a) => [a.name, a.contentType, a.size])).toEqual([
      ["act.txt", "application/pdf", PDF.length],
      ["screen.png", "image/png", PNG.length],
    ]);
    const file = await reg.caller.support.attachment({ school: s.slug, id: ticket.attachments[0]!.id });
    expect(Buffer.from(file.base64, "base64").equals(PDF)).toBe(true);
  });
});

describe("a ticket from the cabinet to the operator and back", () => {
  it("gets a number and its deadline, sits in the operator's queue by deadline, and each reply is e-mailed once in the author's language", async () => {
    const s = await createSchool();
    const reg = await addMember(s.schoolId, "registrar"); // language: Kazakh (the default)
    const op = await addOperator("support");

    const first = await reg.caller.support.create({
      school: s.slug,
      kind: "proposal",
      subject: "Топтарды сүзу",
      text: "Топ тізімінде санат бойынша сүзгі керек.",
    });
    const second = await reg.caller.support.create({
      school: s.slug,
      kind: "remark",
      subject: "Қате",
      text: "Бет ашылмайды.",
    });
    expect([first.number, second.number]).toEqual([1, 2]);
    const row = await operatorDb().supportTicket.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.dueAt).toEqual(firstResponseDue("proposal", row.openedAt));
    expect(row.status).toBe("open");

    // The author is told the deadline (one e-mail per ticket).
    const received = await operatorDb().outboxEvent.findMany({ where: { jobId: `support-opened-${first.id}` } });
    expect(received.map((r) => (r.payload as MailJob).template)).toEqual(["supportReceived"]);
    // …and the operator's support desk, with the deadline.
    const desk = await operatorDb().outboxEvent.findMany({ where: { jobId: `support-opened-${first.id}-operator` } });
    expect(desk.map((r) => [(r.payload as MailJob).template, (r.payload as MailJob).to])).toEqual([
      ["supportOperatorNew", "info@avtomektep.kz"],
    ]);

    // The queue: by deadline (the remark's is earlier), only this school's tickets' rows checked.
    const queue = (await op.caller.admin.support.queue({})).filter((t) => t.schoolId === s.schoolId);
    expect(queue.map((t) => t.number)).toEqual([2, 1]);
    const schoolName = (await operatorDb().school.findUniqueOrThrow({ where: { id: s.schoolId } })).name;
    expect(queue.map((t) => [t.school, t.overdue])).toEqual([
      [schoolName, false],
      [schoolName, false],
    ]);

    // The operator replies twice: the first records the first response; each reply is one e-mail.
    const r1 = await op.caller.admin.support.reply({
      id: first.id,
      text: "Рахмет, ұсынысыңызды келесі нұсқаға қостық.",
    });
    expect(r1.firstResponse).toBe(true);
    const answered = await operatorDb().supportTicket.findUniqueOrThrow({ where: { id: first.id } });
    expect(answered.firstResponseAt).not.toBeNull();
    expect(answered.status).toBe("answered");
    const r2 = await op.caller.admin.support.reply({ id: first.id, text: "Сүзгі қосылды." });
    expect(r2.firstResponse).toBe(false);
    expect((await operatorDb().supportTicket.findUniqueOrThrow({ where: { id: first.id } })).firstResponseAt).toEqual(
      answered.firstResponseAt,
    );

    const replies = (
      await operatorDb().outboxEvent.findMany({
        where: { jobId: { startsWith: "support-reply-" } },
        orderBy: { id: "asc" },
      })
    ).filter((r) => (r.payload as MailJob).to === reg.email);
    expect(replies).toHaveLength(2);
    expect(replies[0]!.payload).toMatchObject({
      locale: "kk",
      template: "supportReply",
      params: { number: "1", subject: "Топтарды сүзу" },
    });

    // Delivered: the mail job running twice (a retry) still sends one message.
    const job = { id: replies[0]!.jobId, data: replies[0]!.payload as MailJob } as Job<MailJob>;
    expect(await processMail(job)).toBe("sent");
    expect(await processMail(job)).toBe("already-sent");
    const inbox = (await fetchSunkMail(testState.sink!.httpUrl, reg.email)).filter((m) => m.subject.includes("№1"));
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.subject).toBe("Қолдау қызметінің жауабы: №1 өтініш — Топтарды сүзу");
    expect(inbox[0]!.text).toContain("Рахмет, ұсынысыңызды келесі нұсқаға қостық.");
    expect(inbox[0]!.text).toContain(`/s/${s.slug}/support/${first.id}`);

    // In the cabinet: the replies under the ticket, from "support" (no operator's name).
    const seen = await reg.caller.support.get({ school: s.slug, id: first.id });
    expect(seen.messages.map((m) => [m.fromOperator, m.author, m.text])).toEqual([
      [true, null, "Рахмет, ұсынысыңызды келесі нұсқаға қостық."],
      [true, null, "Сүзгі қосылды."],
    ]);

    // The author writes back: the ticket is open again; the operator closes it; nothing more can be added.
    await reg.caller.support.message({ school: s.slug, id: first.id, text: "Рахмет!" });
    expect((await operatorDb().supportTicket.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("open");
    await op.caller.admin.support.close({ id: first.id });
    expect((await op.caller.admin.support.queue({ status: "closed" })).map((t) => t.id)).toContain(first.id);
    expect((await op.caller.admin.support.queue({})).map((t) => t.id)).not.toContain(first.id);
    expect(
      await refused(reg.caller.support.message({ school: s.slug, id: first.id, text: "Тағы бір сұрақ" })),
    ).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("закрыто") });
    expect((await refused(op.caller.admin.support.reply({ id: first.id, text: "…" }))).code).toBe("CONFLICT");
    const actions = await operatorDb().auditLog.findMany({
      where: { schoolId: s.schoolId, action: { startsWith: "support." } },
    });
    expect(actions.map((a) => a.action).sort()).toEqual(["support.closed", "support.replied", "support.replied"]);
  });

  it("marks a ticket overdue in the queue when its deadline passed without a first response", async () => {
    const s = await createSchool();
    const op = await addOperator("support");
    const t = await s.director.support.create({
      school: s.slug,
      kind: "remark",
      subject: "Старое обращение",
      text: "Ждём ответа.",
    });
    // Opened two weeks ago: the deadline (counted from then) is long past.
    const openedAt = new Date(Date.now() - 14 * 86_400_000);
    await operatorDb().supportTicket.update({
      where: { id: t.id },
      data: { openedAt, dueAt: firstResponseDue("remark", openedAt) },
    });
    const queue = await op.caller.admin.support.queue({});
    const mine = queue.find((q) => q.id === t.id)!;
    expect(mine.overdue).toBe(true);
    // Earliest deadline first: nothing before it is due later.
    expect(queue.slice(0, queue.indexOf(mine)).every((q) => q.dueAt <= mine.dueAt)).toBe(true);
  });

  it("the billing operator has no access to the support queue", async () => {
    const op = await addOperator("billing");
    expect((await refused(op.caller.admin.support.queue({}))).code).toBe("FORBIDDEN");
  });
});

describe("who sees a ticket", () => {
  it("another school sees nothing of it, a colleague sees only their own, the director sees all", async () => {
    const a = await createSchool();
    const b = await createSchool();
    const reg = await addMember(a.schoolId, "registrar");
    const teacher = await addMember(a.schoolId, "teacher");
    const t = await reg.caller.support.create({
      school: a.slug,
      kind: "feedback",
      subject: "Отзыв",
      text: "Удобно.",
      files: [{ name: "n.txt", base64: b64("спасибо") }],
    });
    const attachmentId = (await reg.caller.support.get({ school: a.slug, id: t.id })).attachments[0]!.id;

    // School B's director: in A's workspace refused; in B's own workspace A's ids lead nowhere.
    expect((await refused(b.director.support.get({ school: a.slug, id: t.id }))).code).toBe("FORBIDDEN");
    expect((await refused(b.director.support.get({ school: b.slug, id: t.id }))).code).toBe("NOT_FOUND");
    expect((await refused(b.director.support.attachment({ school: b.slug, id: attachmentId }))).code).toBe("NOT_FOUND");
    expect((await refused(b.director.support.message({ school: b.slug, id: t.id, text: "чужое" }))).code).toBe(
      "NOT_FOUND",
    );
    expect(await b.director.support.list({ school: b.slug })).toEqual([]);

    expect(await teacher.caller.support.list({ school: a.slug })).toEqual([]);
    expect((await refused(teacher.caller.support.get({ school: a.slug, id: t.id }))).code).toBe("NOT_FOUND");
    expect((await a.director.support.list({ school: a.slug })).map((x) => x.id)).toEqual([t.id]);

    // The inspector only reads: no tickets from them.
    const inspector = await addMember(a.schoolId, "inspector");
    expect(
      (await refused(inspector.caller.support.create({ school: a.slug, kind: "remark", subject: "x", text: "y" })))
        .code,
    ).toBe("FORBIDDEN");
  });
});
