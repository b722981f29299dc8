// Attacks on the session, over HTTP: fixation (a cookie planted before login must not become the
// victim's session), a stolen cookie outliving logout, a "compromised" report or a password reset,
// and password guessing against one account from one or many addresses.
import { operatorDb } from "../../server/db/client.ts";
import { newToken } from "../../server/auth/tokens.ts";
import { startSession } from "../../server/auth/sessions.ts";
import { createSchool, meta } from "../factories.ts";
import { startWebApp } from "../web.ts";
import { resetConfig } from "../../server/config.ts";

let close: () => Promise<void>;
let base: string;

beforeAll(async () => {
  // A small daily per-account backstop for this file (the default is 100 failures a day), read on first use.
  process.env.LOGIN_FAILURES_PER_DAY = "12";
  resetConfig();
  ({ base, close } = await startWebApp());
});
afterAll(async () => {
  await close();
  delete process.env.LOGIN_FAILURES_PER_DAY;
  resetConfig();
});

let ipSerial = 0;
const freshIp = () => `10.77.${Math.floor(++ipSerial / 250)}.${(ipSerial % 250) + 1}`;

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ json: body }),
  });
}
const sessionFrom = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith("am_session="))
    ?.split(";")[0] ?? null;

/** What the server thinks of a cookie: the signed-in e-mail, or null. */
async function whoIs(cookie: string): Promise<string | null> {
  const res = await fetch(`${base}/api/trpc/auth.me`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()).result.data.json as { email: string } | null)?.email ?? null;
}

async function login(email: string, password: string, opts: { cookie?: string; ip?: string; lang?: "kk" | "ru" } = {}) {
  const cookie = [opts.cookie, `am_lang=${opts.lang ?? "ru"}`].filter(Boolean).join("; ");
  return post("auth.login", { email, password }, { cookie, "x-forwarded-for": opts.ip ?? freshIp() });
}

describe("session fixation", () => {
  it("a session id planted in the browser before login is never adopted: login issues a new one", async () => {
    const s = await createSchool();
    const planted = "am_session=attackerchosenid0000000000";
    const res = await login(s.email, s.password, { cookie: planted });
    expect(res.status).toBe(200);
    const issued = sessionFrom(res)!;
    expect(issued).not.toBe(planted);
    expect(await whoIs(issued)).toBe(s.email);
    expect(await whoIs(planted)).toBeNull();
  });

  it("a real session the attacker planted (their own) is ended, not promoted, when the victim signs in", async () => {
    const victim = await createSchool();
    const attacker = await createSchool();
    const planted = (await startSession(attacker.userId, meta)).cookie.split(";")[0]!;
    const res = await login(victim.email, victim.password, { cookie: planted });
    const issued = sessionFrom(res)!;
    expect(issued).not.toBe(planted);
    expect(await whoIs(issued)).toBe(victim.email);
    expect(await whoIs(planted)).toBeNull();
  });
});

