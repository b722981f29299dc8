import { operatorDb } from "../db/client.ts";
import { createCaller } from "../router.ts";
import { createCallerFactory, limitedProcedure, router } from "../trpc.ts";
import { createApiLimiter } from "../auth/rate-limit.ts";
import { startWorker } from "../../jobs/worker.ts";
import { runBillingDay } from "../billing/cycle.ts";
import { addMember, addOperator, anonymousCaller, contextFor, createSchool } from "../../tests/factories.ts";
import { refusal } from "../../tests/refusal.ts";
import { schoolPaidThrough, today } from "../../tests/billing.ts";
import { linkIn, waitForMail } from "../../tests/mail.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { withdrawalEffectiveOn } from "./service.ts";
import { formatDate } from "../../domain/i18n/index.ts";
import { startSession } from "../auth/sessions.ts";
import { redis } from "../redis.ts";

const db = () => operatorDb();
const cookieOf = (setCookies: string[]) => setCookies.find((c) => c.startsWith("am_session="))!.split(";")[0]!;

async function login(email: string, password: string, ip = "10.44.0.1") {
  const { ctx, setCookies } = await contextFor(null, { ip, locale: "ru" });
  await createCaller(ctx).auth.login({ email, password });
  return cookieOf(setCookies);
}

describe("personal-data consent withdrawal (7.5, 10.9)", () => {
  it("is refused while the school has an open invoice, naming it; accepted after payment, effective 30 calendar days later", async () => {
    const s = await schoolPaidThrough(2);
    await runBillingDay(today());
    const invoice = await db().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId, status: "open" } });

    const text = "Прошу отозвать согласие на обработку персональных данных.";
    const r = await refusal(s.director.privacy.requestWithdrawal({ school: s.slug, text }));
    expect(r.status).toBe(409);
    expect(r.message).toBe(
      `Отзыв согласия не принят: у автошколы есть неоплаченные счета (${invoice.number}). По п. 7.5 оферты согласие можно отозвать после их оплаты`,
    );
    const kk = await refusal(s.director.privacy.requestWithdrawal({ school: s.slug, text }), "kk");
    expect(kk.message).toContain(invoice.number);
    expect(await db().consentWithdrawal.count({ where: { schoolId: s.schoolId } })).toBe(0);
    // The page shows the reason before the request is even written.
    expect((await s.director.privacy.overview({ school: s.slug })).openInvoices).toEqual([invoice.number]);

    const op = await addOperator("billing");
    await op.caller.admin.billing.confirmPayment({
      invoiceId: invoice.id,
      amount: String(Number(invoice.amountTiyn) / 100),
      receivedOn: today(),
      reference: "PP-77",
    });

    const accepted = await s.director.privacy.requestWithdrawal({ school: s.slug, text });
    expect(accepted.effectiveOn).toBe(addDays(today(), 30));
    const overview = await s.director.privacy.overview({ school: s.slug });
    expect(overview.personalData).toMatchObject({
      state: "pending",
      request: { effectiveOn: addDays(today(), 30), text },
    });
    // A second request while one is pending is refused with its date.
    expect((await refusal(s.director.privacy.requestWithdrawal({ school: s.slug, text }))).message).toBe(
      `Заявление об отзыве согласия уже подано: оно вступит в силу ${formatDate(addDays(today(), 30))}`,
    );
    const audit = await db().auditLog.findFirstOrThrow({
      where: { action: "consent.withdrawal_requested", schoolId: s.schoolId },
    });
    expect(audit.actorUserId).toBe(s.userId);
  });

  it("counts 30 calendar days from the Almaty date of receipt, and takes effect by date without any job", async () => {
    // 20:30 UTC on 31 Jan is already 1 Feb in Almaty: 30 days from 1 Feb (a leap year's February) is 2 Mar.
    expect(withdrawalEffectiveOn(new Date("2028-01-31T20:30:00Z"))).toBe("2028-03-02");
    expect(withdrawalEffectiveOn(new Date("2026-12-15T10:00:00+05:00"))).toBe("2027-01-14");

    const s = await createSchool();
    await s.director.privacy.requestWithdrawal({
      school: s.slug,
      text: "Отзываю согласие на обработку персональных данных.",
    });
    // Moving the receipt back 31 days (as if the request came then) makes the state "withdrawn" on read.
    const w = await db().consentWithdrawal.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    const past = addDays(today(), -31);
    await db()
      .$executeRaw`UPDATE consent_withdrawal SET received_at = received_at - interval '31 days', effective_on = ${new Date(`${addDays(past, 30)}T00:00:00Z`)}::date WHERE id = ${w.id}::uuid`;
    await db().consent.updateMany({
      where: { schoolId: s.schoolId, kind: "personal_data" },
      data: { withdrawnAt: new Date(`${addDays(past, 30)}T00:00:00+05:00`) },
    });
    expect((await s.director.privacy.overview({ school: s.slug })).personalData.state).toBe("withdrawn");
    expect((await refusal(s.director.privacy.cancelWithdrawal({ school: s.slug }))).message).toBe(
      "Отзыв согласия уже вступил в силу — отменить его нельзя",
    );
  });

  it("a pending request can be taken back; only the director sees and manages consents", async () => {
    const s = await createSchool();
    await s.director.privacy.requestWithdrawal({
      school: s.slug,
      text: "Отзываю согласие на обработку персональных данных.",
    });
    await s.director.privacy.cancelWithdrawal({ school: s.slug });
    expect((await s.director.privacy.overview({ school: s.slug })).personalData.state).toBe("active");
    const registrar = await addMember(s.schoolId, "registrar");
    expect((await refusal(registrar.caller.privacy.overview({ school: s.slug }))).status).toBe(403);
  });
});

