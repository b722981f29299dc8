import { randomUUID } from "node:crypto";
import { almatyDate } from "../kz/time.ts";
import { appDb, switchScope, type Tx } from "../db/client.ts";
import { AppError, uniqueViolationFields } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { hashPassword } from "../auth/password.ts";
import { issueEmailVerification } from "../auth/service.ts";
import { currentOffer } from "../offer/service.ts";
import { slugify } from "../kz/slug.ts";
import type { Locale } from "../../app/i18n/index.ts";
import type { SignupInput } from "./schema.ts";

const DAY = 24 * 60 * 60 * 1000;

export async function trialDays(db: Pick<Tx, "platformSetting">): Promise<number> {
  const row = await db.platformSetting.findUnique({ where: { key: "trial_days" } });
  const n = Number(row?.value);
  return Number.isInteger(n) && n >= 0 ? n : 14;
}

/**
 * Registers a school: the acceptance of the current offer (3.3–3.6) is the sign-up itself, so the
 * school, its director, the acceptance record and the personal-data consent are one transaction.
 */
export async function signUpSchool(input: SignupInput, meta: RequestMeta, locale: Locale) {
  const db = appDb();
  const offer = await currentOffer(db);
  if (!offer || offer.id !== input.offerVersionId) throw new AppError("CONFLICT", "signup.offerChanged", {}, "acceptOffer");
  if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
    throw new AppError("CONFLICT", "signup.emailTaken", {}, "email");
  }
  const passwordHash = await hashPassword(input.password);
  const base = slugify(input.schoolName);

  for (let attempt = 0; ; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${attempt + 1}`;
    try {
      return await db.$transaction((tx) => create(tx, slug));
    } catch (e) {
      const fields = uniqueViolationFields(e);
      if (!fields) throw e;
      if (fields.some((f) => f.includes("bin_iin") || f.includes("binIin"))) throw new AppError("CONFLICT", "signup.binTaken", {}, "binIin");
      if (fields.some((f) => f.includes("email"))) throw new AppError("CONFLICT", "signup.emailTaken", {}, "email");
      if (!fields.some((f) => f.includes("slug")) || attempt >= 20) throw e;
    }
  }

  async function create(tx: Tx, slug: string) {
    const schoolId = randomUUID();
    const userId = randomUUID();
    const now = new Date();
    const trialEndsAt = new Date(now.getTime() + (await trialDays(tx)) * DAY);
    await switchScope(tx, { schoolId, userId });
    await tx.user.create({
      data: { id: userId, email: input.email, passwordHash, fullName: input.directorName, phone: input.phone, locale },
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
        email: input.email,
        status: "trial",
        trialEndsAt,
      },
      select: { id: true },
    });
    // The subscription starts on the first plan of the offer's appendix, "paid" through the trial's last day.
    const plan = await tx.tariffPlan.findFirstOrThrow({ where: { archivedAt: null }, orderBy: { sort: "asc" }, select: { id: true } });
    await tx.subscription.create({ data: { schoolId, planId: plan.id, paidThrough: new Date(`${almatyDate(trialEndsAt)}T00:00:00Z`) }, select: { schoolId: true } });
    await tx.membership.create({ data: { id: randomUUID(), schoolId, userId, role: "director" }, select: { id: true } });
    await tx.offerAcceptance.create({
      data: { id: randomUUID(), schoolId, userId, offerVersionId: offer!.id, textSha256: offer!.sha256, acceptedAt: now, ip: meta.ip, userAgent: meta.userAgent },
      select: { id: true },
    });
    const consents = [{ kind: "personal_data" as const }, ...(input.marketing ? [{ kind: "marketing" as const }] : [])];
    for (const c of consents) {
      await tx.consent.create({
        data: { id: randomUUID(), schoolId, userId, kind: c.kind, offerVersionId: offer!.id, textSha256: offer!.sha256, grantedAt: now, ip: meta.ip, userAgent: meta.userAgent },
        select: { id: true },
      });
    }
    await audit(tx, meta, { action: "signup", schoolId, actorUserId: userId, details: { slug, binIin: input.binIin } });
    await audit(tx, meta, { action: "offer.accepted", schoolId, actorUserId: userId, details: { version: offer!.version, sha256: offer!.sha256 } });
    await audit(tx, meta, { action: "consent.granted", schoolId, actorUserId: userId, details: { kinds: consents.map((c) => c.kind) } });
    await issueEmailVerification(tx, { id: userId, email: input.email, fullName: input.directorName, locale }, input.schoolName);
    return { schoolId, userId, slug };
  }
}
