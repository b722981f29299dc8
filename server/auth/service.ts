import { randomUUID } from "node:crypto";
import { appDb, type Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import type { Locale } from "../../domain/i18n/index.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import {
  checkLoginAllowed,
  recordLoginFailure,
  recordLoginSuccess,
  refuseOverFormLimit,
  withinFormLimit,
} from "./rate-limit.ts";
import { endAllSessions, endSession, startSession } from "./sessions.ts";
import { hashToken } from "./tokens.ts";
import { queueResetRequest } from "./reset-mail.ts";
import { closeReports, hasOpenReport, issueLoginAlert } from "./compromised.ts";

/**
 * Signs in. `chosenLocale` is the language picked on this device before signing in (the language cookie): it
 * becomes the user's language, so the screens after sign-in speak the language the person just chose.
 */
export async function login(
  input: { email: string; password: string },
  meta: RequestMeta,
  previousSessionId: string | null,
  chosenLocale: Locale | null = null,
): Promise<{ cookie: string; userId: string }> {
  const ip = meta.ip ?? "unknown";
  await checkLoginAllowed(ip, input.email);
  const db = appDb();
  const user = await db.user.findUnique({
    where: { email: input.email },
    select: { id: true, email: true, fullName: true, locale: true, passwordHash: true, deactivatedAt: true },
  });
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !ok) {
    await recordLoginFailure(input.email, ip);
    await audit(db, meta, { action: "login.failed", actorUserId: user?.id ?? null, details: { email: input.email } });
    throw new AppError("UNAUTHORIZED", "auth.badCredentials");
  }
  if (user.deactivatedAt) throw new AppError("FORBIDDEN", "auth.deactivated");
  // After a "my account was compromised" report, only a new password opens the account again.
  if (await hasOpenReport(db, user.id)) throw new AppError("FORBIDDEN", "privacy.resetRequired");
  await recordLoginSuccess(input.email, ip);
  if (previousSessionId) await endSession(previousSessionId);
  const session = await startSession(user.id, meta);
  // Every sign-in is announced by e-mail, with a link to report it if it wasn't the user (4.3.4).
  await db.$transaction(async (tx) => {
    await issueLoginAlert(tx, user, meta);
    await audit(tx, meta, { action: "login.succeeded", actorUserId: user.id });
    if (chosenLocale && chosenLocale !== user.locale) {
      await tx.user.update({ where: { id: user.id }, data: { locale: chosenLocale } });
      await audit(tx, meta, { action: "locale.changed", actorUserId: user.id, details: { locale: chosenLocale } });
    }
  });
  return { cookie: session.cookie, userId: user.id };
}

export async function logout(sessionId: string, userId: string, meta: RequestMeta): Promise<void> {
  await endSession(sessionId);
  await audit(appDb(), meta, { action: "logout", actorUserId: userId });
}

export async function logoutEverywhere(userId: string, meta: RequestMeta): Promise<void> {
  await endAllSessions(userId);
  await audit(appDb(), meta, { action: "logout.everywhere", actorUserId: userId });
}

/**
 * "Forgot password". Always answers the same way and does the same work — one job for the worker, which
 * alone looks the address up — so neither the answer nor its timing tells which e-mails have accounts. An
 * address may ask 10 times an hour (then 429); one e-mail gets at most 3 links an hour, silently.
 */
export async function requestPasswordReset(email: string, meta: RequestMeta): Promise<void> {
  await refuseOverFormLimit("resetIp", meta.ip ?? "unknown");
  if (!(await withinFormLimit("resetAddress", email))) return;
  await queueResetRequest(appDb(), randomUUID(), {
    email,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 500) ?? null,
  });
}

/** A new password makes every reset link still out for the user useless (an old e-mail must not open the account again). */
async function voidResetLinks(tx: Tx, userId: string): Promise<void> {
  await tx.oneTimeToken.updateMany({
    where: { userId, purpose: "password_reset", usedAt: null },
    data: { usedAt: new Date() },
  });
}

async function takeToken(tx: Tx, token: string, purpose: "password_reset" | "email_verification") {
  // Marking it used in the same statement that checks it: two clicks can't both succeed.
  const rows = await tx.$queryRaw<{ user_id: string }[]>`
    UPDATE one_time_token SET used_at = now()
    WHERE token_hash = ${hashToken(token)} AND purpose = ${purpose} AND used_at IS NULL AND expires_at > now()
    RETURNING user_id`;
  const row = rows[0];
  if (!row) throw new AppError("BAD_REQUEST", "auth.tokenInvalid");
  return row.user_id;
}

export async function resetPassword(input: { token: string; password: string }, meta: RequestMeta) {
  // Hashing costs ~80 ms of CPU before the token is even looked at: an address may try 30 links in 15 minutes.
  await refuseOverFormLimit("linkIp", meta.ip ?? "unknown");
  const passwordHash = await hashPassword(input.password);
  const userId = await appDb().$transaction(async (tx) => {
    const userId = await takeToken(tx, input.token, "password_reset");
    await tx.user.update({ where: { id: userId }, data: { passwordHash, passwordChangedAt: new Date() } });
    await voidResetLinks(tx, userId);
    await closeReports(tx, userId);
    await audit(tx, meta, { action: "password.reset", actorUserId: userId });
    return userId;
  });
  // Whoever held the old password is out.
  await endAllSessions(userId);
  return startSession(userId, meta);
}

export async function verifyEmail(token: string, meta: RequestMeta): Promise<void> {
  await appDb().$transaction(async (tx) => {
    const userId = await takeToken(tx, token, "email_verification");
    await tx.user.update({ where: { id: userId }, data: { emailVerifiedAt: new Date() } });
    await audit(tx, meta, { action: "email.verified", actorUserId: userId });
  });
}

export async function changePassword(
  userId: string,
  sessionId: string,
  input: { current: string; password: string },
  meta: RequestMeta,
) {
  const db = appDb();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, input.current)))
    throw new AppError("BAD_REQUEST", "auth.wrongPassword", {}, "current");
  const passwordHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash, passwordChangedAt: new Date() } });
    await voidResetLinks(tx, userId);
    await audit(tx, meta, { action: "password.changed", actorUserId: userId });
  });
  // Other devices are signed out; this one gets a fresh session id.
  await endAllSessions(userId);
  void sessionId;
  return startSession(userId, meta);
}
