// Issuing a password-reset link inside the caller's transaction: used by "forgot password" (through the
// worker, jobs/auth.ts) and by the "my account was compromised" report (which forces a reset).
import type { Tx } from "../db/client.ts";
import { enqueue } from "../outbox/enqueue.ts";
import { config } from "../config.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { newToken } from "./tokens.ts";

export const RESET_TTL_MS = 60 * 60 * 1000;

type ResetUser = { id: string; email: string; fullName: string; locale: "kk" | "ru" };

/**
 * A new one-time link and its e-mail. With `jobId` (a retried job's own id) a second run finds the e-mail
 * already queued and makes no second link; returns whether a link was made.
 */
export async function issuePasswordReset(
  tx: Tx,
  user: ResetUser,
  ttlMs = RESET_TTL_MS,
  jobId?: string,
): Promise<boolean> {
  const { token, hash } = newToken();
  const { count } = await tx.outboxEvent.createMany({
    data: [
      {
        queue: "mail",
        jobName: "send",
        jobId: jobId ?? `mail.reset.${hash.slice(0, 32)}`,
        payload: {
          to: user.email,
          locale: user.locale,
          template: "reset",
          params: { name: user.fullName, link: `${config().publicUrl}/reset/${token}` },
        },
      },
    ],
    skipDuplicates: true,
  });
  if (count === 0) return false;
  await tx.oneTimeToken.create({
    data: { tokenHash: hash, purpose: "password_reset", userId: user.id, expiresAt: new Date(Date.now() + ttlMs) },
  });
  return true;
}

export type ResetRequest = { email: string; ip: string | null; userAgent: string | null };

/**
 * "Forgot password" as the request path leaves it: one job per request, the same for any address, so
 * neither the answer nor its timing says whether the address has an account.
 */
export async function queueResetRequest(
  db: Pick<Tx, "outboxEvent">,
  requestId: string,
  request: ResetRequest,
): Promise<void> {
  await enqueue(db, { queue: "auth", name: "passwordReset", jobId: `auth.reset.${requestId}`, payload: request });
}

/** The worker's half (operator role): a link for an active account, nothing at all for an unknown address. */
export async function answerResetRequest(
  tx: Tx,
  requestJobId: string,
  request: ResetRequest,
): Promise<"sent" | "already-sent" | "no-account"> {
  const user = await tx.user.findUnique({
    where: { email: request.email },
    select: { id: true, email: true, fullName: true, locale: true, deactivatedAt: true },
  });
  if (!user || user.deactivatedAt) return "no-account";
  if (!(await issuePasswordReset(tx, user, RESET_TTL_MS, `mail.${requestJobId}`))) return "already-sent";
  const meta: RequestMeta = { ip: request.ip, userAgent: request.userAgent };
  await audit(tx, meta, { action: "password.reset.requested", actorUserId: user.id });
  return "sent";
}
