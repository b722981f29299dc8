import { createHash, randomBytes } from "node:crypto";

/** A one-time secret for a link: the raw token goes into the e-mail, only its hash is stored. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