describe("reviews (10.10) and marketing (10.11) consents", () => {
  it("reviews consent is granted and withdrawn at any time, audited", async () => {
    const s = await createSchool();
    await s.director.privacy.setConsent({ school: s.slug, kind: "reviews", granted: true });
    expect((await s.director.privacy.overview({ school: s.slug })).reviews.active).toBe(true);
    await s.director.privacy.setConsent({ school: s.slug, kind: "reviews", granted: false });
    expect((await s.director.privacy.overview({ school: s.slug })).reviews.active).toBe(false);
    const actions = (
      await db().auditLog.findMany({
        where: { schoolId: s.schoolId, action: { startsWith: "consent.reviews" } },
        orderBy: { id: "asc" },
      })
    ).map((a) => a.action);
    expect(actions).toEqual(["consent.reviews_granted", "consent.reviews_withdrawn"]);
  });

  it("one click on the link of a marketing e-mail opts out without signing in; transactional e-mail still goes", async () => {
    const worker = await startWorker();
    try {
      const s = await createSchool({ marketing: true });
      const quiet = await createSchool(); // no marketing consent: never gets marketing
      const op = await addOperator("super_admin");
      const content = {
        subject: "Новые возможности Avtomektep",
        text: "Теперь можно записываться на вождение из кабинета.",
      };
      await op.caller.admin.privacy.sendMarketing({
        campaign: "spring-1",
        kk: { ...content, subject: "Avtomektep жаңалықтары" },
        ru: content,
      });
      const mail = await waitForMail(s.email, /Новые возможности/);
      const token = linkIn(mail, "/unsubscribe");
      const outbox = await db().outboxEvent.findMany({ where: { jobId: { startsWith: "marketing.spring-1." } } });
      expect(outbox.map((o) => (o.payload as { to: string }).to)).toContain(s.email);
      expect(outbox.map((o) => (o.payload as { to: string }).to)).not.toContain(quiet.email);

      const { caller } = await anonymousCaller({ locale: "ru" });
      expect(await caller.privacyPublic.unsubscribeInfo({ token })).toMatchObject({ subscribed: true });
      await caller.privacyPublic.unsubscribe({ token });
      expect(await caller.privacyPublic.unsubscribeInfo({ token })).toMatchObject({ subscribed: false });
      expect((await s.director.privacy.overview({ school: s.slug })).marketing.active).toBe(false);
      expect(
        await db().auditLog.count({ where: { action: "consent.marketing_unsubscribed", actorUserId: s.userId } }),
      ).toBe(1);

      // The next campaign skips them; a password reset (transactional) still reaches them.
      await op.caller.admin.privacy.sendMarketing({ campaign: "spring-2", kk: content, ru: content });
      expect(await db().outboxEvent.count({ where: { jobId: `marketing.spring-2.${s.userId}` } })).toBe(0);
      await caller.auth.requestPasswordReset({ email: s.email });
      const reset = await waitForMail(s.email, /Восстановление пароля/);
      expect(reset.text).not.toMatch(/unsubscribe/);
      expect((await refusal(caller.privacyPublic.unsubscribe({ token: "x".repeat(32) }))).message).toBe(
        "Ссылка для отписки недействительна",
      );
    } finally {
      await worker.stop();
    }
  });
});

