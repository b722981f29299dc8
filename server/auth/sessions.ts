// The only module that knows lucia. lucia v3 is deprecated upstream; everything else calls these
// functions, so replacing it with own session code (@oslojs/*) touches this file alone.
import { Lucia, TimeSpan } from "lucia";
import { PrismaAdapter } from "@lucia-auth/adapter-prisma";
import { appDb } from "../db/client.ts";
import { config } from "../config.ts";

export const SESSION_COOKIE = "am_session";

function createLucia() {
  const db = appDb();
  return new Lucia(new PrismaAdapter(db.session, db.user), {
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: {
      name: SESSION_COOKIE,
      expires: true,
      attributes: { secure: config().secureCookies, sameSite: "lax" },
    },
    getUserAttributes: (u) => ({
      email: u.email,
      fullName: u.fullName,
      locale: u.locale,
      operatorRole: u.operatorRole,
      emailVerifiedAt: u.emailVerifiedAt,
      deactivatedAt: u.deactivatedAt,
    }),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    UserId: string;
    DatabaseUserAttributes: {
      email: string;
      fullName: string;
      locale: "kk" | "ru";
      operatorRole: "super_admin" | "billing" | "support" | null;
      emailVerifiedAt: Date | null;
      deactivatedAt: Date | null;
    };
    DatabaseSessionAttributes: { ip: string | null; userAgent: string | null };
  }
}

let lucia: ReturnType<typeof createLucia> | undefined;
const instance = () => (lucia ??= createLucia());
export function resetSessions(): void {
  lucia = undefined;
}

export type SessionUser = {
  id: string;
  email: string;
  fullName: string;
  locale: "kk" | "ru";
  operatorRole: "super_admin" | "billing" | "support" | null;
  emailVerified: boolean;
};

export type ValidatedSession = { sessionId: string; user: SessionUser; refreshCookie: string | null };

export async function validateSessionCookie(cookieHeader: string | null): Promise<ValidatedSession | null> {
  const id = cookieHeader ? instance().readSessionCookie(cookieHeader) : null;
  if (!id) return null;
  const { session, user } = await instance().validateSession(id);
  if (!session || !user || user.deactivatedAt) return null;
  return {
    sessionId: session.id,
    user: {
      id: user.id,
      email: user.email,
      fullName: user.fullName,
      locale: user.locale,
      operatorRole: user.operatorRole,
      emailVerified: user.emailVerifiedAt !== null,
    },
    // lucia extends a session past half its life; the browser then needs the cookie again.
    refreshCookie: session.fresh ? instance().createSessionCookie(session.id).serialize() : null,
  };
}

export function readSessionId(cookieHeader: string | null): string | null {
  return cookieHeader ? instance().readSessionCookie(cookieHeader) : null;
}

/** A new session id every login: a session id seen before login is never promoted (fixation). */
export async function startSession(userId: string, meta: { ip: string | null; userAgent: string | null }) {
  const session = await instance().createSession(userId, { ip: meta.ip, userAgent: meta.userAgent });
  return { sessionId: session.id, cookie: instance().createSessionCookie(session.id).serialize() };
}

export const endSession = (sessionId: string) => instance().invalidateSession(sessionId);
export const endAllSessions = (userId: string) => instance().invalidateUserSessions(userId);
export const blankSessionCookie = () => instance().createBlankSessionCookie().serialize();
