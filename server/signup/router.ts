import { publicProcedure, router } from "../trpc.ts";
import { appDb } from "../db/client.ts";
import { startSession } from "../auth/sessions.ts";
import { currentOffer } from "../offer/service.ts";
import { signupInput } from "./schema.ts";
import { signUpSchool, trialDays } from "./service.ts";

export const signupRouter = router({
  /** The offer in force, both languages: the landing page and the sign-up form show it. */
  currentOffer: publicProcedure.query(() => currentOffer(appDb())),

  /** What a school gets on sign-up before paying (the operator sets it). */
  trialDays: publicProcedure.query(() => trialDays(appDb())),

  signUp: publicProcedure.input(signupInput).mutation(async ({ ctx, input }) => {
    const created = await signUpSchool(input, ctx.meta, ctx.locale);
    const session = await startSession(created.userId, ctx.meta);
    ctx.setCookie(session.cookie);
    return { slug: created.slug };
  }),
});
