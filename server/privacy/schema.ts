// What the privacy procedures accept: the director's withdrawal request and consents, the operator's user
// search, deactivation and marketing e-mail, and the unsubscribe link's token.
import { z } from "zod";

/** The written request to withdraw the personal-data consent. */
export const withdrawalInput = z.object({ text: z.string().trim().min(10, "tooShort").max(5000, "tooLong") });

export const consentInput = z.object({ kind: z.enum(["reviews", "marketing"]), granted: z.boolean() });

export const usersInput = z.object({ q: z.string().trim().max(100).optional(), deactivated: z.boolean().optional() });

/** Deactivating or reactivating a user, always with a reason (5.2). */
export const userActionInput = z.object({
  userId: z.uuid(),
  reason: z.string().trim().min(3, "tooShort").max(1000, "tooLong"),
});

const mail = z.object({
  subject: z.string().trim().min(3, "tooShort").max(200, "tooLong"),
  text: z.string().trim().min(10, "tooShort").max(10_000, "tooLong"),
});

/** A marketing e-mail in both languages, under a campaign name (one e-mail per user per campaign). */
export const marketingInput = z.object({
  campaign: z.string().regex(/^[a-z0-9-]{3,40}$/, "invalid"),
  kk: mail,
  ru: mail,
});

/** The one-click opt-out link's token. */
export const unsubscribeInput = z.object({ token: z.string().min(20).max(100) });
