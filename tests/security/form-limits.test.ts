// The sign-in, "forgot password" and sign-up pages past their limits (server/auth/rate-limit.ts): the page
// answers 429 with a Retry-After header, as the API does, and says in the reader's language how long to wait.
import { createSchool, currentOfferId, signupInput } from "../factories.ts";
import { startWebApp } from "../web.ts";

let close: () => Promise<void>;
let base: string;
beforeAll(async () => {
  ({ base, close } = await startWebApp());
});
afterAll(() => close());

function postForm(path: string, ip: string, fields: Record<string, string>, lang: "kk" | "ru" = "ru") {
  return fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip, cookie: `am_lang=${lang}` },
    body: new URLSearchParams(fields),
  });
}

it("the login page, after 5 wrong passwords from one address: 429, Retry-After and the wait in Russian and Kazakh", async () => {
  const s = await createSchool();
  const ip = "10.88.0.1";
  for (let i = 0; i < 5; i++)
    expect((await postForm("/login", ip, { email: s.email, password: `wrong-${i}-password` })).status).toBe(401);
  const ru = await postForm("/login", ip, { email: s.email, password: s.password });
  expect(ru.status).toBe(429);
  expect(Number(ru.headers.get("retry-after"))).toBe(15 * 60);
  expect(ru.headers.getSetCookie().some((c) => c.startsWith("am_session="))).toBe(false);
  expect(await ru.text()).toContain("Слишком много попыток входа. Попробуйте через 15 мин.");
  const kk = await postForm("/login", ip, { email: s.email, password: s.password }, "kk");
  expect(kk.status).toBe(429);
  expect(await kk.text()).toContain("Кіру әрекеттері тым көп. 15 минуттан кейін қайталаңыз");
});

it("the forgot-password page, after 10 requests from one address: 429 with Retry-After and the wait", async () => {
  const ip = "10.88.0.2";
  for (let i = 0; i < 10; i++)
    expect((await postForm("/forgot", ip, { email: `someone${i}@test.kz` })).status).toBe(200);
  const res = await postForm("/forgot", ip, { email: "someone-else@test.kz" }, "kk");
  expect(res.status).toBe(429);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(await res.text()).toMatch(/Сіздің мекенжайыңыздан сұраулар тым көп\. \d+ минуттан кейін қайталаңыз/);
});

it("the sign-up page, after 10 sign-ups from one address: 429 with Retry-After and the wait", async () => {
  const offerVersionId = await currentOfferId();
  const ip = "10.88.0.3";
  const form = () => {
    const v = signupInput({ offerVersionId });
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === true ? "on" : String(x)]));
  };
  for (let i = 0; i < 10; i++) expect((await postForm("/signup", ip, form())).status).toBe(200);
  const res = await postForm("/signup", ip, form());
  expect(res.status).toBe(429);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(await res.text()).toMatch(/Слишком много запросов с вашего адреса\. Попробуйте через \d+ мин\./);
});
