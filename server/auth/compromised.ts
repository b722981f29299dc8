// "My account was compromised" (offer 4.3.4, 6.2): from the account page or from the link in every
// "new sign-in" e-mail. One transaction ends all the user's sessions, records the exact time of the report,
// sends the password-reset link, alerts the operator and writes the audit entry. Until the password is
// reset, sign-in is refused (login checks `hasOpenReport`; resetPassword closes the report).
import { randomUUID } from "node:crypto";
import { appDb, type Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { enqueueMail } from "../outbox/enqueue.ts";
import { config } from "../config.ts";
import { formatDate } from "../../domain/i18n/index.ts";
import { hashToken, newToken } from "./tokens.ts";
import { issuePasswordReset } from "./reset-mail.ts";
import { forgetUserSessions } from "./sessions.ts";

const LINK_TTL_MS = 30 * 24 * 3600_000;
/** The reset link sent after a report lives longer than a normal one: the user may read mail later. */
const REPORT_RESET_TTL_MS = 24 * 3600_000;

/** `26.11.2026 10:30:15` in Almaty time: the report's exact time, to the second. */
export function almatyStamp(at: Date): string {
  const s = new Date(at.getTime() + 5 * 3600_000).toISOString();
  return `${formatDate(s.slice(0, 10))} ${s.slice(11, 19)}`;
}

export async function hasOpenReport(db: Pick<Tx, "securityReport">, userId: string): Promise<boolean> {
  return (await db.securityReport.count({ where: { userId, resetAt: null } })) > 0;
}

/** A new password closes the user's open reports. */
export async function closeReports(tx: Tx, userId: string): Promise<void> {
  await tx.securityReport.updateMany({ where: { userId, resetAt: null }, data: { resetAt: new Date() } });
}

/** The "new sign-in" e-mail with its one-time "it wasn't me" link, written in the login's transaction. */
export async function issueLoginAlert(
  tx: Tx,
  user: { id: string; email: string; fullName: string; locale: "kk" | "ru" },
  meta: RequestMeta,
  at = new Date(),
): Promise<void> {
  const { token, hash } = newToken();
  await tx.securityLink.create({
    data: { tokenHash: hash, userId: user.id, expiresAt: new Date(at.getTime() + LINK_TTL_MS) },
  });
  await enqueueMail(tx, `mail.login.${hash.slice(0, 32)}`, {
    to: user.email,
    locale: user.locale,
    template: "loginAlert",
    params: {
      name: user.fullName,
      when: almatyStamp(at),
      ip: meta.ip ?? "—",
      agent: (meta.userAgent ?? "—").slice(0, 200),
      link: `${config().publicUrl}/compromised/${token}`,
    },
  });
}

export type ReportResult = { reportedAt: Date; sessionsEnded: number };

async function report(tx: Tx, userId: string, via: "account" | "email_link", meta: RequestMeta): Promise<ReportResult> {
  const user = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, fullName: true, locale: true },
  });
  // Deleting the session rows in this transaction: the report and the sign-out happen together or not at all.
  const { count: sessionsEnded } = await tx.session.deleteMany({ where: { userId } });
  // This process forgets them at once; every process's next request proves its session anyway (ADR 044).
  forgetUserSessions(userId);
  const row = await tx.securityReport.create({
    data: {
      id: randomUUID(),
      userId,
      via,
      sessionsEnded,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
    },
    select: { id: true, reportedAt: true },
  });
  await issuePasswordReset(tx, user, REPORT_RESET_TTL_MS);
  await enqueueMail(tx, `mail.compromised.${row.id}`, {
    to: config().OPERATOR_ALERT_EMAIL,
    locale: "ru",
    template: "securityCompromised",
    params: {
      user: user.fullName,
      email: user.email,
      when: almatyStamp(row.reportedAt),
      sessions: String(sessionsEnded),
      ip: meta.ip ?? "—",
      link: `${config().publicUrl}/admin/users?q=${encodeURIComponent(user.email)}`,
    },
  });
  await audit(tx, meta, {
    action: "security.compromised",
    actorUserId: userId,
    details: { reportId: row.id, via, sessionsEnded, reportedAt: row.reportedAt.toISOString() },
  });
  return { reportedAt: row.reportedAt, sessionsEnded };
}

/** The button on the account page (the user is signed in: this session ends too). */
export function reportCompromised(userId: string, meta: RequestMeta): Promise<ReportResult> {
  return appDb().$transaction((tx) => report(tx, userId, "account", meta));
}

async function linkOwner(tx: Tx, token: string, take: boolean): Promise<string> {
  const hash = hashToken(token);
  const rows = take
    ? await tx.$queryRaw<{ user_id: string }[]>`
        UPDATE security_link SET used_at = now() WHERE token_hash = ${hash} AND used_at IS NULL AND expires_at > now() RETURNING user_id`
    : await tx.$queryRaw<{ user_id: string }[]>`
        SELECT user_id FROM security_link WHERE token_hash = ${hash} AND used_at IS NULL AND expires_at > now()`;
  if (!rows[0]) throw new AppError("BAD_REQUEST", "privacy.linkInvalid");
  return rows[0].user_id;
}

/** The link from a "new sign-in" e-mail: works without a session, once. */
export function reportCompromisedByLink(token: string, meta: RequestMeta): Promise<ReportResult> {
  return appDb().$transaction(async (tx) => report(tx, await linkOwner(tx, token, true), "email_link", meta));
}

/** What the link's page shows before the button is pressed (the address, partly hidden). */
export async function compromisedLinkInfo(token: string): Promise<{ email: string }> {
  return appDb().$transaction(async (tx) => {
    const userId = await linkOwner(tx, token, false);
    const { email } = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
    const [local, domain] = email.split("@");
    return { email: `${local!.slice(0, 2)}***@${domain}` };
  });
}
