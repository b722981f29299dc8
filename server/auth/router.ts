import { appDb, authedProcedure, publicProcedure, readCookie, router, LOCALE_COOKIE } from "../trpc.ts";
import { isLocale } from "../../domain/i18n/index.ts";
import { blankSessionCookie } from "./sessions.ts";
import { changePasswordInput, localeInput, loginInput, resetInput, resetRequestInput, tokenInput } from "./schema.ts";
import * as auth from "./service.ts";
import { compromisedLinkInfo, reportCompromised, reportCompromisedByLink } from "./compromised.ts";
import { authFormProcedure } from "./procedures.ts";
import { saveLocale, whoAmI } from "./account.ts";

const localeCookie = (locale: string) => `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`;

export const authRouter = router({
  /** The signed-in user with their schools and trainee cabinets; null when nobody is signed in. */
  me: publicProcedure.query(({ ctx }) => whoAmI(appDb(), ctx.user)),

  login: authFormProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const chosen = readCookie(ctx.cookieHeader, LOCALE_COOKIE);
    const { cookie } = await auth.login(input, ctx.meta, ctx.sessionId, isLocale(chosen) ? chosen : null);
    ctx.setCookie(cookie);
    return { ok: true as const };
  }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await auth.logout(ctx.sessionId, ctx.user.id, ctx.meta);
    ctx.setCookie(blankSessionCookie());
    return { ok: true as const };
  }),

  logoutEverywhere: authedProcedure.mutation(async ({ ctx }) => {
    await auth.logoutEverywhere(ctx.user.id, ctx.meta);
    ctx.setCookie(blankSessionCookie());
    return { ok: true as const };
  }),

  requestPasswordReset: authFormProcedure.input(resetRequestInput).mutation(async ({ ctx, input }) => {
    await auth.requestPasswordReset(input.email, ctx.meta);
    return { ok: true as const };
  }),

  resetPassword: authFormProcedure.input(resetInput).mutation(async ({ ctx, input }) => {
    const session = await auth.resetPassword(input, ctx.meta);
    ctx.setCookie(session.cookie);
    return { ok: true as const };
  }),

  verifyEmail: publicProcedure.input(tokenInput).mutation(async ({ ctx, input }) => {
    await auth.verifyEmail(input.token, ctx.meta);
    return { ok: true as const };
  }),

  changePassword: authedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    const session = await auth.changePassword(ctx.user.id, ctx.sessionId, input, ctx.meta);
    ctx.setCookie(session.cookie);
    return { ok: true as const };
  }),

  /** "My account was compromised" (4.3.4): ends every session, this one included, and forces a reset. */
  reportCompromised: authedProcedure.mutation(async ({ ctx }) => {
    const r = await reportCompromised(ctx.user.id, ctx.meta);
    ctx.setCookie(blankSessionCookie());
    return { ok: true as const, reportedAt: r.reportedAt };
  }),

  /** The same from the link in a "new sign-in" e-mail, without being signed in. */
  compromisedLink: publicProcedure.input(tokenInput).query(({ input }) => compromisedLinkInfo(input.token)),
  reportCompromisedByLink: publicProcedure.input(tokenInput).mutation(async ({ ctx, input }) => {
    const r = await reportCompromisedByLink(input.token, ctx.meta);
    if (ctx.sessionId) ctx.setCookie(blankSessionCookie());
    return { ok: true as const, reportedAt: r.reportedAt };
  }),

  /** The language switch: remembered on the user when signed in, in a cookie otherwise. */
  setLocale: publicProcedure.input(localeInput).mutation(async ({ ctx, input }) => {
    ctx.setCookie(localeCookie(input.locale));
    await saveLocale(appDb(), ctx.user, input.locale, ctx.meta);
    return { ok: true as const };
  }),
});
