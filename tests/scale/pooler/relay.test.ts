// The outbox relay with PgBouncer (transaction mode) in front of PostgreSQL. LISTEN needs a session of its own,
// which a transaction pooler does not keep: through it LISTEN "succeeds" and nothing is ever heard. The relay
// proves its listener hears before trusting it, so through the pooler alone it polls (and says so), and with
// LISTEN_DATABASE_URL straight to PostgreSQL it listens there; either way a password-reset e-mail asked for
// over HTTP reaches the SMTP sink through the worker process.
import { config } from "../../../server/config.ts";
import { listenForOutbox } from "../../../jobs/relay.ts";
import { spawnWorker, startWebApp, stopProcess, until } from "../../faults/helpers.ts";
import { createSchool } from "../../factories.ts";
import { waitForMail } from "../../mail.ts";
import { itWentThroughThePooler, pooler } from "./through-pgbouncer.ts";

const DEAF = "LISTEN hears nothing";
const LISTENING = "outbox: listening for new rows";

let web: Awaited<ReturnType<typeof startWebApp>>;
let worker: ReturnType<typeof spawnWorker> | undefined;

beforeAll(async () => {
  web = await startWebApp();
});
afterAll(async () => {
  await stopProcess(worker);
  await web?.close();
});

/** "Forgot password" over HTTP: the reset e-mail's outbox row is written through the pooler. */
async function requestReset(email: string): Promise<void> {
  const res = await fetch(`${web.base}/api/trpc/auth.requestPasswordReset`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: "am_lang=ru" },
    body: JSON.stringify({ json: { email } }),
  });
  expect(res.status).toBe(200);
}

const said = (text: string) => worker!.output.join("").includes(text);

describe("the outbox relay with PgBouncer in transaction mode in front", () => {
  it("a LISTEN through the pooler is found deaf; one straight to PostgreSQL hears a row written through the pooler", async () => {
    expect(new URL(config().operatorDatabaseUrl).port).toBe(String(pooler.bouncer!.port));
    expect(await listenForOutbox(config().operatorDatabaseUrl, () => {}, 2_000)).toBe("deaf");

    let heard = 0;
    const direct = await listenForOutbox(pooler.directOperatorUrl, () => heard++);
    if (typeof direct === "string") throw new Error(`a direct LISTEN should hear, got ${direct}`);
    try {
      const s = await createSchool();
      const before = heard;
      await requestReset(s.email);
      await until(async () => heard > before, 10_000, "the outbox notification");
    } finally {
      await direct.close();
    }
  });

  it("through the pooler alone, the worker says it can't listen, and its polling delivers the e-mail", {
    timeout: 150_000,
  }, async () => {
    worker = spawnWorker({ LOG_LEVEL: "info" });
    const s = await createSchool();
    await requestReset(s.email);
    try {
      const mail = await waitForMail(s.email, /Восстановление пароля/, 90_000); // a cold start compiles the app
      expect(mail.text).toContain("/reset/");
      await until(() => said(DEAF), 20_000, "the worker's warning");
    } catch (e) {
      throw new Error(`${String(e)}\nworker said:\n${worker.output.join("").slice(-3000)}`);
    }
    expect(said(LISTENING)).toBe(false);
    await stopProcess(worker);
  });

  it("with LISTEN_DATABASE_URL straight to PostgreSQL, the worker listens there and delivers the e-mail", {
    timeout: 150_000,
  }, async () => {
    worker = spawnWorker({ LOG_LEVEL: "info", LISTEN_DATABASE_URL: pooler.directOperatorUrl });
    try {
      await until(() => said(LISTENING), 90_000, "the worker to listen"); // a cold start compiles the app
      const s = await createSchool();
      await requestReset(s.email);
      const mail = await waitForMail(s.email, /Восстановление пароля/, 30_000);
      expect(mail.text).toContain("/reset/");
    } catch (e) {
      throw new Error(`${String(e)}\nworker said:\n${worker.output.join("").slice(-3000)}`);
    }
    expect(said(DEAF)).toBe(false);
    await stopProcess(worker);
  });
});

itWentThroughThePooler();
