// Attack: the dev command as an account-takeover tool. `npm start` shows every e-mail the system sends —
// password-reset links included — at /dev/mail (and SMS at /dev/sms), without signing in. Anyone who could
// reach the developer's machine could request a reset for any demo account and read its link. So the dev
// server listens on loopback by default (HOST overrides), and /dev/* answers only requests that come from
// the machine itself — never through a proxy from elsewhere, and never in production.
import type { AddressInfo } from "node:net";
import { resetConfig } from "../../server/config.ts";
import { startWebApp } from "../web.ts";

let close: () => Promise<void>;
let base: string;

beforeAll(async () => {
  ({ base, close } = await startWebApp());
});
afterAll(() => close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { redirect: "manual", headers: { cookie: "am_lang=ru", ...headers } });

describe("the developer's mail and SMS pages", () => {
  it("open for a browser on this machine", async () => {
    expect((await get("/dev/mail")).status).toBe(200);
    expect((await get("/dev/sms")).status).toBe(200);
  });

  it.each(["203.0.113.7", "192.168.1.20", "10.0.0.5"])(
    "are not there for a request a local proxy forwards from %s",
    async (client) => {
      for (const path of ["/dev/mail", "/dev/sms", "/dev/mail.data"]) {
        const res = await get(path, { "x-forwarded-for": client });
        expect(res.status).toBe(404);
        expect(await res.text()).not.toMatch(/reset\//);
      }
    },
  );

  it("are not there in production, even from this machine", async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      expect((await get("/dev/mail")).status).toBe(404);
      expect((await get("/dev/sms")).status).toBe(404);
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});

describe("the web server's address", () => {
  async function boundTo(env: Record<string, string | undefined>): Promise<string> {
    const saved = { HOST: process.env.HOST, NODE_ENV: process.env.NODE_ENV };
    Object.assign(process.env, env);
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
    resetConfig();
    const { startWeb } = await import("../../server/web.ts");
    const web = await startWeb(0);
    try {
      return (web.server.address() as AddressInfo).address;
    } finally {
      await new Promise<void>((r) => web.server.close(() => r()));
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      resetConfig();
    }
  }

  it("is loopback by default in development, so the dev tools are not on the network", async () => {
    expect(await boundTo({ HOST: undefined, NODE_ENV: "development" })).toBe("127.0.0.1");
  });

  it("is every interface by default in production (behind a load balancer), and HOST overrides both", async () => {
    expect(await boundTo({ HOST: undefined, NODE_ENV: "production" })).toBe("0.0.0.0");
    expect(await boundTo({ HOST: "0.0.0.0", NODE_ENV: "development" })).toBe("0.0.0.0");
    expect(await boundTo({ HOST: "127.0.0.1", NODE_ENV: "production" })).toBe("127.0.0.1");
  });
});
