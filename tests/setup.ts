// Before each test file: its own database (a clone of this run's migrated template), its own
// Redis key prefix, its own mail sink. Real PostgreSQL, real Redis, real SMTP — nothing mocked.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { resetConfig, withDatabase } from "../server/config.ts";
import { disconnectDb } from "../server/db/client.ts";
import { disconnectRedis, redis, unlinkMatching } from "../server/redis.ts";
import { resetSessions } from "../server/auth/sessions.ts";
import { resetLimiters } from "../server/auth/rate-limit.ts";
import { closeMailer } from "../server/mail/send.ts";
import { startMailSink } from "../dev/mail/sink.ts";
import { startSmsGateway } from "../dev/sms/gateway.ts";
import { testState } from "./state.ts";

const serverUrl = inject("serverUrl");
const runId = inject("runId");
const dbName = `am_t_${runId}_${process.env.VITEST_POOL_ID ?? "0"}_${randomBytes(3).toString("hex")}`;

// A console.error nobody expected is a bug the test should report.
const originalError = console.error;
console.error = (...args: unknown[]) => {
  originalError(...args);
  throw new Error(`unexpected console.error: ${args.map(String).join(" ").slice(0, 300)}`);
};

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}" TEMPLATE "am_t_${runId}_tpl"`);
  await admin.end();
  const sink = await startMailSink();
  testState.sink = sink;
  testState.sms = await startSmsGateway();
  testState.databaseUrl = withDatabase(serverUrl, dbName);
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: testState.databaseUrl,
    REDIS_URL: inject("redisUrl"),
    REDIS_PREFIX: `amtest:${dbName}`,
    SMTP_URL: sink.smtpUrl,
    MAIL_SINK_URL: sink.httpUrl,
    SMS_GATEWAY_URL: testState.sms.url,
    PUBLIC_URL: "http://localhost:3999",
    DB_POOL_SIZE: "5",
  });
  resetConfig();
  resetSessions();
  resetLimiters();
  // Opened now, with this file's settings: afterAll drops the file's keys through it even when a test changed the
  // environment it was configured from.
  redis();
});

afterAll(async () => {
  // Leave the developer's Redis as it was: drop this file's keys.
  await unlinkMatching(`amtest:${dbName}*`);
  await disconnectDb();
  await disconnectRedis();
  closeMailer();
  await testState.sink?.stop();
  await testState.sms?.stop();
});
