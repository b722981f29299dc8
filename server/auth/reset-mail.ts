// Issuing a password-reset link inside the caller's transaction: used by "forgot password" and by the
// "my account was compromised" report (which forces a reset).
import type { Tx } from "../db/client.ts";
import { enqueue } from "../outbox/enqueue.ts";
import { config } from "../config.ts";
import { newToken } from "./tokens.ts";

export const RESET_TTL_MS = 60 * 60 * 1000;

export async function issuePasswordReset(
  tx: Tx,
  user: { id: string; email: string; fullName: string; locale: "kk" | "ru" },
  ttlMs = RESET_TTL_MS,
): Promise<void> {
  const { token, hash } = newToken();
  await tx.oneTimeToken.create({
    data: { tokenHash: hash, purpose: "password_reset", userId: user.id, expiresAt: new Date(Date.now() + ttlMs) },
  });
  await enqueue(tx, {
    queue: "mail",
    name: "send",
    jobId: `mail.reset.${hash.slice(0, 32)}`,
    payload: { to: user.email, locale: user.locale, template: "reset", params: { name: user.fullName, link: `${config().publicUrl}/reset/${token}` } },
  });
}
