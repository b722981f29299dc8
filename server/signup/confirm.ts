// Sign-up in two steps, as SaaS sign-ups that must not reveal their users do it (docs/decisions/024):
//   1. the form (requestSignup): validated, the password hashed, the submission stored with a one-time link,
//      and one job queued — the same work and the same answer ("we sent you a link") for every address;
//   2. the worker (answerSignupRequest) looks the address up: a new one gets the link, the owner of a
//      registered one gets "someone tried to register with your e-mail" and no link;
//   3. the link (confirmSignup): the school, its director (e-mail now proven), the acceptance of the offer as
//      submitted (time, IP, browser) and the consent are created in one transaction; the director is signed in.
import { randomUUID } from "node:crypto";
import { appDb, type Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import type { RequestMeta } from "../audit/log.ts";
import { config } from "../config.ts";
import { enqueue } from "../outbox/enqueue.ts";
import { hashPassword } from "../auth/password.ts";
import { hashToken, newToken } from "../auth/tokens.ts";
import { startSession } from "../auth/sessions.ts";
import { refuseOverFormLimit, withinFormLimit } from "../auth/rate-limit.ts";
import { currentOffer } from "../offer/service.ts";
import type { Locale } from "../../domain/i18n/index.ts";
import { createSchoolAccount, schoolDetailsOf, type SchoolDetails } from "./service.ts";
import type { SignupInput } from "./schema.ts";

/** How long the e-mailed link works. */
export const SIGNUP_LINK_TTL_MS = 48 * 3600_000;
/** Expired requests (their personal data) are deleted this long after they expired. */
const PURGE_AFTER_MS = 7 * 24 * 3600_000;

export type SignupJob = { requestId: string; link: string };

/**
 * The form's half. Only what needs no knowledge of other accounts can refuse here: bad input, an offer
 * version that is no longer current, and too many sign-ups from one address (429). One e-mail address gets
 * at most 3 sign-up e-mails an hour — over that, the same answer and nothing sent.
 */
export async function requestSignup(input: SignupInput, meta: RequestMeta, locale: Locale): Promise<{ email: string }> {
  await refuseOverFormLimit("signupIp", meta.ip ?? "unknown");
  const db = appDb();
  const offer = await currentOffer(db);
  if (!offer || offer.id !== input.offerVersionId)
    throw new AppError("CONFLICT", "signup.offerChanged", {}, "acceptOffer");
  const passwordHash = await hashPassword(input.password);
  if (!(await withinFormLimit("signupAddress", input.email))) return { email: input.email };
  const requestId = randomUUID();
  const { token, hash } = newToken();
  await db.$transaction(async (tx) => {
    await tx.signupRequest.create({
      data: {
        id: requestId,
        tokenHash: hash,
        email: input.email,
        locale,
        details: schoolDetailsOf(input) as Prisma.InputJsonValue,
        passwordHash,
        offerVersionId: offer.id,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 500) ?? null,
        expiresAt: new Date(Date.now() + SIGNUP_LINK_TTL_MS),
      },
      select: { id: true },
    });
    await enqueue(tx, {
      queue: "auth",
      name: "signup",
      jobId: `auth.signup.${requestId}`,
      payload: { requestId, link: `${config().publicUrl}/signup/confirm/${token}` } satisfies SignupJob,
    });
  });
  return { email: input.email };
}

/** The worker's half (operator role): which e-mail, if any, the request's address gets. */
export async function answerSignupRequest(tx: Tx, jobId: string, job: SignupJob): Promise<string> {
  await tx.signupRequest.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - PURGE_AFTER_MS) } } });
  const request = await tx.signupRequest.findUnique({ where: { id: job.requestId } });
  if (!request || request.confirmedAt || request.expiresAt < new Date()) return "gone";
  const details = request.details as SchoolDetails;
  const owner = await tx.user.findUnique({ where: { email: request.email }, select: { fullName: true, locale: true } });
  const mail = owner
    ? {
        to: request.email,
        locale: owner.locale,
        template: "signupExisting",
        params: {
          name: owner.fullName,
          school: details.schoolName,
          login: `${config().publicUrl}/login`,
          forgot: `${config().publicUrl}/forgot`,
        },
      }
    : {
        to: request.email,
        locale: request.locale,
        template: "signupConfirm",
        params: { name: details.directorName, school: details.schoolName, link: job.link },
      };
  await enqueue(tx, { queue: "mail", name: "send", jobId: `mail.${jobId}`, payload: mail });
  return owner ? "registered address warned" : "link sent";
}

/**
 * The link's half: takes the request once (a second click, an expired or unknown link → one message), then
 * creates the school and signs its director in. A registered e-mail or BIN now refuses with its own message:
 * whoever holds the link owns the address.
 */
export async function confirmSignup(
  token: string,
  meta: RequestMeta,
): Promise<{ schoolId: string; userId: string; slug: string; cookie: string }> {
  await refuseOverFormLimit("linkIp", meta.ip ?? "unknown");
  const created = await createSchoolAccount(async (tx) => {
    const [row] = await tx.$queryRaw<
      {
        id: string;
        email: string;
        locale: Locale;
        details: SchoolDetails;
        password_hash: string;
        offer_version_id: string;
        requested_at: Date;
        ip: string | null;
        user_agent: string | null;
      }[]
    >`
        UPDATE signup_request SET confirmed_at = now()
        WHERE token_hash = ${hashToken(token)} AND confirmed_at IS NULL AND expires_at > now()
        RETURNING id, email, locale, details, password_hash, offer_version_id, requested_at, ip, user_agent`;
    if (!row) throw new AppError("BAD_REQUEST", "signup.linkInvalid");
    return {
      email: row.email,
      locale: row.locale,
      details: row.details,
      passwordHash: row.password_hash,
      offerVersionId: row.offer_version_id,
      acceptedAt: row.requested_at,
      acceptance: { ip: row.ip, userAgent: row.user_agent },
      emailVerifiedAt: new Date(),
    };
  }, meta);
  // The school is committed; its director is signed in (the session cookie is the caller's to set).
  const session = await startSession(created.userId, meta);
  return { ...created, cookie: session.cookie };
}
