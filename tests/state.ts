import type { startMailSink } from "../server/mail/sink.ts";

/** What tests/setup.ts prepared for the current test file. */
export const testState: { databaseUrl: string; sink?: Awaited<ReturnType<typeof startMailSink>> } = { databaseUrl: "" };