describe("my account was compromised (4.3.4, 6.2)", () => {
  it("ends every session at once, refuses sign-in until a reset, records the exact time and alerts the operator", async () => {
    const worker = await startWorker();
    try {
      const s = await createSchool();
      const phone = await login(s.email, s.password, "10.44.1.1");
      const laptop = await login(s.email, s.password, "10.44.1.2");
      const before = new Date();
      const res = await createCaller((await contextFor(laptop, { locale: "ru" })).ctx).auth.reportCompromised();
      const after = new Date();
      expect((await contextFor(phone)).ctx.user).toBeNull();
      expect((await contextFor(laptop)).ctx.user).toBeNull();
      expect(await db().session.count({ where: { userId: s.userId } })).toBe(0);

      const report = await db().securityReport.findFirstOrThrow({ where: { userId: s.userId } });
      expect(report.reportedAt.getTime()).toBe(res.reportedAt.getTime());
      expect(report.reportedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
      expect(report.reportedAt.getTime()).toBeLessThanOrEqual(after.getTime() + 5);
      expect(report).toMatchObject({ via: "account", resetAt: null });
      // createSchool's own director session + the two logins
      expect(report.sessionsEnded).toBe(3);

      const refused = await refusal(login(s.email, s.password, "10.44.1.3"));
      expect(refused.status).toBe(403);
      expect(refused.message).toMatch(/нужно задать новый пароль/);

      const alert = await waitForMail(
        "info@avtomektep.kz",
        new RegExp(`взломе учётной записи: ${s.email.replace(/\./g, "\\.")}`),
      );
      expect(alert.text).toContain(`Время сообщения: ${formatDate(almatyDate(report.reportedAt))}`);
      expect(await db().auditLog.count({ where: { action: "security.compromised", actorUserId: s.userId } })).toBe(1);

      const resetMail = await waitForMail(s.email, /Восстановление пароля/);
      const { caller } = await anonymousCaller({ locale: "ru" });
      await caller.auth.resetPassword({ token: linkIn(resetMail, "/reset"), password: "a-fresh-password-2026" });
      expect((await db().securityReport.findFirstOrThrow({ where: { userId: s.userId } })).resetAt).not.toBeNull();
      await expect(login(s.email, "a-fresh-password-2026", "10.44.1.4")).resolves.toMatch(/^am_session=/);
    } finally {
      await worker.stop();
    }
  });

  it("every sign-in is e-mailed with a link that reports without being signed in, once", async () => {
    const worker = await startWorker();
    try {
      const s = await createSchool();
      const session = await login(s.email, s.password, "10.44.2.1");
      const mail = await waitForMail(s.email, /Новый вход в Avtomektep/);
      expect(mail.text).toContain("IP 10.44.2.1");
      const token = linkIn(mail, "/compromised");
      const { caller } = await anonymousCaller({ locale: "ru" });
      expect((await caller.auth.compromisedLink({ token })).email).toMatch(/^di\*\*\*@test\.kz$/);
      await caller.auth.reportCompromisedByLink({ token });
      expect((await contextFor(session)).ctx.user).toBeNull();
      expect(await db().securityReport.findFirstOrThrow({ where: { userId: s.userId } })).toMatchObject({
        via: "email_link",
      });
      expect((await refusal(caller.auth.reportCompromisedByLink({ token }))).message).toMatch(
        /Ссылка недействительна или устарела/,
      );
      expect((await refusal(login(s.email, s.password, "10.44.2.2"))).status).toBe(403);
    } finally {
      await worker.stop();
    }
  });
});

describe("the operator deactivates and reactivates a user (5.2)", () => {
  it("a deactivated user's sessions end and they can't sign in; reactivation lets them back; both audited with the reason", async () => {
    const s = await createSchool();
    const session = await login(s.email, s.password, "10.44.3.1");
    const op = await addOperator("support");
    await op.caller.admin.privacy.deactivate({ userId: s.userId, reason: "Рассылка спама ученикам" });
    expect((await contextFor(session)).ctx.user).toBeNull();
    expect(await db().session.count({ where: { userId: s.userId } })).toBe(0);
    const r = await refusal(login(s.email, s.password, "10.44.3.2"));
    expect(r).toMatchObject({
      status: 403,
      message: "Учётная запись отключена. Обратитесь в поддержку: info@avtomektep.kz",
    });
    const listed = await op.caller.admin.privacy.users({ q: s.email });
    expect(listed[0]).toMatchObject({ id: s.userId, deactivation: { reason: "Рассылка спама ученикам" } });
    expect((await refusal(op.caller.admin.privacy.deactivate({ userId: s.userId, reason: "ещё раз" }))).message).toBe(
      "Учётная запись уже отключена",
    );

    await op.caller.admin.privacy.reactivate({ userId: s.userId, reason: "Ошибка, проверено" });
    await expect(login(s.email, s.password, "10.44.3.3")).resolves.toMatch(/^am_session=/);
    const entries = await db().auditLog.findMany({
      where: { actorUserId: op.userId, action: { in: ["user.deactivated", "user.reactivated"] } },
      orderBy: { id: "asc" },
    });
    expect(entries.map((e) => [e.action, (e.details as { reason: string }).reason])).toEqual([
      ["user.deactivated", "Рассылка спама ученикам"],
      ["user.reactivated", "Ошибка, проверено"],
    ]);
    // A school director can't reach the operator's procedures.
    expect((await refusal(s.director.admin.privacy.deactivate({ userId: op.userId, reason: "месть" }))).status).toBe(
      403,
    );
  });
});

describe("API rate limits (4.3.8)", () => {
  it("answers 429 with the wait in kk and ru once a user or an IP is over its limit", async () => {
    const limiter = createApiLimiter({ perUser: 3, perIp: 5 }, `test-${Date.now()}`);
    const testRouter = router({ ping: limitedProcedure(() => limiter).query(() => "pong") });
    const call = createCallerFactory(testRouter);
    const s = await createSchool();
    const { cookie } = await startSession(s.userId, { ip: null, userAgent: null });
    const me = call((await contextFor(cookie.split(";")[0]!, { ip: "10.55.0.1" })).ctx);
    for (let i = 0; i < 3; i++) await expect(me.ping()).resolves.toBe("pong");
    const ru = await refusal(me.ping(), "ru");
    expect(ru.status).toBe(429);
    expect(ru.message).toMatch(/^Слишком много запросов\. Повторите через \d+ с\.$/);
    const kk = await refusal(me.ping(), "kk");
    expect(kk.message).toMatch(/^Сұраулар тым көп\. \d+ секундтан кейін қайталаңыз$/);

    // Anonymous calls from one IP: the IP's limit (5 calls; this IP has used 5 already).
    const anon = call((await contextFor(null, { ip: "10.55.0.1" })).ctx);
    expect((await refusal(anon.ping())).status).toBe(429);
    const other = call((await contextFor(null, { ip: "10.55.0.2" })).ctx);
    await expect(other.ping()).resolves.toBe("pong");
  });

  it("the real API is limited too (the default limits are generous: a normal page never meets them)", async () => {
    const { caller } = await anonymousCaller({ ip: "10.55.1.1" });
    await expect(caller.auth.me()).resolves.toBeNull();
    const keys = await redis().keys(`${process.env.REDIS_PREFIX}:rl:api-ip*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});
