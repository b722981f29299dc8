import type { startMailSink } from "../server/mail/sink.ts";
import type { startSmsGateway } from "../server/sms/gateway.ts";

/** What tests/setup.ts prepared for the current test file. */
export const testState: {
  databaseUrl: string;
  sink?: Awaited<ReturnType<typeof startMailSink>>;
  sms?: Awaited<ReturnType<typeof startSmsGateway>>;
} = { databaseUrl: "" };
