import { randomUUID } from "node:crypto";
import { almatyDate } from "../../domain/kz/time.ts";
import { appDb, switchScope, type Tx } from "../db/client.ts";
import { AppError, uniqueViolationFields } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { hashPassword } from "../auth/password.ts";
import { currentOffer } from "../offer/service.ts";
import { slugify } from "../../domain/kz/slug.ts";
import type { Locale } from "../../domain/i18n/index.ts";
import type { SignupInput } from "./schema.ts";

const DAY = 24 * 60 * 60 * 1000;

export async function trialDays(db: Pick<Tx, "platformSetting">): Promise<number> {
  const row = await db.platformSetting.findUnique({ where: { key: "trial_days" } });
  const n = Number(row?.value);
  return Number.isInteger(n) && n >= 0 ? n : 14;
}

/** What the sign-up form says about the school and its director (kept with a pending request until it is confirmed). */
export type SchoolDetails = Omit<
  SignupInput,
  "email" | "password" | "offerVersionId" | "acceptOffer" | "acceptPersonalData"
>;

/** The form's details of the school and its director, without the credentials and the ticks. */
export function schoolDetailsOf(input: SignupInput): SchoolDetails {
  const {
    password: _password,
    acceptOffer: _a,
    acceptPersonalData: _p,
    offerVersionId: _o,
    email: _e,
    ...details
  } = input;
  return details;
}

/** A sign-up ready to become a school: the form's details, who accepted the offer, when and from where. */
export type Application = {
  email: string;
  locale: Locale;
  details: SchoolDetails;
  passwordHash: string;
  offerVersionId: string;
  acceptedAt: Date;
  acceptance: RequestMeta;
  emailVerifiedAt: Date | null;
};

/**
 * Registers a school: the acceptance of the current offer (3.3–3.6) is the sign-up itself, so the school,
 * its director, the acceptance record and the personal-data consent are one transaction. `take` reads the
 * application inside that transaction (server/signup/confirm.ts takes the e-mailed link there, so a refusal
 * leaves the link as it was). A slug already in use is retried with a number; a BIN or e-mail already
 * registered refuses with its own message.
 */
export async function createSchoolAccount(take: (tx: Tx) => Promise<Application>, meta: RequestMeta) {
  const db = appDb();
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const app = await take(tx);
        const base = slugify(app.details.schoolName);
        return create(tx, app, attempt === 0 ? base : `${base}-${attempt + 1}`, meta);
      });
    } catch (e) {
      const fields = uniqueViolationFields(e);
      if (!fields) throw e;
      if (fields.some((f) => f.includes("bin_iin") || f.includes("binIin")))
        throw new AppError("CONFLICT", "signup.binTaken", {}, "binIin");
      if (fields.some((f) => f.includes("email"))) throw new AppError("CONFLICT", "signup.emailTaken", {}, "email");
      if (!fields.some((f) => f.includes("slug")) || attempt >= 20) throw e;
    }
  }
}

/** A school signed up and confirmed at once, for the test factories and the seed (the form goes through server/signup/confirm.ts). */
export async function signUpSchool(input: SignupInput, meta: RequestMeta, locale: Locale) {
  const passwordHash = await hashPassword(input.password);
  const now = new Date();
  const app = {
    email: input.email,
    locale,
    details: schoolDetailsOf(input),
    passwordHash,
    offerVersionId: input.offerVersionId,
    acceptedAt: now,
    acceptance: meta,
    emailVerifiedAt: now,
  };
  return createSchoolAccount(async () => app, meta);
}

async function create(tx: Tx, app: Application, slug: string, meta: RequestMeta) {
  const offer = await currentOffer(tx);
  if (!offer || offer.id !== app.offerVersionId)
    throw new AppError("CONFLICT", "signup.offerChanged", {}, "acceptOffer");
  if (await tx.user.findUnique({ where: { email: app.email }, select: { id: true } }))
    throw new AppError("CONFLICT", "signup.emailTaken", {}, "email");
  const { details: input, locale } = app;
  const schoolId = randomUUID();
  const userId = randomUUID();
  const now = new Date();
  const trialEndsAt = new Date(now.getTime() + (await trialDays(tx)) * DAY);
  await switchScope(tx, { schoolId, userId });
  await tx.user.create({
    data: {
      id: userId,
      email: app.email,
      passwordHash: app.passwordHash,
      fullName: input.directorName,
      phone: input.phone,
      locale,
      emailVerifiedAt: app.emailVerifiedAt,
    },
  });
  await tx.school.create({
    data: {
      id: schoolId,
      slug,
      name: input.schoolName,
      kind: input.kind,
      binIin: input.binIin,
      directorName: input.directorName,
      phone: input.phone,
      email: app.email,
      status: "trial",
      trialEndsAt,
    },
    select: { id: true },
  });
  // The subscription starts on the first plan of the offer's appendix, "paid" through the trial's last day.
  const plan = await tx.tariffPlan.findFirstOrThrow({
    where: { archivedAt: null },
    orderBy: { sort: "asc" },
    select: { id: true },
  });
  await tx.subscription.create({
    data: { schoolId, planId: plan.id, paidThrough: new Date(`${almatyDate(trialEndsAt)}T00:00:00Z`) },
    select: { schoolId: true },
  });
  await tx.membership.create({ data: { id: randomUUID(), schoolId, userId, role: "director" }, select: { id: true } });
  const accepted = { acceptedAt: app.acceptedAt, ip: app.acceptance.ip, userAgent: app.acceptance.userAgent };
  await tx.offerAcceptance.create({
    data: { id: randomUUID(), schoolId, userId, offerVersionId: offer.id, textSha256: offer.sha256, ...accepted },
    select: { id: true },
  });
  const consents = [{ kind: "personal_data" as const }, ...(input.marketing ? [{ kind: "marketing" as const }] : [])];
  for (const c of consents) {
    await tx.consent.create({
      data: {
        id: randomUUID(),
        schoolId,
        userId,
        kind: c.kind,
        offerVersionId: offer.id,
        textSha256: offer.sha256,
        grantedAt: app.acceptedAt,
        ip: accepted.ip,
        userAgent: accepted.userAgent,
      },
      select: { id: true },
    });
  }
  await audit(tx, meta, { action: "signup", schoolId, actorUserId: userId, details: { slug, binIin: input.binIin } });
  await audit(tx, accepted, {
    action: "offer.accepted",
    schoolId,
    actorUserId: userId,
    details: { version: offer.version, sha256: offer.sha256, at: app.acceptedAt.toISOString() },
  });
  await audit(tx, accepted, {
    action: "consent.granted",
    schoolId,
    actorUserId: userId,
    details: { kinds: consents.map((c) => c.kind) },
  });
  return { schoolId, userId, slug };
}
