// A call's refusal as the person reads it: its tRPC code with the message (and field errors) in their language.
import { TRPCError } from "@trpc/server";
import { describeError } from "../server/trpc.ts";

async function rejection(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(err)}`);
  return err;
}

/** The tRPC code with everything describeError gives (status, message, field errors). */
export async function refusal(p: Promise<unknown>, locale: "kk" | "ru" = "ru") {
  const err = await rejection(p);
  return { code: err.code, ...describeError(err, locale) };
}

/** The tRPC code with the message only. */
export async function refused(p: Promise<unknown>, locale: "kk" | "ru" = "ru") {
  const err = await rejection(p);
  return { code: err.code, message: describeError(err, locale).message };
}
