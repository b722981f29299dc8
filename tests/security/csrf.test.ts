// Attack: cross-site request forgery. A page on https://evil.example makes the victim's browser post
// to a Remix action or a tRPC mutation, and the browser attaches the victim's session cookie. The
// server must refuse (403, kk/ru message) and change nothing; the same request from our own pages works.
import { operatorDb } from "../../server/db/client.ts";
import { resetConfig } from "../../server/config.ts";
import { resetSessions, startSession, validateSessionCookie } from "../../server/auth/sessions.ts";
import { createSchool, meta, traineeInput } from "../factories.ts";
import { startWebApp } from "../web.ts";

let close: () => Promise<void>;
let base: string;
let s: Awaited<ReturnType<typeof createSchool>>;

beforeAll(async () => {
  ({ base, close } = await startWebApp());
  s = await createSchool();
});
afterAll(() => close());

async function sessionCookie(): Promise<string> {
  return (await startSession(s.userId, meta)).cookie.split(";")[0]!;
}
const trainees = () => operatorDb().trainee.count({ where: { schoolId: s.schoolId } });

const EVIL = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
const FORGERIES: [string, Record<string, string>][] = [
  ["Origin: https://evil.example", { origin: "https://evil.example" }],
  ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
  ["Sec-Fetch-Site: same-site (a sibling subdomain)", { "sec-fetch-site": "same-site" }],
  ["Origin: null (a sandboxed frame)", { origin: "null" }],
];

function trpcCreate(cookie: string, headers: Record<string, string>) {
  return fetch(`${base}/api/trpc/trainees.create`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: `${cookie}; am_lang=ru`, ...headers },
    body: JSON.stringify({ json: { school: s.slug, ...traineeInput({ lastName: "Подделкин" }) } }),
  });
}

function formCreate(cookie: string, headers: Record<string, string>) {
  const t = traineeInput({ lastName: "Формовой" });
  const body = new URLSearchParams({ iin: t.iin, lastName: t.lastName, firstName: t.firstName, category: "B" });
  return fetch(`${base}/s/${s.slug}/trainees/new`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `${cookie}; am_lang=kk`, ...headers },
    body,
  });
}

describe("a tRPC mutation posted from another site with the victim's cookie", () => {
  it.each(FORGERIES)("is refused with 403 and writes nothing (%s)", async (_name, headers) => {
    const cookie = await sessionCookie();
    const before = await trainees();
    const res = await trpcCreate(cookie, headers);
    expect(res.status).toBe(403);
    expect((await res.json()).error.json.message).toBe("У вас нет прав на это действие");
    expect(await trainees()).toBe(before);
  });

  it("works from our own page (same Origin, Sec-Fetch-Site: same-origin)", async () => {
    const before = await trainees();
    const res = await trpcCreate(await sessionCookie(), { origin: base, "sec-fetch-site": "same-origin" });
    expect(res.status).toBe(200);
    expect(await trainees()).toBe(before + 1);
  });
});

describe("a Remix action posted from another site with the victim's cookie", () => {
  it("a forged 'new trainee' form is refused with 403 in Kazakh and creates nothing", async () => {
    const before = await trainees();
    const res = await formCreate(await sessionCookie(), EVIL);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("Бұл әрекетке құқығыңыз жоқ");
    expect(await trainees()).toBe(before);
  });

  it("the same form from our own page creates the trainee", async () => {
    const before = await trainees();
    const res = await formCreate(await sessionCookie(), { origin: base, "sec-fetch-site": "same-origin" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(new RegExp(`^/s/${s.slug}/trainees/[0-9a-f-]{36}\\?created=1$`));
    expect(await trainees()).toBe(before + 1);
  });

  it("a forged logout does not end the session; our own logout does", async () => {
    const cookie = await sessionCookie();
    const forged = await fetch(`${base}/logout`, { method: "POST", redirect: "manual", headers: { cookie, ...EVIL } });
    expect(forged.status).toBe(403);
    expect(await validateSessionCookie(cookie)).not.toBeNull();
    const own = await fetch(`${base}/logout`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, origin: base },
    });
    expect(own.status).toBe(302);
    expect(await validateSessionCookie(cookie)).toBeNull();
  });

  it("a forged login (signing the victim into the attacker's account) is refused", async () => {
    const before = await operatorDb().session.count({ where: { userId: s.userId } });
    const res = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", ...EVIL },
      body: new URLSearchParams({ email: s.email, password: s.password }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await operatorDb().session.count({ where: { userId: s.userId } })).toBe(before);
  });
});

it("reads (GET) are not blocked, and Stripe's signed webhook is exempt from the origin check", async () => {
  const page = await fetch(`${base}/login`, { headers: EVIL });
  expect(page.status).toBe(200);
  // Refused for its missing signature (400), not for where it came from (403).
  const hook = await fetch(`${base}/webhooks/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json", ...EVIL },
    body: "{}",
  });
  expect(hook.status).toBe(400);
});

describe("the session cookie", () => {
  it("is HttpOnly and SameSite=Lax, on path /", async () => {
    const res = await fetch(`${base}/api/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ json: { email: s.email, password: s.password } }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("am_session="))!;
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//i);
  });

  it("is Secure in production behind https, and not over plain http", async () => {
    const saved = { NODE_ENV: process.env.NODE_ENV, PUBLIC_URL: process.env.PUBLIC_URL };
    try {
      for (const [url, secure] of [
        ["https://avtomektep.kz", true],
        ["http://localhost:3000", false],
      ] as const) {
        Object.assign(process.env, { NODE_ENV: "production", PUBLIC_URL: url });
        resetConfig();
        resetSessions();
        const { cookie } = await startSession(s.userId, meta);
        expect({ url, secure: /; Secure/i.test(cookie) }).toEqual({ url, secure });
      }
    } finally {
      Object.assign(process.env, saved);
      resetConfig();
      resetSessions();
    }
  });
});
