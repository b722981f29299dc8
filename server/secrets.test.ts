// Attack: forged payments by configuration. The dev defaults are public (they are in the README): the Stripe
// webhook secret `whsec_avtomektep_local` signs a "payment succeeded" event for any invoice, and the app
// roles' dev passwords open the database. In production, or as soon as a real Stripe key is set, the web
// and the worker refuse to start on any of them, naming each variable on its own line; the webhook never
// falls back to the public secret. `npm start` and the tests keep the embedded defaults.
import { spawn } from "node:child_process";
import path from "node:path";
import Stripe from "stripe";
import { operatorDb } from "./db/client.ts";
import { handleStripeWebhook } from "./billing/webhook.ts";
import { WEB_NODE_FLAGS } from "./cli/node-flags.ts";
import { testState } from "../tests/state.ts";
import { devSecretProblems, refuseDevSecrets } from "./secrets.ts";

const root = path.resolve(import.meta.dirname, "..");
const DEV_WEBHOOK_SECRET = "whsec_avtomektep_local";
const SECRETS = [
  "DB_APP_PASSWORD",
  "DB_OPERATOR_PASSWORD",
  "APP_DATABASE_URL",
  "OPERATOR_DATABASE_URL",
  "REPORTS_DATABASE_URL",
  "LISTEN_DATABASE_URL",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "STRIPE_API_BASE",
];

type Run = { code: number | null; started: boolean; stderr: string; stdout: string };

