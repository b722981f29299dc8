import type { startMailSink } from "../dev/mail/sink.ts";
import type { startSmsGateway } from "../dev/sms/gateway.ts";

/** What tests/setup.ts prepared for the current test file. */
export const testState: {
  databaseUrl: string;
  sink?: Awaited<ReturnType<typeof startMailSink>>;
  sms?: Awaited<ReturnType<typeof startSmsGateway>>;
} = { databaseUrl: "" };
