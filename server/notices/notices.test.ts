// Offer changes and maintenance notices: the notice periods, the fan-out's one-per-recipient guarantee
// under repeated runs, continued use as consent, disagreement, reminders and the 503 window.
import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { operatorDb } from "../db/client.ts";
import { startSession } from "../auth/sessions.ts";
import { addDays, almatyDate, almatyToInstant } from "../../domain/kz/time.ts";
import { addMember, addOperator, callerFor, createSchool as signUp, meta } from "../../tests/factories.ts";
import { currentOffer } from "../offer/service.ts";
import { fanOutNotice } from "./fanout.ts";
import { remindDueWindows } from "./maintenance.ts";
import { lineDiff } from "./diff.ts";
import { describeError } from "../trpc.ts";
import type { TRPCError } from "@trpc/server";

/** The refusal as the person reads it. */
async function refusal(p: Promise<unknown>, locale: "kk" | "ru" = "ru") {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).not.toBeNull();
  return describeError(e as TRPCError, locale);
}

/** Signs a school up on the version in force (the factory would pick a published future version). */
async function createSchool() {
  const offer = await currentOffer(operatorDb());
  return signUp(offer ? { offerVersionId: offer.id } : {});
}

const today = () => almatyDate(new Date());
const db = () => operatorDb();

async function mailsFor(noticeId: string) {
  return db().outboxEvent.findMany({ where: { queue: "mail", jobId: { startsWith: `notice-${noticeId}-` } } });
}

async function publish(op: Awaited<ReturnType<typeof addOperator>>, effectiveFrom = addDays(today(), 8)) {
  const current = await db().offerVersion.findFirstOrThrow({ orderBy: { version: "desc" } });
  return op.caller.admin.notices.publishOffer({
    textKk: `${current.textKk}\n12.1. Жаңа тармақ.`,
    textRu: `${current.textRu}\n12.1. Новый пункт.`,
    summaryKk: "12.1-тармақ қосылды",
    summaryRu: "Добавлен пункт 12.1",
    effectiveFrom,
  });
}