/** Starts `script` as `npm run web`/`npm run worker` would, with `env` over this file's environment; stops it once it is up. */
function start(script: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<Run> {
  const base: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: testState.databaseUrl, PORT: "0", LOG_LEVEL: "info" };
  for (const k of SECRETS) delete base[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", script], {
      cwd: root,
      env: { ...base, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const run: Run = { code: null, started: false, stderr: "", stdout: "" };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} neither started nor exited in time:\n${run.stdout}\n${run.stderr}`));
    }, 45_000);
    child.stdout.on("data", (d: Buffer) => {
      run.stdout += d;
      if (!run.started && /"msg":"(web started|worker started[^"]*)"/.test(run.stdout)) {
        run.started = true;
        child.kill("SIGTERM");
      }
    });
    child.stderr.on("data", (d: Buffer) => (run.stderr += d));
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ ...run, code });
    });
  });
}

/** The refusal's lines, one per variable. */
const refusals = (stderr: string) => stderr.split("\n").filter((l) => l.includes("refusing to start"));

describe("starting with public dev secrets", () => {
  it("`npm run web` in production with none of the secrets set refuses, one line naming each variable", async () => {
    const run = await start("server/web.ts", { NODE_ENV: "production" }, WEB_NODE_FLAGS);
    expect(run.started).toBe(false);
    expect(run.code).toBe(1);
    const lines = refusals(run.stderr);
    expect(lines).toEqual([
      expect.stringMatching(/^avtomektep web: refusing to start: DB_APP_PASSWORD .*public development value/),
      expect.stringMatching(/^avtomektep web: refusing to start: DB_OPERATOR_PASSWORD .*public development value/),
      expect.stringMatching(/^avtomektep web: refusing to start: STRIPE_WEBHOOK_SECRET /),
    ]);
  });

  it("`npm run worker` in production refuses the same way", async () => {
    const run = await start("jobs/worker.ts", {
      NODE_ENV: "production",
      DB_APP_PASSWORD: "a-strong-app-password-1",
      STRIPE_WEBHOOK_SECRET: DEV_WEBHOOK_SECRET,
    });
    expect(run.started).toBe(false);
    expect(run.code).toBe(1);
    expect(refusals(run.stderr)).toEqual([
      expect.stringMatching(/^avtomektep worker: refusing to start: DB_OPERATOR_PASSWORD /),
      expect.stringMatching(/^avtomektep worker: refusing to start: STRIPE_WEBHOOK_SECRET .*public development value/),
    ]);
  });

  it("a connection URL carrying a dev password is named, without printing it", () => {
    const u = new URL(testState.databaseUrl);
    u.username = "avtomektep_operator";
    u.password = "avtomektep_operator_dev";
    const problems = devSecretProblems({
      NODE_ENV: "production",
      DB_APP_PASSWORD: "a-strong-app-password-1",
      DB_OPERATOR_PASSWORD: "a-strong-operator-password-2",
      OPERATOR_DATABASE_URL: u.toString(),
      STRIPE_WEBHOOK_SECRET: "whsec_a_real_one_from_the_dashboard",
    });
    expect(problems).toEqual([expect.stringMatching(/^OPERATOR_DATABASE_URL /)]);
    expect(problems.join("\n")).not.toContain("avtomektep_operator_dev");
  });

  it("a real Stripe key outside production is enough to demand real secrets; the local stand-in's key is not", () => {
    const names = (env: Record<string, string>) => devSecretProblems(env).map((p) => p.split(" ")[0]);
    expect(names({ NODE_ENV: "development", STRIPE_SECRET_KEY: "sk_live_51Abcdefghijklmnop" })).toEqual([
      "DB_APP_PASSWORD",
      "DB_OPERATOR_PASSWORD",
      "STRIPE_WEBHOOK_SECRET",
    ]);
    expect(names({ NODE_ENV: "development", STRIPE_SECRET_KEY: "sk_test_51RealTestModeKey" })).toHaveLength(3);
    // `npm start` and the tests: nothing set, or the stand-in's key.
    expect(names({ NODE_ENV: "development" })).toEqual([]);
    expect(
      names({
        NODE_ENV: "test",
        STRIPE_SECRET_KEY: "sk_test_avtomektep_local",
        STRIPE_WEBHOOK_SECRET: "whsec_test_billing",
      }),
    ).toEqual([]);
    // A key for a local stand-in (the browser tests' Stripe) is not a real one either.
    expect(
      names({ NODE_ENV: "test", STRIPE_SECRET_KEY: "sk_test_e2e", STRIPE_API_BASE: "http://127.0.0.1:41234" }),
    ).toEqual([]);
  });

  it("AM_ALLOW_DEV_SECRETS=1 (benchmarks on a developer's machine) starts anyway, saying so for each variable", () => {
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      refuseDevSecrets("web", { NODE_ENV: "production", AM_ALLOW_DEV_SECRETS: "1" });
    } finally {
      process.stderr.write = write;
    }
    expect(lines.map((l) => l.split(": ")[2]!.split(" ")[0])).toEqual([
      "DB_APP_PASSWORD",
      "DB_OPERATOR_PASSWORD",
      "STRIPE_WEBHOOK_SECRET",
    ]);
    expect(lines.every((l) => l.startsWith("avtomektep web: AM_ALLOW_DEV_SECRETS=1, starting anyway: "))).toBe(true);
  });

  it("with real secrets production starts", async () => {
    const run = await start(
      "server/web.ts",
      {
        NODE_ENV: "production",
        DB_APP_PASSWORD: "a-strong-app-password-1",
        DB_OPERATOR_PASSWORD: "a-strong-operator-password-2",
        STRIPE_SECRET_KEY: "sk_live_51Abcdefghijklmnop",
        STRIPE_WEBHOOK_SECRET: "whsec_a_real_one_from_the_dashboard",
      },
      WEB_NODE_FLAGS,
    );
    expect(refusals(run.stderr)).toEqual([]);
    expect(run.started).toBe(true);
  });
});

describe("the Stripe webhook", () => {
  const event = () => ({
    id: `evt_forged_${Math.random().toString(36).slice(2)}`,
    object: "event",
    type: "checkout.session.completed",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: "cs_forged",
        object: "checkout.session",
        payment_status: "paid",
        currency: "kzt",
        amount_total: 1_500_000,
        payment_intent: "pi_forged",
        metadata: {},
      },
    },
  });
  const signed = (secret: string) => {
    const e = event();
    const payload = JSON.stringify(e);
    return {
      id: e.id,
      body: Buffer.from(payload),
      signature: Stripe.webhooks.generateTestHeaderString({ payload, secret }),
    };
  };
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "NODE_ENV"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it("refuses an event signed with the public dev secret once a real Stripe key is set, and stores nothing", async () => {
    process.env.STRIPE_SECRET_KEY = "sk_live_51Abcdefghijklmnop";
    delete process.env.STRIPE_WEBHOOK_SECRET;
    const forged = signed(DEV_WEBHOOK_SECRET);
    expect(await handleStripeWebhook(forged.body, forged.signature)).toEqual({ status: 400, outcome: "bad signature" });
    process.env.STRIPE_WEBHOOK_SECRET = DEV_WEBHOOK_SECRET;
    expect(await handleStripeWebhook(forged.body, forged.signature)).toEqual({ status: 400, outcome: "bad signature" });
    expect(await operatorDb().stripeEvent.count({ where: { id: forged.id } })).toBe(0);
  });

  it("refuses it in production without a key as well", async () => {
    delete process.env.STRIPE_SECRET_KEY;
    delete process.env.STRIPE_WEBHOOK_SECRET;
    process.env.NODE_ENV = "production";
    const forged = signed(DEV_WEBHOOK_SECRET);
    expect((await handleStripeWebhook(forged.body, forged.signature)).status).toBe(400);
    expect(await operatorDb().stripeEvent.count({ where: { id: forged.id } })).toBe(0);
  });

  it("accepts an event signed with the configured secret", async () => {
    process.env.STRIPE_SECRET_KEY = "sk_live_51Abcdefghijklmnop";
    process.env.STRIPE_WEBHOOK_SECRET = "whsec_a_real_one_from_the_dashboard";
    const real = signed("whsec_a_real_one_from_the_dashboard");
    expect(await handleStripeWebhook(real.body, real.signature)).toEqual({ status: 200, outcome: "not ours" });
  });
});
