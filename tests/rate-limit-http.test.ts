// Scraping protection at the HTTP edge (4.3.8): past the per-IP limit a script gets 429, a kk/ru message
// with the wait, and a Retry-After header — and a different address is not affected.
import { resetConfig } from "../server/config.ts";
import { startWebApp } from "./web.ts";

let close: () => Promise<void>;
let base: string;
beforeAll(async () => {
  // A small limit for this file only (the module-level limiter is created on first use, after this).
  process.env.API_RATE_PER_IP = "3";
  resetConfig();
  ({ base, close } = await startWebApp());
});
afterAll(() => close());

const call = (ip: string) =>
  fetch(`${base}/api/trpc/noticesPublic.announcements`, { headers: { "x-forwarded-for": ip, cookie: "am_lang=ru" } });

it("answers 429 with the wait in words and in Retry-After past the per-IP limit, for that address only", async () => {
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await call("10.9.8.7")).status);
  expect(statuses).toEqual([200, 200, 200, 429]);
  const refused = await call("10.9.8.7");
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  expect((await refused.json()).error.json.message).toMatch(/^Слишком много запросов\. Повторите через \d+ с\.$/);
  expect((await call("10.9.8.8")).status).toBe(200);
});

// A script sends thousands of anonymous calls in batches (one HTTP request, many calls). Each call counts
// against the API limit; the sign-in form has limits of its own, so the flood does not lock the login form
// for everyone behind that address — and guessing passwords does not use up the address's API calls.
describe("API limits and sign-in limits are separate", () => {
  const batch = (ip: string, n: number) => {
    const paths = Array.from({ length: n }, () => "noticesPublic.announcements").join(",");
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))));
    return fetch(`${base}/api/trpc/${paths}?batch=1&input=${input}`, {
      headers: { "x-forwarded-for": ip, cookie: "am_lang=ru" },
    });
  };
  const login = (ip: string, who = "nobody") =>
    fetch(`${base}/api/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip, cookie: "am_lang=ru" },
      body: JSON.stringify({ json: { email: `${who}.${ip}@test.kz`, password: "wrong-password" } }),
    });
  const loginForm = (ip: string) =>
    fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip, cookie: "am_lang=ru" },
      body: new URLSearchParams({ email: `nobody.${ip}@test.kz`, password: "wrong-password" }),
    });

  it("every call of a batch counts: a batch of 5 against a limit of 3 gets 3 answers and 2 refusals", async () => {
    const res = await batch("10.9.7.1", 5);
    const results = (await res.json()) as { result?: unknown; error?: { json: { data: { httpStatus: number } } } }[];
    expect(results.map((r) => (r.error ? r.error.json.data.httpStatus : 200))).toEqual([200, 200, 200, 429, 429]);
    expect((await call("10.9.7.1")).status).toBe(429);
  });

  it("a flood of API calls leaves the login form and the login call working for that address", async () => {
    const ip = "10.9.7.2";
    await batch(ip, 50);
    expect((await call(ip)).status).toBe(429);
    expect((await login(ip)).status).toBe(401);
    const form = await loginForm(ip);
    expect(form.status).toBe(401);
    expect(await form.text()).toContain("Неверный e-mail или пароль");
  });

  it("wrong passwords from an address do not use up its API calls", async () => {
    const ip = "10.9.7.3";
    for (let i = 0; i < 6; i++) expect((await login(ip, `guess${i}`)).status).toBe(401);
    expect((await call(ip)).status).toBe(200);
  });
});
