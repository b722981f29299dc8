import { publicProcedure, router } from "../trpc.ts";
import { appDb } from "../db/client.ts";
import { authFormProcedure } from "../auth/procedures.ts";
import { currentOffer } from "../offer/service.ts";
import { confirmInput, signupInput } from "./schema.ts";
import { trialDays } from "./service.ts";
import { confirmSignup, requestSignup } from "./confirm.ts";

export const signupRouter = router({
  /** The offer in force, both languages: the landing page and the sign-up form show it. */
  currentOffer: publicProcedure.query(() => currentOffer(appDb())),

  /** What a school gets on sign-up before paying (the operator sets it). */
  trialDays: publicProcedure.query(() => trialDays(appDb())),

  /** The form: the same answer for every address — a link is on its way (server/signup/confirm.ts). */
  signUp: authFormProcedure.input(signupInput).mutation(({ ctx, input }) => requestSignup(input, ctx.meta, ctx.locale)),

  /** The e-mailed link: creates the school and signs its director in. */
  confirm: authFormProcedure.input(confirmInput).mutation(async ({ ctx, input }) => {
    const { slug, cookie } = await confirmSignup(input.token, ctx.meta);
    ctx.setCookie(cookie);
    return { slug };
  }),
});
