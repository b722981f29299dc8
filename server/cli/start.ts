// `npm start`: finds or starts PostgreSQL and Redis, migrates, seeds, starts the dev mail sink, then
// runs the web server and the worker as two processes. Ctrl-C stops everything it started.
import { spawn, type ChildProcess } from "node:child_process";
import { WEB_NODE_FLAGS } from "./node-flags.ts";
import path from "node:path";
import { ensureServices } from "./services.ts";
import { withDatabase } from "../config.ts";
import { migrate } from "../db/migrate.ts";
import { startMailSink } from "../../dev/mail/sink.ts";
import { startSmsGateway } from "../../dev/sms/gateway.ts";
import { startStripeFake } from "../../dev/stripe/index.ts";
import { startKaspiStandIn } from "../../dev/kaspi/index.ts";
import { DEV_KASPI_SECRET } from "../secrets.ts";
import { kaspiOnDevSecret } from "../billing/rails/settings.ts";
import { SERVER_BUILD } from "../root.ts";

const root = path.resolve(import.meta.dirname, "../..");
const say = (s: string) => console.log(`\x1b[36m[avtomektep]\x1b[0m ${s}`);

const services = await ensureServices();
for (const n of services.notes) say(n);
const databaseUrl = process.env.DATABASE_URL ?? withDatabase(services.databaseUrl, process.env.DB_NAME ?? "avtomektep");
const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: services.redisUrl };

let sink: Awaited<ReturnType<typeof startMailSink>> | undefined;
if (!process.env.SMTP_URL) {
  sink = await startMailSink({ smtpPort: 2525, httpPort: 2526 }).catch(() => startMailSink());
  env.SMTP_URL = sink.smtpUrl;
  env.MAIL_SINK_URL = sink.httpUrl;
  say(`Mail: no SMTP_URL, e-mails go to the local mail sink (${sink.smtpUrl}); read them at /dev/mail`);
}

let smsGateway: Awaited<ReturnType<typeof startSmsGateway>> | undefined;
if (!process.env.SMS_GATEWAY_URL) {
  smsGateway = await startSmsGateway({ port: 2527 }).catch(() => startSmsGateway());
  env.SMS_GATEWAY_URL = smsGateway.url;
  say(`SMS: no SMS_GATEWAY_URL, SMS go to the local gateway (${smsGateway.url}); read them at /dev/sms`);
}

// Card payments: with no real Stripe key, the local Stripe stand-in (dev/stripe/) takes
// the SDK's calls and sends signed webhooks to this web server, as Stripe would.
let stripe: Awaited<ReturnType<typeof startStripeFake>> | undefined;
if (!process.env.STRIPE_SECRET_KEY && process.env.STRIPE_API_BASE === undefined) {
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`;
  stripe = await startStripeFake({
    port: 2528,
    webhookUrl: `${publicUrl}/webhooks/stripe`,
    webhookSecret: "whsec_avtomektep_local",
  }).catch(() =>
    startStripeFake({ port: 0, webhookUrl: `${publicUrl}/webhooks/stripe`, webhookSecret: "whsec_avtomektep_local" }),
  );
  env.STRIPE_API_BASE = stripe.url;
  say(`Stripe: no STRIPE_SECRET_KEY, card payments go to the local Stripe stand-in (${stripe.url})`);
}

const appPassword = env.DB_APP_PASSWORD ?? "avtomektep_app_dev";
const operatorPassword = env.DB_OPERATOR_PASSWORD ?? "avtomektep_operator_dev";
await migrate(databaseUrl, { app: appPassword, operator: operatorPassword });
say("Database migrated");

// Kaspi: while the operator's Kaspi settings still hold the development secret (no real Kaspi config), the local
// Kaspi (dev/kaspi/) plays the payer's app against this web server's /pay/kaspi/avtomektep.
let kaspi: Awaited<ReturnType<typeof startKaspiStandIn>> | undefined;
if (await kaspiOnDevSecret(databaseUrl)) {
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`;
  const options = { endpoint: `${publicUrl}/pay/kaspi/avtomektep`, secret: DEV_KASPI_SECRET };
  kaspi = await startKaspiStandIn({ port: 2529, ...options }).catch(() => startKaspiStandIn({ port: 0, ...options }));
  env.KASPI_STANDIN_URL = kaspi.url;
  say(
    `Kaspi: the Kaspi settings hold the development secret; pay an invoice (or, with the school's secret, a trainee's instalment) through the local Kaspi at ${kaspi.url}`,
  );
}

/** `args` under tsx: a TypeScript entry (the seed); a compiled one (`npm run build`) runs as it is. */
function run(name: string, args: string[], nodeFlags: string[] = []): ChildProcess {
  const loader = args[0]!.endsWith(".ts") ? ["--import", "tsx"] : [];
  return spawn(process.execPath, [...nodeFlags, ...loader, ...args], {
    cwd: root,
    env: { ...env, AM_SERVICE: name },
    stdio: "inherit",
  });
}

await new Promise<void>((resolve, reject) => {
  const seed = run("seed", ["server/cli/db.ts", "seed"]);
  seed.on("exit", (code) => (code === 0 ? resolve() : reject(new Error("seeding failed"))));
});

// The compiled server, as production runs it (`npm start` builds it first).
const children = [run("web", [SERVER_BUILD.web], WEB_NODE_FLAGS), run("worker", [SERVER_BUILD.worker])];
const { DEMO_LOGINS, DEMO_PASSWORD } = await import("../db/seed.ts");
const url = env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`;
say(`Avtomektep is starting at ${url}  (operator console: ${url}/admin)`);
say(
  env.HOST
    ? `Listening on ${env.HOST}; /dev/mail and /dev/sms still answer only this machine`
    : "Listening on 127.0.0.1 only (HOST=0.0.0.0 opens it to the network; /dev/mail and /dev/sms stay on this machine)",
);
say(`Demo logins (password ${DEMO_PASSWORD}):`);
for (const l of DEMO_LOGINS) say(`  ${l.email.padEnd(28)} ${l.role}`);
say("Ctrl-C stops everything.");

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  say("stopping…");
  await Promise.all(
    children.map(
      (c) => new Promise<void>((r) => (c.exitCode !== null ? r() : (c.once("exit", () => r()), c.kill("SIGTERM")))),
    ),
  );
  await sink?.stop();
  await smsGateway?.stop();
  await stripe?.close();
  await kaspi?.close();
  await services.stop();
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
for (const c of children) c.on("exit", (code) => !stopping && void stop(code ?? 1));
