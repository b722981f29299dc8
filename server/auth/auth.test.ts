import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { startWorker } from "../../jobs/worker.ts";
import { anonymousCaller, contextFor, createSchool } from "../../tests/factories.ts";
import { createCaller } from "../router.ts";
import { linkIn, waitForMail } from "../../tests/mail.ts";

const cookieOf = (setCookies: string[]) => setCookies.find((c) => c.startsWith("am_session="))!.split(";")[0]!;

async function loginAs(email: string, password: string, opts: { ip?: string; cookie?: string | null } = {}) {
  const { ctx, setCookies } = await contextFor(opts.cookie ?? null, { ip: opts.ip, locale: "ru" });
  await createCaller(ctx).auth.login({ email, password });
  return cookieOf(setCookies);
}

describe("login", () => {
  it("opens a session in an httpOnly SameSite=Lax cookie and records it in the audit log", async () => {
    const s = await createSchool();
    const { ctx, setCookies } = await contextFor(null, { ip: "10.9.9.1" });
    await createCaller(ctx).auth.login({ email: s.email, password: s.password });
    const cookie = setCookies.find((c) => c.startsWith("am_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await createCaller((await contextFor(cookie.split(";")[0]!)).ctx).auth.me();
    expect(me).toMatchObject({ email: s.email, schools: [{ slug: s.slug, roles: ["director"] }] });
    const entry = await operatorDb().auditLog.findFirst({
      where: { action: "login.succeeded", actorUserId: s.userId },
    });
    expect(entry).toMatchObject({ ip: "10.9.9.1", userAgent: "vitest" });
  });

  it("keeps the language chosen before signing in: the screens after sign-in speak it, and it is saved", async () => {
    const s = await createSchool();
    await operatorDb().user.update({ where: { id: s.userId }, data: { locale: "kk" } });
    const { ctx, setCookies } = await contextFor(null, { locale: "ru" });
    await createCaller(ctx).auth.login({ email: s.email, password: s.password });
    const signedIn = createCaller((await contextFor(cookieOf(setCookies))).ctx);
    expect((await signedIn.auth.me())?.locale).toBe("ru");
    // without a choice on the device, the saved language stays
    const again = await contextFor(null);
    await createCaller(again.ctx).auth.login({ email: s.email, password: s.password });
    expect((await operatorDb().user.findUniqueOrThrow({ where: { id: s.userId } })).locale).toBe("ru");
  });

  it("refuses a wrong password with one message for unknown e-mails and wrong passwords alike, and logs the failure", async () => {
    const s = await createSchool();
    const { caller } = await anonymousCaller({ locale: "ru" });
    const wrong = await caller.auth.login({ email: s.email, password: "not-the-password" }).catch((e) => e);
    const unknown = await caller.auth.login({ email: "nobody@test.kz", password: "not-the-password" }).catch((e) => e);
    expect(describeError(wrong, "ru")).toMatchObject({ status: 401, message: "Неверный e-mail или пароль" });
    expect(describeError(unknown, "ru").message).toBe(describeError(wrong, "ru").message);
    expect(await operatorDb().auditLog.count({ where: { action: "login.failed", actorUserId: s.userId } })).toBe(1);
  });

  it("gives a new session id at every login and ends the one the browser had before", async () => {
    const s = await createSchool();
    const first = await loginAs(s.email, s.password);
    const second = await loginAs(s.email, s.password, { cookie: first });
    expect(second).not.toBe(first);
    expect((await contextFor(first)).ctx.user).toBeNull();
    expect((await contextFor(second)).ctx.user?.email).toBe(s.email);
  });

  it("after 5 wrong passwords from one address that address waits, with a clear message, even with the right password", async () => {
    const s = await createSchool();
    const { caller } = await anonymousCaller({ ip: "10.0.0.1", locale: "kk" });
    for (let i = 0; i < 5; i++) {
      await expect(caller.auth.login({ email: s.email, password: "wrong-password" })).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    const err = await caller.auth.login({ email: s.email, password: s.password }).catch((e) => e);
    expect(err.code).toBe("TOO_MANY_REQUESTS");
    expect(describeError(err, "kk").message).toMatch(/^Кіру әрекеттері тым көп\. \d+ минуттан кейін қайталаңыз$/);
    // the owner, from their own address, is not locked out by it
    await expect(loginAs(s.email, s.password, { ip: "10.0.1.1" })).resolves.toMatch(/^am_session=/);
    // and another account is not affected at the guessing address either
    const other = await createSchool();
    await expect(loginAs(other.email, other.password, { ip: "10.0.0.1" })).resolves.toMatch(/^am_session=/);
  });

  it("5 wrong passwords from 5 addresses lock nobody out", async () => {
    const s = await createSchool();
    for (let i = 0; i < 5; i++) {
      const { caller } = await anonymousCaller({ ip: `10.0.2.${i + 1}` });
      await expect(caller.auth.login({ email: s.email, password: "wrong-password" })).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    await expect(loginAs(s.email, s.password, { ip: "10.0.2.99" })).resolves.toMatch(/^am_session=/);
  });

  it("limits attempts per IP across accounts", async () => {
    const { caller } = await anonymousCaller({ ip: "10.7.7.7", locale: "ru" });
    for (let i = 0; i < 30; i++) {
      await expect(caller.auth.login({ email: `guess${i}@test.kz`, password: "x" })).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    const err = await caller.auth.login({ email: "guess31@test.kz", password: "x" }).catch((e) => e);
    expect(describeError(err, "ru").message).toMatch(/Слишком много попыток входа/);
  });
});

describe("logout", () => {
  it("ends this session only; 'log out everywhere' ends all of them", async () => {
    const s = await createSchool();
    const phone = await loginAs(s.email, s.password);
    const laptop = await loginAs(s.email, s.password);
    const tablet = await loginAs(s.email, s.password);
    await createCaller((await contextFor(phone)).ctx).auth.logout();
    expect((await contextFor(phone)).ctx.user).toBeNull();
    expect((await contextFor(laptop)).ctx.user).not.toBeNull();
    await createCaller((await contextFor(laptop)).ctx).auth.logoutEverywhere();
    expect((await contextFor(laptop)).ctx.user).toBeNull();
    expect((await contextFor(tablet)).ctx.user).toBeNull();
    const actions = (
      await operatorDb().auditLog.findMany({ where: { actorUserId: s.userId }, select: { action: true } })
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["logout", "logout.everywhere"]));
  });
});

describe("password reset by an e-mailed one-time link", () => {
  it("sets a new password, signs out every old session, and the link works once", async () => {
    const worker = await startWorker();
    try {
      const s = await createSchool();
      const oldSession = await loginAs(s.email, s.password);
      const { caller } = await anonymousCaller({ locale: "ru" });
      await caller.auth.requestPasswordReset({ email: s.email });
      // an unknown address gets the same answer and no e-mail
      await expect(caller.auth.requestPasswordReset({ email: "ghost@test.kz" })).resolves.toEqual({ ok: true });
      const mail = await waitForMail(s.email, /Восстановление пароля/);
      const token = linkIn(mail, "/reset");

      await caller.auth.resetPassword({ token, password: "a-brand-new-password" });
      expect((await contextFor(oldSession)).ctx.user).toBeNull();
      await expect(loginAs(s.email, s.password)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      await expect(loginAs(s.email, "a-brand-new-password")).resolves.toMatch(/^am_session=/);
      const again = await caller.auth.resetPassword({ token, password: "yet-another-password" }).catch((e) => e);
      expect(describeError(again, "ru").message).toBe("Ссылка недействительна или устарела. Запросите новую");
      expect(await operatorDb().auditLog.count({ where: { action: "password.reset", actorUserId: s.userId } })).toBe(1);
    } finally {
      await worker.stop();
    }
  });

  it("changing the password needs the current one and signs out the other devices", async () => {
    const s = await createSchool();
    const other = await loginAs(s.email, s.password);
    const here = await loginAs(s.email, s.password);
    const caller = createCaller((await contextFor(here, { locale: "ru" })).ctx);
    const err = await caller.auth
      .changePassword({ current: "wrong-one", password: "new-password-123" })
      .catch((e) => e);
    expect(describeError(err, "ru").fieldErrors).toEqual({ current: "Текущий пароль введён неверно" });
    await caller.auth.changePassword({ current: s.password, password: "new-password-123" });
    expect((await contextFor(other)).ctx.user).toBeNull();
    expect(await operatorDb().auditLog.count({ where: { action: "password.changed", actorUserId: s.userId } })).toBe(1);
  });
});

describe("language", () => {
  it("is remembered on the user", async () => {
    const s = await createSchool();
    const cookie = await loginAs(s.email, s.password);
    await createCaller((await contextFor(cookie)).ctx).auth.setLocale({ locale: "kk" });
    // no language cookie this time: the user's saved choice decides
    expect((await contextFor(cookie)).ctx.locale).toBe("kk");
    await createCaller((await contextFor(cookie)).ctx).auth.setLocale({ locale: "ru" });
    expect((await contextFor(cookie)).ctx.locale).toBe("ru");
  });
});
