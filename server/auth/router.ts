import { appDb, authedProcedure, publicProcedure, router, LOCALE_COOKIE } from "../trpc.ts";
import { audit } from "../audit/log.ts";
import { blankSessionCookie } from "./sessions.ts";
import { changePasswordInput, localeInput, loginInput, resetInput, resetRequestInput, token } from "./schema.ts";
import * as auth from "./service.ts";
import { compromisedLinkInfo, reportCompromised, reportCompromisedByLink } from "./compromised.ts";
import { z } from "zod";
import { authFormProcedure } from "./procedures.ts";

const localeCookie = (locale: string) => `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`;

export const authRouter = router({
  me: publicProcedure.query(async ({ ctx }) => {
    if (!ctx.user) return null;
    const [memberships, traineeOf] = await appDb().$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.user_id', ${ctx.user!.id}, true)`;
      return Promise.all([
        tx.membership.findMany({
          where: { userId: ctx.user!.id },
          select: { role: true, school: { select: { slug: true, name: true, status: true } } },
          orderBy: { createdAt: "asc" },
        }),
        // Schools where this login is a trainee: their cabinets.
        tx.traineeLogin.findMany({ where: { userId: ctx.user!.id }, select: { schoolId: true } }).then((rows) =>
          tx.school.findMany({
            where: { id: { in: rows.map((r) => r.schoolId) } },
            select: { slug: true, name: true },
          }),
        ),
      ]);
    });
    const schools = new Map<string, { slug: string; name: string; status: string; roles: string[] }>();
    for (const m of memberships) {
      const s = schools.get(m.school.slug) ?? { ...m.school, roles: [] };
      s.roles.push(m.role);
      schools.set(m.school.slug, s);
    }
    return { ...ctx.user, schools: [...schools.values()], cabinets: traineeOf };
  }),

  login: authFormProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const { cookie } = await auth.login(input, ctx.meta, ctx.sessionId);
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

  verifyEmail: publicProcedure.input(z.object({ token })).mutation(async ({ ctx, input }) => {
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
  compromisedLink: publicProcedure.input(z.object({ token })).query(({ input }) => compromisedLinkInfo(input.token)),
  reportCompromisedByLink: publicProcedure.input(z.object({ token })).mutation(async ({ ctx, input }) => {
    const r = await reportCompromisedByLink(input.token, ctx.meta);
    if (ctx.sessionId) ctx.setCookie(blankSessionCookie());
    return { ok: true as const, reportedAt: r.reportedAt };
  }),

  /** The language switch: remembered on the user when signed in, in a cookie otherwise. */
  setLocale: publicProcedure.input(localeInput).mutation(async ({ ctx, input }) => {
    ctx.setCookie(localeCookie(input.locale));
    if (ctx.user && ctx.user.locale !== input.locale) {
      const db = appDb();
      await db.user.update({ where: { id: ctx.user.id }, data: { locale: input.locale } });
      await audit(db, ctx.meta, {
        action: "locale.changed",
        actorUserId: ctx.user.id,
        details: { locale: input.locale },
      });
    }
    return { ok: true as const };
  }),
});
