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