describe("offer changes (10.2–10.4)", () => {
  it("refuses an effective date less than 7 full calendar days after publication, on the field, in kk and ru", async () => {
    await createSchool();
    const op = await addOperator();
    const tooSoon = addDays(today(), 7);
    const ru = await refusal(publish(op, tooSoon));
    expect(ru.status).toBe(400);
    expect(ru.fieldErrors?.effectiveFrom).toMatch(/не раньше \d\d\.\d\d\.\d{4}.*7 календарных дней/);
    const kk = await refusal(publish(op, tooSoon), "kk");
    expect(kk.fieldErrors?.effectiveFrom).toContain("7 күнтізбелік күн");
    expect(await db().notice.count()).toBe(0);
  });

  it("tells the directors, once per school and person even when the job runs twice; the banner shows until read; the other staff are not told", async () => {
    const a = await createSchool();
    const b = await createSchool();
    const registrar = await addMember(a.schoolId, "registrar");
    const instructor = await addMember(a.schoolId, "instructor");
    // A director of both schools is one recipient: one e-mail, one banner.
    const both = await addMember(a.schoolId, "director");
    await db().membership.create({
      data: { id: randomUUID(), schoolId: b.schoolId, userId: both.userId, role: "director" },
    });
    const op = await addOperator();
    const { noticeId, version } = await publish(op);
    expect(await db().outboxEvent.count({ where: { queue: "notices", jobId: `notice-${noticeId}` } })).toBe(1);

    const first = await fanOutNotice(noticeId, { batch: 1 });
    const second = await fanOutNotice(noticeId, { batch: 1 });
    expect(first.emails).toBeGreaterThanOrEqual(3);
    expect(second.emails).toBe(0);

    for (const s of [a, b]) {
      const docs = await db().schoolDocument.findMany({ where: { schoolId: s.schoolId, kind: "offer_notice" } });
      expect(docs.map((d) => d.number)).toEqual([`OFFER-${version}`]);
      expect(Buffer.from(docs[0]!.content).toString("utf8")).toContain("+ 12.1. Новый пункт.");
    }
    const directors = [a.userId, b.userId, both.userId];
    const staff = [registrar.userId, instructor.userId];
    const recipients = await db().noticeRecipient.findMany({
      where: { noticeId, userId: { in: [...directors, ...staff] } },
    });
    expect(recipients.map((r) => r.userId).sort()).toEqual([...directors].sort());
    const mails = (await mailsFor(noticeId)).filter((m) => [...directors, ...staff].some((u) => m.jobId.endsWith(u)));
    expect(mails.map((m) => m.jobId.slice(-36)).sort()).toEqual([...directors].sort());
    const toDirector = mails.find((m) => m.jobId.endsWith(a.userId))!.payload as {
      template: string;
      params: Record<string, string>;
    };
    expect(toDirector.template).toBe("noticeOfferChange");
    expect(toDirector.params).toMatchObject({
      version: String(version),
      summary: expect.any(String),
      link: expect.stringContaining("/documents"),
    });

    const slugA = (await db().school.findUniqueOrThrow({ where: { id: a.schoolId } })).slug;
    // The registrar and the instructor have no banner, though the notice is among the school's documents for them.
    expect((await registrar.caller.notices.workspace({ school: slugA })).banners).toEqual([]);
    expect((await instructor.caller.notices.workspace({ school: slugA })).banners).toEqual([]);
    expect((await instructor.caller.notices.documents({ school: slugA })).documents.map((d) => d.number)).toContain(
      `OFFER-${version}`,
    );
    const ws = await a.director.notices.workspace({ school: slugA });
    expect(ws.banners.map((x) => x.version)).toEqual([version]);
    await a.director.notices.markRead({ school: slugA, noticeId });
    expect((await a.director.notices.workspace({ school: slugA })).banners).toEqual([]);
    // Read by one director only; the other still sees it.
    const slugB = (await db().school.findUniqueOrThrow({ where: { id: b.schoolId } })).slug;
    expect((await b.director.notices.workspace({ school: slugB })).banners).toHaveLength(1);
  });

  it("a notice fanned out to every member before directors alone were told shows to the director only", async () => {
    const s = await createSchool();
    const slug = (await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).slug;
    const teacher = await addMember(s.schoolId, "teacher");
    const op = await addOperator();
    const { noticeId } = await publish(op);
    await db().noticeRecipient.createMany({
      data: [s.userId, teacher.userId].map((userId) => ({ noticeId, userId, schoolId: s.schoolId })),
    });
    expect((await teacher.caller.notices.workspace({ school: slug })).banners).toEqual([]);
    expect((await s.director.notices.workspace({ school: slug })).banners).toHaveLength(1);
  });

  it("records continued use after the effective date as consent, once per school and version", async () => {
    const s = await createSchool();
    const slug = (await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).slug;
    const op = await addOperator();
    const { id } = await publish(op);
    await s.director.notices.workspace({ school: slug });
    expect(await db().offerAcceptance.count({ where: { schoolId: s.schoolId, offerVersionId: id } })).toBe(0);
    // The effective date comes (moved into the past here).
    await db().offerVersion.update({ where: { id }, data: { effectiveFrom: new Date(Date.now() - 60_000) } });
    await s.director.notices.workspace({ school: slug });
    await s.director.notices.workspace({ school: slug });
    const rows = await db().$queryRaw<{ via: string; ip: string; user_agent: string }[]>`
      SELECT via, ip, user_agent FROM offer_acceptance WHERE school_id = ${s.schoolId}::uuid AND offer_version_id = ${id}::uuid`;
    expect(rows).toEqual([{ via: "continued_use", ip: meta.ip, user_agent: meta.userAgent }]);
  });

  it("takes a director's written disagreement, shows it to the operator and e-mails the answer", async () => {
    const s = await createSchool();
    const slug = (await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).slug;
    const op = await addOperator();
    const { id } = await publish(op);
    const teacher = await addMember(s.schoolId, "teacher");
    await expect(
      teacher.caller.notices.disagree({ school: slug, offerVersionId: id, text: "Мы не согласны с пунктом 12.1" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const { id: dId } = await s.director.notices.disagree({
      school: slug,
      offerVersionId: id,
      text: "Мы не согласны с пунктом 12.1",
    });
    const list = await op.caller.admin.notices.offers();
    expect(list.disagreements.find((d) => d.id === dId)).toMatchObject({
      text: "Мы не согласны с пунктом 12.1",
      answer: null,
    });
    await op.caller.admin.notices.answerDisagreement({ id: dId, answer: "Пункт 12.1 касается всех автошкол." });
    await expect(op.caller.admin.notices.answerDisagreement({ id: dId, answer: "ещё раз" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const mail = await db().outboxEvent.findUniqueOrThrow({ where: { jobId: `disagreement-answer-${dId}` } });
    expect(mail.payload).toMatchObject({ to: s.email, template: "disagreementAnswered" });
    const docs = await s.director.notices.documents({ school: slug });
    expect(docs.disagreements[0]).toMatchObject({ answer: "Пункт 12.1 касается всех автошкол." });
  });

  it("diffs lines", () => {
    expect(lineDiff("a\nb\nc", "a\nc\nd")).toEqual(["- b", "+ d"]);
  });

  it("e-mails the operator's address from the settings once per disagreement, even when the same form is sent twice", async () => {
    const s = await createSchool();
    const slug = (await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).slug;
    const op = await addOperator();
    const { id: versionId, version } = await publish(op);
    const settings = await db().platformSetting.findUniqueOrThrow({ where: { key: "billing" } });
    await db().platformSetting.update({
      where: { key: "billing" },
      data: { value: { ...(settings.value as object), operatorEmail: "desk@operator.kz" } },
    });
    const requestId = randomUUID();
    const form = { school: slug, offerVersionId: versionId, text: "Мы не согласны с пунктом 12.1", requestId };
    const first = await s.director.notices.disagree(form);
    const again = await s.director.notices.disagree(form);
    expect(again.id).toBe(first.id);
    expect(await db().offerDisagreement.count({ where: { schoolId: s.schoolId } })).toBe(1);
    const mailsOf = async () => {
      const filed = await db().offerDisagreement.findMany({ where: { schoolId: s.schoolId } });
      return db().outboxEvent.findMany({ where: { jobId: { in: filed.map((d) => `disagreement-filed-${d.id}`) } } });
    };
    const mails = await mailsOf();
    expect(mails.map((m) => m.jobId)).toEqual([`disagreement-filed-${first.id}`]);
    expect(mails[0]!.payload).toMatchObject({
      to: "desk@operator.kz",
      template: "disagreementOperator",
      params: { version: String(version), text: "Мы не согласны с пунктом 12.1" },
    });
    // Another form (loaded anew) is another disagreement, with its own e-mail.
    const other = await s.director.notices.disagree({
      ...form,
      requestId: randomUUID(),
      text: "И с пунктом 12.2 тоже",
    });
    expect(other.id).not.toBe(first.id);
    expect(await mailsOf()).toHaveLength(2);
  });

  it("lists a school's disagreements with the disagreed version's number and effective date, not the day it was sent", async () => {
    const s = await createSchool();
    const slug = (await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).slug;
    const op = await addOperator();
    const effective = addDays(today(), 12);
    const { id: versionId, version } = await publish(op, effective);
    await s.director.notices.disagree({
      school: slug,
      offerVersionId: versionId,
      text: "Мы не согласны с пунктом 12.1",
    });
    const { disagreements } = await s.director.notices.documents({ school: slug });
    expect(disagreements).toHaveLength(1);
    expect(disagreements[0]).toMatchObject({ version, effectiveFrom: almatyToInstant(effective, "00:00") });
  });

  it("starts a new version from the latest text, previews each language's changed lines, and refuses an unchanged text or a stale preview", async () => {
    await createSchool();
    const op = await addOperator();
    const latest = await db().offerVersion.findFirstOrThrow({ orderBy: { version: "desc" } });
    const page = await op.caller.admin.notices.offers();
    expect(page.latest).toEqual({ version: latest.version, textKk: latest.textKk, textRu: latest.textRu });
    const draft = {
      textKk: latest.textKk,
      textRu: latest.textRu.replace("1.2. Акцепт", "1.2. Акцепт (согласие)"),
      summaryKk: "1.2-тармақ нақтыланды",
      summaryRu: "Уточнён пункт 1.2",
      effectiveFrom: addDays(today(), 8),
    };
    const preview = await op.caller.admin.notices.previewOffer(draft);
    expect(preview.baseVersion).toBe(latest.version);
    expect(preview.kk.every((l) => l.op === "same" || l.op === "gap")).toBe(true);
    const changed = preview.ru.filter((l) => l.op === "removed" || l.op === "added");
    expect(changed).toHaveLength(2);
    expect(changed[0]).toMatchObject({ op: "removed", text: expect.stringMatching(/^1\.2\. Акцепт - /) });
    expect(changed[1]).toMatchObject({ op: "added", text: expect.stringMatching(/^1\.2\. Акцепт \(согласие\) - /) });
    // Two unchanged lines either side of the change, the rest folded into gaps.
    expect(preview.ru.filter((l) => l.op === "same")).toHaveLength(4);
    expect(preview.ru.filter((l) => l.op === "gap")).toHaveLength(2);

    const unchanged = await refusal(op.caller.admin.notices.previewOffer({ ...draft, textRu: latest.textRu }));
    expect(unchanged.message).toContain("не изменился");
    const { version } = await op.caller.admin.notices.publishOffer({ ...draft, baseVersion: preview.baseVersion });
    expect(version).toBe(latest.version + 1);
    // A second publication from the same (now stale) preview is refused: a newer version came meanwhile.
    const stale = await refusal(
      op.caller.admin.notices.publishOffer({ ...draft, textKk: `${draft.textKk}\n`, baseVersion: preview.baseVersion }),
    );
    expect(stale.status).toBe(409);
    expect(await db().offerVersion.count({ where: { version: { gt: version } } })).toBe(0);
  });
});

describe("maintenance windows (4.2.4)", () => {
  it("refuses a start less than 3 full calendar days ahead; a later one is announced and fanned out with a document", async () => {
    const s = await createSchool();
    const op = await addOperator();
    const input = {
      startTime: "01:00",
      endTime: "03:00",
      reasonKk: "Серверлерді жаңарту",
      reasonRu: "Обновление серверов",
    };
    const soon = addDays(today(), 3);
    const ru = await refusal(op.caller.admin.notices.scheduleMaintenance({ ...input, startDate: soon, endDate: soon }));
    expect(ru.fieldErrors?.startDate).toContain("3 календарных дня");
    const kk = await refusal(
      op.caller.admin.notices.scheduleMaintenance({ ...input, startDate: soon, endDate: soon }),
      "kk",
    );
    expect(kk.fieldErrors?.startDate).toContain("3 күнтізбелік күн");
    const day = addDays(today(), 4);
    const { id, noticeId } = await op.caller.admin.notices.scheduleMaintenance({
      ...input,
      startDate: day,
      endDate: day,
    });
    const anon = await callerFor(s.userId);
    expect((await anon.noticesPublic.announcements()).map((w) => w.id)).toContain(id);
    await fanOutNotice(noticeId);
    await fanOutNotice(noticeId);
    expect(await db().schoolDocument.count({ where: { schoolId: s.schoolId, kind: "maintenance_notice" } })).toBe(1);
    const mine = (await mailsFor(noticeId)).filter((m) => m.jobId.endsWith(s.userId));
    expect(mine.map((m) => (m.payload as { template: string }).template)).toEqual(["noticeMaintenance"]);
  });

  it("every member sees an announced window; hiding it is remembered for the person in all their schools until the window begins", async () => {
    const a = await createSchool();
    const b = await createSchool();
    const slugOf = async (s: { schoolId: string }) =>
      (await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).slug;
    const slugA = await slugOf(a);
    const slugB = await slugOf(b);
    const instructor = await addMember(a.schoolId, "instructor");
    await db().membership.create({
      data: { id: randomUUID(), schoolId: b.schoolId, userId: instructor.userId, role: "instructor" },
    });
    const inspector = await addMember(a.schoolId, "inspector");
    const id = randomUUID();
    const day = addDays(today(), 5);
    await db().maintenanceWindow.create({
      data: {
        id,
        startsAt: almatyToInstant(day, "01:00"),
        endsAt: almatyToInstant(day, "03:00"),
        reasonKk: "Жаңарту",
        reasonRu: "Обновление",
      },
    });
    const shown = async (caller: typeof a.director, slug: string) =>
      (await caller.notices.workspace({ school: slug })).announcements.filter((w) => w.id === id);
    for (const [caller, slug] of [
      [a.director, slugA],
      [instructor.caller, slugA],
      [instructor.caller, slugB],
      [inspector.caller, slugA],
    ] as const)
      expect(await shown(caller, slug)).toHaveLength(1);

    await instructor.caller.notices.dismissMaintenance({ school: slugA, maintenanceId: id });
    await instructor.caller.notices.dismissMaintenance({ school: slugA, maintenanceId: id });
    expect(await shown(instructor.caller, slugA)).toEqual([]);
    expect(await shown(instructor.caller, slugB)).toEqual([]);
    expect(await shown(a.director, slugA)).toHaveLength(1);
    // The inspector only reads, everywhere: the announcement stays for them.
    await expect(
      inspector.caller.notices.dismissMaintenance({ school: slugA, maintenanceId: id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // A window that isn't there is nothing to hide.
    await expect(
      a.director.notices.dismissMaintenance({ school: slugA, maintenanceId: randomUUID() }),
    ).resolves.toEqual({ ok: true });

    // The window begins: it shows again to whoever hid it.
    await db().maintenanceWindow.update({ where: { id }, data: { startsAt: new Date(Date.now() - 60_000) } });
    try {
      expect(await shown(instructor.caller, slugA)).toEqual([expect.objectContaining({ active: true })]);
    } finally {
      // Over, so that no later test of this worker meets a window under way.
      await db().maintenanceWindow.update({ where: { id }, data: { endsAt: new Date(Date.now() - 1_000) } });
    }
  });

  it("sends the day-before reminder once", async () => {
    const s = await createSchool();
    const id = randomUUID();
    const tomorrow = addDays(today(), 1);
    await db().maintenanceWindow.create({
      data: {
        id,
        startsAt: almatyToInstant(tomorrow, "02:00"),
        endsAt: almatyToInstant(tomorrow, "04:00"),
        reasonKk: "Жаңарту",
        reasonRu: "Обновление",
      },
    });
    const first = await remindDueWindows(db());
    const second = await remindDueWindows(db());
    expect(first).toHaveLength(1);
    expect(second).toEqual([]);
    await fanOutNotice(first[0]!);
    await fanOutNotice(first[0]!);
    const mine = (await mailsFor(first[0]!)).filter((m) => m.jobId.endsWith(s.userId));
    expect(mine.map((m) => (m.payload as { template: string }).template)).toEqual(["noticeMaintenanceReminder"]);
  });

  it("answers 503 with Retry-After in workspaces and the API during a window, while /admin still answers; it ends by itself", async () => {
    const s = await createSchool();
    const slug = (await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).slug;
    const op = await addOperator();
    const { createWebApp } = await import("../web.ts");
    const app = await createWebApp();
    const server = await new Promise<Server>((r) => {
      const x = app.listen(0, "127.0.0.1", () => r(x));
    });
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const director = (await startSession(s.userId, meta)).cookie.split(";")[0]!;
      const operator = (await startSession(op.userId, meta)).cookie.split(";")[0]!;
      expect((await fetch(`${base}/s/${slug}/trainees`, { headers: { cookie: director } })).status).toBe(200);
      const windowId = randomUUID();
      await db().maintenanceWindow.create({
        data: {
          id: windowId,
          startsAt: new Date(Date.now() - 60_000),
          endsAt: new Date(Date.now() + 3_600_000),
          reasonKk: "Дерекқорды көшіру",
          reasonRu: "Перенос базы данных",
        },
      });
      // A fresh app reads the windows at once (the running one caches them for 10 s).
      const app2 = await createWebApp();
      server.close();
      const server2 = await new Promise<Server>((r) => {
        const x = app2.listen(0, "127.0.0.1", () => r(x));
      });
      const base2 = `http://127.0.0.1:${(server2.address() as { port: number }).port}`;
      try {
        const page = await fetch(`${base2}/s/${slug}/trainees`, { headers: { cookie: `${director}; am_lang=ru` } });
        expect(page.status).toBe(503);
        expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(3000);
        const html = await page.text();
        expect(html).toContain("Идут профилактические работы");
        expect(html).toContain("Перенос базы данных");
        const api = await fetch(
          `${base2}/api/trpc/school.workspace?input=${encodeURIComponent(JSON.stringify({ json: { school: slug } }))}`,
          { headers: { cookie: director } },
        );
        expect(api.status).toBe(503);
        expect(api.headers.get("retry-after")).toBeTruthy();
        expect((await fetch(`${base2}/admin`, { headers: { cookie: operator } })).status).toBe(200);
        expect(
          (await fetch(`${base2}/api/trpc/admin.notices.maintenance`, { headers: { cookie: operator } })).status,
        ).toBe(200);
        expect((await fetch(`${base2}/login`)).status).toBe(200);
        expect((await fetch(`${base2}/healthz`)).status).toBe(200);
        // The window's end passes (moved here): the same running app lets workspaces in again.
        await db().maintenanceWindow.update({
          where: { id: windowId },
          data: { endsAt: new Date(Date.now() + 1_500) },
        });
        const app3 = await createWebApp();
        server2.close();
        const server3 = await new Promise<Server>((r) => {
          const x = app3.listen(0, "127.0.0.1", () => r(x));
        });
        const base3 = `http://127.0.0.1:${(server3.address() as { port: number }).port}`;
        expect((await fetch(`${base3}/s/${slug}/trainees`, { headers: { cookie: director } })).status).toBe(503);
        await new Promise((r) => setTimeout(r, 1_600));
        expect((await fetch(`${base3}/s/${slug}/trainees`, { headers: { cookie: director } })).status).toBe(200);
        server3.close();
      } finally {
        server2.close();
      }
    } finally {
      server.close();
    }
  });
});
