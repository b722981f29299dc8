// The HTTP edge: what a browser or a script sees. Bad input is a 4xx with a kk/ru message, never a 500.
import { currentOfferId, signupInput } from "./factories.ts";
import { startWebApp } from "./web.ts";

let close: () => Promise<void>;
let base: string;
beforeAll(async () => {
  ({ base, close } = await startWebApp());
  await currentOfferId();
});
afterAll(() => close());

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/trpc/${path}`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });

describe("the tRPC endpoint", () => {
  it("answers invalid sign-up input with 400 and per-field messages in the language asked for", async () => {
    const body = JSON.stringify({
      json: { ...signupInput({ binIin: "12345", email: "not-an-email" }), offerVersionId: await currentOfferId() },
    });
    const ru = await post("signup.signUp", body, { cookie: "am_lang=ru" });
    expect(ru.status).toBe(400);
    const ruJson = await ru.json();
    expect(ruJson.error.json.message).toBe("Запрос содержит ошибки: проверьте выделенные поля");
    expect(ruJson.error.json.data.fieldErrors).toMatchObject({
      binIin: "БИН состоит из 12 цифр",
      email: expect.stringContaining("электронной почты"),
    });
    expect(ruJson.error.json.data).not.toHaveProperty("stack");

    const kk = await (await post("signup.signUp", body, { cookie: "am_lang=kk" })).json();
    expect(kk.error.json.data.fieldErrors.binIin).toBe("БСН 12 цифрдан тұрады");
  });

  it("answers a body that isn't JSON with 400, not 500", async () => {
    const res = await post("signup.signUp", "{not json");
    expect(res.status).toBe(400);
  });

  it("answers an unknown procedure with 404 and a workspace call without a session with 401", async () => {
    expect((await post("nope.nothing", "{}")).status).toBe(404);
    const res = await fetch(
      `${base}/api/trpc/trainees.list?input=${encodeURIComponent(JSON.stringify({ json: { school: "demo-almaty" } }))}`,
    );
    expect(res.status).toBe(401);
  });

  it("serves the landing page with the offer in Kazakh by default and Russian on request", async () => {
    const kk = await (await fetch(`${base}/`)).text();
    expect(kk).toContain('lang="kk"');
    expect(kk).toContain("ЖАРИЯ ШАРТ");
    const ru = await (await fetch(`${base}/?offer=ru`, { headers: { cookie: "am_lang=ru" } })).text();
    expect(ru).toContain('lang="ru"');
    expect(ru).toContain("ПУБЛИЧНЫЙ ДОГОВОР");
  });
});
