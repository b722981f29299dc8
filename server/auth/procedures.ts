// The forms anyone can post without an account — sign-in, password reset, sign-up and its confirmation —
// are not counted against the API limits: a flood of API calls from an address must not lock its people
// out of the login form, nor guessing passwords use up its API calls. Each of these has its own limits
// instead (server/auth/rate-limit.ts: per address, per account and address, per e-mail).
import { limitedProcedure } from "../trpc.ts";
import type { ApiLimiter } from "./rate-limit.ts";

const ownLimitsOnly: ApiLimiter = async () => {};

export const authFormProcedure = limitedProcedure(() => ownLimitsOnly);
