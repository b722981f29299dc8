// Attack: open redirect. A link to our sign-in page carries `next=` pointing off-site in a form browsers
// "repair" into another host (`/\host`, `/<TAB>/host`, `//host`); after signing in (or when already signed
// in) the victim lands on the attacker's page. Every redirect target that comes from input goes through one
// helper that lets only same-origin paths through.
import { safeRedirect } from "../../app/lib/safe-redirect.ts";
import { startSession } from "../../server/auth/sessions.ts";
import { createSchool, meta } from "../factories.ts";
import { startWebApp } from "../web.ts";

let close: () => Promise<void>;
let base: string;
let s: Awaited<ReturnType<typeof createSchool>>;

beforeAll(async () => {
  ({ base, close } = await startWebApp());
  s = await createSchool();
});
afterAll(() => close());

// What an attacker puts into ?next= (as it appears in the URL, percent-encoded where a browser would).
const OFF_SITE = [
  "/%5Cevil.example/x", // "/\evil.example/x": browsers read "\" as "/"
  "/%5C%5Cevil.example",
  "/%09/evil.example", // a TAB is dropped: "//evil.example"
  "/%0A/evil.example",
  "/%0D%0A/evil.example",
  "/%20/evil.example",
  "//evil.example/x",
  "/%2F/evil.example", // decodes to "//evil.example"
  "https://evil.example/",
  "%2F%2Fevil.example",
  "javascript:alert(1)",
  "/\\evil.example",
  "\\\\evil.example",
];

/** Where the server sends the browser: the Location header resolved against our origin. */
const landing = (res: Response) => new URL(res.headers.get("location") ?? "", base);

describe("the safe-redirect helper", () => {
  it.each(OFF_SITE)("refuses %s (falls back to the default)", (target) => {
    // as typed, and as URLSearchParams hands it over (decoded once)
    expect(safeRedirect(target, "/home")).toBe("/home");
    expect(safeRedirect(decodedOnce(target), "/home")).toBe("/home");
  });

  it.each([
    "/home",
    "/s/demo-almaty/trainees?q=%D0%98%D0%B2%D0%B0%D0%BD+%D0%9F%D0%B5%D1%82%D1%80%D0%BE%D0%B2&page=2",
    "/invite/abcDEF123_-",
    "/s/x/lessons#week",
  ])("keeps our own path %s", (target) => expect(safeRedirect(target, "/home")).toBe(target));

  it("refuses what is not a string or is empty", () => {
    for (const v of [null, undefined, "", 42, {}]) expect(safeRedirect(v, "/fallback")).toBe("/fallback");
  });
});

function decodedOnce(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

describe("over HTTP", () => {
  it.each(OFF_SITE)("a signed-in user opening /login?next=%s stays on our site", async (target) => {
    const cookie = (await startSession(s.userId, meta)).cookie.split(";")[0]!;
    const res = await fetch(`${base}/login?next=${target}`, { redirect: "manual", headers: { cookie } });
    expect(res.status).toBe(302);
    expect(landing(res).origin).toBe(base);
    expect(landing(res).pathname).toBe("/home");
  });

  it("signing in with an off-site next lands on our own page", async () => {
    for (const target of ["/%5Cevil.example/x", "/%09/evil.example"]) {
      const res = await fetch(`${base}/login?next=${target}`, {
        method: "POST",
        redirect: "manual",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-forwarded-for": `10.66.0.${Math.floor(Math.random() * 200) + 1}`,
        },
        body: new URLSearchParams({ email: s.email, password: s.password, next: decodeURIComponent(target) }),
      });
      expect(res.status).toBe(302);
      expect(landing(res).origin).toBe(base);
      expect(landing(res).pathname).toBe("/home");
    }
  });

  it("the language switch sends back only to our own pages", async () => {
    for (const redirectTo of ["/\\evil.example", "/\t/evil.example", "//evil.example"]) {
      const res = await fetch(`${base}/locale`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ locale: "ru", redirectTo }),
      });
      expect(res.status).toBe(302);
      expect(landing(res).origin).toBe(base);
      expect(landing(res).pathname).toBe("/");
    }
  });

  it("a same-site next still works after signing in", async () => {
    const cookie = (await startSession(s.userId, meta)).cookie.split(";")[0]!;
    const res = await fetch(`${base}/login?next=${encodeURIComponent(`/s/${s.slug}/trainees?q=a b`)}`, {
      redirect: "manual",
      headers: { cookie },
    });
    expect(res.headers.get("location")).toBe(`/s/${s.slug}/trainees?q=a b`);
  });
});
