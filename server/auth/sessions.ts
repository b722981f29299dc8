// The only module that knows lucia. lucia v3 is deprecated upstream; everything else calls these
// functions, so replacing it with own session code (@oslojs/*) touches this file alone.
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser } from "lucia";
import { PrismaAdapter } from "@lucia-auth/adapter-prisma";
import { appDb } from "../db/client.ts";
import { config } from "../config.ts";

export const SESSION_COOKIE = "am_session";

/**
 * lucia's Prisma adapter, with the lookup every request makes done in one query: the session joined to
 * its user (the stock adapter sends two). Only the user columns lucia is asked for are read.
 */
class SessionAdapter extends PrismaAdapter<ReturnType<typeof appDb>> {
  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await appDb().$queryRaw<SessionRow[]>`
      SELECT s.id, s.user_id, s.expires_at, s.ip, s.user_agent,
             u.email, u.full_name, u.locale::text AS locale, u.operator_role::text AS operator_role, u.email_verified_at, u.deactivated_at
        FROM session s JOIN app_user u ON u.id = s.user_id
       WHERE s.id = ${sessionId}`;
    if (!row) return [null, null];
    return [
      {
        id: row.id,
        userId: row.user_id,
        expiresAt: row.expires_at,
        attributes: { ip: row.ip, userAgent: row.user_agent },
      },
      {
        id: row.user_id,
        attributes: {
          email: row.email,
          fullName: row.full_name,
          locale: row.locale,
          operatorRole: row.operator_role,
          emailVerifiedAt: row.email_verified_at,
          deactivatedAt: row.deactivated_at,
        },
      },
    ];
  }
}

type SessionRow = {
  id: string;
  user_id: string;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
  email: string;
  full_name: string;
  locale: "kk" | "ru";
  operator_role: "super_admin" | "billing" | "support" | null;
  email_verified_at: Date | null;
  deactivated_at: Date | null;
};

function createLucia() {
  const db = appDb();
  return new Lucia(new SessionAdapter(db.session, db.user), {
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

/** Checks the session of the cookie in the database (and extends it past half its life, as lucia does). */
export async function validateSessionCookie(cookieHeader: string | null): Promise<ValidatedSession | null> {
  const id = cookieHeader ? instance().readSessionCookie(cookieHeader) : null;
  if (!id) return null;
  const { session, user } = await instance().validateSession(id);
  if (!session || !user || user.deactivatedAt) {
    forgetSession(id);
    return null;
  }
  const valid: ValidatedSession = {
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
  remembered.delete(id);
  if (remembered.size >= REMEMBER_AT_MOST) remembered.delete(remembered.keys().next().value!);
  remembered.set(id, { user: valid.user, until: Date.now() + REMEMBER_MS });
  return valid;
}

// Who a session cookie names, remembered for a few seconds by this process (ADR 044). A school request then
// needs no statement of its own for the session: the statement that enters the school proves it (migration
// 20261213190000, app_enter_session), so logging out, "sign out everywhere" and deactivation take effect on
// the next request of every process. What is remembered is only what the request needs before that
// statement: the user's id for the API limiter and the language of an error. Any other procedure checks
// the session in the database first, as before (authedProcedure).
const REMEMBER_MS = 10_000;
const REMEMBER_AT_MOST = 10_000;
const remembered = new Map<string, { user: SessionUser; until: number }>();

/** The session of the cookie as this process saw it in the last few seconds, not yet proven for this request. */
export function recallSessionCookie(cookieHeader: string | null): ValidatedSession | null {
  const id = cookieHeader ? instance().readSessionCookie(cookieHeader) : null;
  const seen = id ? remembered.get(id) : undefined;
  if (!id || !seen) return null;
  if (seen.until < Date.now()) {
    remembered.delete(id);
    return null;
  }
  return { sessionId: id, user: seen.user, refreshCookie: null };
}

/** Drops what this process remembers of a session (ended, or found dead). */
export function forgetSession(sessionId: string): void {
  remembered.delete(sessionId);
}

/** Drops what this process remembers of a user's sessions (all ended, or the user changed). */
export function forgetUserSessions(userId: string): void {
  for (const [id, seen] of remembered) if (seen.user.id === userId) remembered.delete(id);
}

/** A new session id every login: a session id seen before login is never promoted (fixation). */
export async function startSession(userId: string, meta: { ip: string | null; userAgent: string | null }) {
  const session = await instance().createSession(userId, { ip: meta.ip, userAgent: meta.userAgent });
  return { sessionId: session.id, cookie: instance().createSessionCookie(session.id).serialize() };
}

export function endSession(sessionId: string): Promise<void> {
  forgetSession(sessionId);
  return instance().invalidateSession(sessionId);
}
export function endAllSessions(userId: string): Promise<void> {
  forgetUserSessions(userId);
  return instance().invalidateUserSessions(userId);
}
export const blankSessionCookie = () => instance().createBlankSessionCookie().serialize();