describe("a stolen cookie dies", () => {
  it("at logout", async () => {
    const s = await createSchool();
    const cookie = sessionFrom(await login(s.email, s.password))!;
    expect(await whoIs(cookie)).toBe(s.email);
    const out = await post("auth.logout", {}, { cookie });
    expect(out.status).toBe(200);
    expect(sessionFrom(out)).toBe("am_session=");
    expect(await whoIs(cookie)).toBeNull();
  });

  it("on every device when the account is reported compromised", async () => {
    const s = await createSchool();
    const phone = sessionFrom(await login(s.email, s.password))!;
    const laptop = sessionFrom(await login(s.email, s.password))!;
    expect(await post("auth.reportCompromised", {}, { cookie: laptop }).then((r) => r.status)).toBe(200);
    expect(await whoIs(phone)).toBeNull();
    expect(await whoIs(laptop)).toBeNull();
    expect(await operatorDb().session.count({ where: { userId: s.userId } })).toBe(0);
  });

  it("after a password reset: the old cookie is dead, the new one works", async () => {
    const s = await createSchool();
    const old = sessionFrom(await login(s.email, s.password))!;
    const { token, hash } = newToken();
    await operatorDb().oneTimeToken.create({
      data: {
        tokenHash: hash,
        purpose: "password_reset",
        userId: s.userId,
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    const res = await post("auth.resetPassword", { token, password: "new-horse-battery-staple" });
    expect(res.status).toBe(200);
    const fresh = sessionFrom(res)!;
    expect(await whoIs(old)).toBeNull();
    expect(await whoIs(fresh)).toBe(s.email);
    // …and the old password no longer opens the account.
    expect((await login(s.email, s.password)).status).toBe(401);
  });
});

describe("a session the web process remembers is proven on every request (ADR 044)", () => {
  /** The register's first page, as the school's workspace asks for it: the status code. */
  const register = (cookie: string, slug: string) =>
    fetch(`${base}/api/trpc/trainees.list?input=${encodeURIComponent(JSON.stringify({ json: { school: slug } }))}`, {
      headers: { cookie },
    }).then((r) => r.status);

  it("ended by another web process (its row gone): refused at once, in the workspace and everywhere else", async () => {
    const s = await createSchool();
    const cookie = sessionFrom(await login(s.email, s.password))!;
    expect(await register(cookie, s.slug)).toBe(200);
    expect(await whoIs(cookie)).toBe(s.email);
    // What a logout or "sign out everywhere" in another process leaves: no row, while this process remembers the cookie.
    await operatorDb().session.deleteMany({ where: { id: cookie.slice("am_session=".length) } });
    expect(await register(cookie, s.slug)).toBe(401);
    expect(await whoIs(cookie)).toBeNull();
  });

  it("a deactivated user is refused at once", async () => {
    const s = await createSchool();
    const cookie = sessionFrom(await login(s.email, s.password))!;
    expect(await register(cookie, s.slug)).toBe(200);
    await operatorDb().user.update({ where: { id: s.userId }, data: { deactivatedAt: new Date() } });
    expect(await register(cookie, s.slug)).toBe(401);
    expect(await whoIs(cookie)).toBeNull();
  });

  it("an expired session is refused at once", async () => {
    const s = await createSchool();
    const cookie = sessionFrom(await login(s.email, s.password))!;
    expect(await register(cookie, s.slug)).toBe(200);
    await operatorDb().session.updateMany({
      where: { id: cookie.slice("am_session=".length) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await register(cookie, s.slug)).toBe(401);
  });
});

describe("password guessing", () => {
  it("5 wrong passwords from one address → 429 with Retry-After and the wait in Russian or Kazakh, even for the right password", async () => {
    const s = await createSchool();
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(s.email, `wrong-password-${i}`, { ip })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const ru = await login(s.email, s.password, { ip });
    expect(ru.status).toBe(429);
    expect(Number(ru.headers.get("retry-after"))).toBe(15 * 60);
    expect((await ru.json()).error.json.message).toBe("Слишком много попыток входа. Попробуйте через 15 мин.");
    expect(sessionFrom(ru)).toBeNull();
    const kk = await login(s.email, s.password, { ip, lang: "kk" });
    expect(kk.status).toBe(429);
    expect((await kk.json()).error.json.message).toBe("Кіру әрекеттері тым көп. 15 минуттан кейін қайталаңыз");
    // The lock is on that address for this account: an attacker cannot aim it at the owner, who signs in from elsewhere.
    expect((await login(s.email, s.password, { ip: freshIp() })).status).toBe(200);
  });

  it("guesses spread over many addresses meet the daily per-account backstop; the owner's own address still gets in", async () => {
    const s = await createSchool();
    const home = freshIp();
    expect((await login(s.email, s.password, { ip: home })).status).toBe(200);
    // 12 guesses (this file's daily backstop), each from another address: none of them reaches the per-address lock.
    for (let i = 0; i < 12; i++) expect((await login(s.email, `wrong-${i}`, { ip: freshIp() })).status).toBe(401);
    const res = await login(s.email, s.password, { ip: freshIp() });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(sessionFrom(res)).toBeNull();
    // Where the owner signed in before, the right password still works.
    expect((await login(s.email, s.password, { ip: home })).status).toBe(200);
    // Another account is not locked by it.
    const other = await createSchool();
    expect((await login(other.email, other.password, { ip: freshIp() })).status).toBe(200);
  });

  it("one address trying many accounts is stopped after 30 attempts", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await login(`nobody${i}@test.kz`, "wrong-password", { ip })).status);
    expect(statuses.filter((x) => x === 401).length).toBe(30);
    expect(statuses[30]).toBe(429);
    // A different address is not affected.
    expect((await login("nobody@test.kz", "wrong-password", { ip: freshIp() })).status).toBe(401);
  });
});
