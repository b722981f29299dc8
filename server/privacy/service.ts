// Consents (offer 7, 10.9–10.11); the operator's user deactivation (5.2) is in users.ts.
// - Personal data: withdrawing is a written request, refused while the school has open invoices (7.5), taking
//   effect 30 calendar days after receipt. Effective state is computed on read: accepting the request sets the
//   consents' withdrawn_at to the effective moment (00:00 Almaty of effective_on), so no job has to flip it.
//   The directors are told at once what will happen on that date (and a week before); on the date the daily
//   privacy job anonymises the school (anonymise.ts).
// - Reviews (10.10) and marketing (10.11): granted and withdrawn at any time; every marketing e-mail carries a
//   one-click unsubscribe link (marketingFooter); transactional e-mails never do and never check marketing.
import { randomBytes, randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { config } from "../config.ts";
import { addDays, almatyDate, almatyToInstant, isoDay } from "../../domain/kz/time.ts";
import { formatDate, type Locale } from "../../domain/i18n/index.ts";
import { queueWithdrawalMail } from "./anonymise.ts";

export const WITHDRAWAL_DAYS = 30;

const dateOf = (s: string) => new Date(`${s}T00:00:00Z`);

/** The day a withdrawal received at `receivedAt` takes effect: 30 calendar days later (Almaty dates). */
export function withdrawalEffectiveOn(receivedAt: Date): string {
  return addDays(almatyDate(receivedAt), WITHDRAWAL_DAYS);
}

type ConsentRow = { kind: string; userId: string; grantedAt: Date; withdrawnAt: Date | null };
const activeAt = (c: ConsentRow, now: Date) => c.withdrawnAt === null || c.withdrawnAt > now;

/** What the school's privacy page shows. */
export async function privacyOverview(db: Tx, schoolId: string, userId: string, now = new Date()) {
  const [consents, withdrawals, openInvoices] = await Promise.all([
    db.consent.findMany({
      select: { kind: true, userId: true, grantedAt: true, withdrawnAt: true, textSha256: true },
      orderBy: { grantedAt: "desc" },
    }),
    db.consentWithdrawal.findMany({ orderBy: { receivedAt: "desc" }, take: 20 }),
    db.invoice.findMany({ where: { status: "open" }, select: { number: true }, orderBy: { number: "asc" } }),
  ]);
  const of = (kind: string) => consents.filter((c) => c.kind === kind);
  const personal = of("personal_data");
  const open = withdrawals.find((w) => w.status === "accepted") ?? null;
  const openEffective = open ? almatyToInstant(isoDay(open.effectiveOn), "00:00") <= now : false;
  return {
    schoolId,
    personalData: {
      grantedAt: personal.at(-1)?.grantedAt ?? null,
      textSha256: personal.at(-1)?.textSha256 ?? null,
      state: !open
        ? personal.some((c) => activeAt(c, now))
          ? "active"
          : "withdrawn"
        : openEffective
          ? "withdrawn"
          : "pending",
      request: open
        ? { id: open.id, receivedAt: open.receivedAt, effectiveOn: isoDay(open.effectiveOn), text: open.text }
        : null,
    },
    reviews: {
      active: of("reviews").some((c) => activeAt(c, now)),
      since: of("reviews").find((c) => activeAt(c, now))?.grantedAt ?? null,
    },
    marketing: { active: of("marketing").some((c) => c.userId === userId && activeAt(c, now)) },
    openInvoices: openInvoices.map((i) => i.number),
    withdrawals: withdrawals.map((w) => ({
      id: w.id,
      receivedAt: w.receivedAt,
      effectiveOn: isoDay(w.effectiveOn),
      status: w.status,
      cancelledAt: w.cancelledAt,
      text: w.text,
    })),
  };
}

/** The written request to withdraw the personal-data consent (7.5, 10.9). */
export async function requestWithdrawal(
  db: Tx,
  schoolId: string,
  userId: string,
  text: string,
  meta: RequestMeta,
  now = new Date(),
) {
  const unpaid = await db.invoice.findMany({
    where: { status: "open" },
    select: { number: true },
    orderBy: { number: "asc" },
  });
  if (unpaid.length > 0)
    throw new AppError("CONFLICT", "privacy.unpaidInvoices", { numbers: unpaid.map((i) => i.number).join(", ") });
  const pending = await db.consentWithdrawal.findFirst({ where: { status: "accepted" } });
  if (pending)
    throw new AppError("CONFLICT", "privacy.withdrawalPending", { date: formatDate(isoDay(pending.effectiveOn)) });
  const effectiveOn = withdrawalEffectiveOn(now);
  const row = await db.consentWithdrawal.create({
    data: { id: randomUUID(), schoolId, requestedBy: userId, text, receivedAt: now, effectiveOn: dateOf(effectiveOn) },
  });
  await db.consent.updateMany({
    where: { kind: "personal_data", withdrawnAt: null },
    data: { withdrawnAt: almatyToInstant(effectiveOn, "00:00") },
  });
  await audit(db, meta, {
    action: "consent.withdrawal_requested",
    schoolId,
    actorUserId: userId,
    details: { id: row.id, effectiveOn },
  });
  // The notice beforehand: what happens on the date, and the archive to take first (anonymise.ts).
  await queueWithdrawalMail(db, "privacyWithdrawalAccepted", row.id, schoolId, effectiveOn, almatyDate(now));
  return { id: row.id, receivedAt: row.receivedAt, effectiveOn };
}

/** A request not yet in effect may be taken back; the consent stands again. */
export async function cancelWithdrawal(db: Tx, schoolId: string, userId: string, meta: RequestMeta, now = new Date()) {
  const open = await db.consentWithdrawal.findFirst({ where: { status: "accepted" } });
  if (!open) throw new AppError("NOT_FOUND", "privacy.noWithdrawal");
  const effectiveAt = almatyToInstant(isoDay(open.effectiveOn), "00:00");
  if (effectiveAt <= now) throw new AppError("CONFLICT", "privacy.withdrawalEffective");
  await db.consentWithdrawal.update({ where: { id: open.id }, data: { status: "cancelled", cancelledAt: now } });
  await db.consent.updateMany({
    where: { kind: "personal_data", withdrawnAt: effectiveAt },
    data: { withdrawnAt: null },
  });
  await audit(db, meta, {
    action: "consent.withdrawal_cancelled",
    schoolId,
    actorUserId: userId,
    details: { id: open.id },
  });
}

/** Reviews (10.10, the school's) and marketing (10.11, this user's) consents: on or off at any time. */
export async function setConsent(
  db: Tx,
  kind: "reviews" | "marketing",
  granted: boolean,
  schoolId: string,
  userId: string,
  meta: RequestMeta,
  now = new Date(),
) {
  const where = { kind, withdrawnAt: null, ...(kind === "marketing" ? { userId } : {}) } as const;
  const active = await db.consent.findMany({ where, select: { id: true } });
  if (granted) {
    if (active.length > 0) throw new AppError("CONFLICT", "privacy.alreadyGranted");
    await db.consent.create({
      data: {
        id: randomUUID(),
        schoolId,
        userId,
        kind,
        grantedAt: now,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 500) ?? null,
      },
    });
  } else {
    if (active.length === 0) throw new AppError("CONFLICT", "privacy.notGranted");
    await db.consent.updateMany({ where, data: { withdrawnAt: now } });
  }
  await audit(db, meta, {
    action: `consent.${kind}_${granted ? "granted" : "withdrawn"}`,
    schoolId,
    actorUserId: userId,
  });
}

// ---------------------------------------------------------------------------------------------
// Marketing e-mails and the one-click opt-out (operator role: the link works without signing in)

type OpDb = PrismaClient | Tx;

/** The unsubscribe link for a user's marketing e-mails: params to spread into the `marketing` template. */
export async function marketingFooter(db: OpDb, userId: string): Promise<{ unsubscribe: string }> {
  const row = await db.unsubscribeToken.upsert({
    where: { userId },
    update: {},
    create: { userId, token: randomBytes(24).toString("base64url") },
    select: { token: true },
  });
  return { unsubscribe: `${config().publicUrl}/unsubscribe/${row.token}` };
}

/** Users who receive marketing: an active marketing consent in some school, account not deactivated. */
export async function marketingRecipients(db: OpDb, now = new Date()) {
  const rows = await db.consent.findMany({
    where: { kind: "marketing", OR: [{ withdrawnAt: null }, { withdrawnAt: { gt: now } }] },
    select: { userId: true },
    distinct: ["userId"],
  });
  return db.user.findMany({
    where: { id: { in: rows.map((r) => r.userId) }, deactivatedAt: null },
    select: { id: true, email: true, fullName: true, locale: true },
  });
}

/**
 * A marketing e-mail to every consenting user, each with their own unsubscribe link; one job per user per
 * campaign. One transaction of the operator role: recipients, jobs and the audit entry.
 */
export async function sendMarketing(
  db: PrismaClient,
  actor: { id: string },
  input: { campaign: string } & Record<Locale, { subject: string; text: string }>,
  meta: RequestMeta,
): Promise<{ recipients: number }> {
  const content = { kk: input.kk, ru: input.ru };
  const recipients = await db.$transaction((tx) => queueMarketing(tx, input.campaign, content, actor.id, meta));
  return { recipients };
}

async function queueMarketing(
  db: Tx,
  campaign: string,
  content: Record<Locale, { subject: string; text: string }>,
  actorUserId: string,
  meta: RequestMeta,
): Promise<number> {
  const users = await marketingRecipients(db);
  for (const u of users) {
    const footer = await marketingFooter(db, u.id);
    await db.outboxEvent.createMany({
      data: [
        {
          queue: "mail",
          jobName: "send",
          jobId: `marketing.${campaign}.${u.id}`,
          payload: {
            to: u.email,
            locale: u.locale,
            template: "marketing",
            params: { name: u.fullName, ...content[u.locale], ...footer },
          },
        },
      ],
      skipDuplicates: true,
    });
  }
  await audit(db, meta, { action: "marketing.sent", actorUserId, details: { campaign, recipients: users.length } });
  return users.length;
}

async function tokenOwner(db: OpDb, token: string) {
  const row = await db.unsubscribeToken.findUnique({ where: { token } });
  if (!row) throw new AppError("NOT_FOUND", "privacy.unsubscribeInvalid");
  return row;
}

export async function unsubscribeInfo(db: OpDb, token: string, now = new Date()) {
  const row = await tokenOwner(db, token);
  const user = await db.user.findUniqueOrThrow({ where: { id: row.userId }, select: { email: true } });
  const active = await db.consent.count({
    where: { userId: row.userId, kind: "marketing", OR: [{ withdrawnAt: null }, { withdrawnAt: { gt: now } }] },
  });
  const [local, domain] = user.email.split("@");
  return { email: `${local!.slice(0, 2)}***@${domain}`, subscribed: active > 0 };
}

/** One click: every marketing consent of the user, in every school, is withdrawn (one operator-role transaction). */
export async function unsubscribe(db: PrismaClient, token: string, meta: RequestMeta, now = new Date()) {
  await db.$transaction((tx) => withdrawMarketing(tx, token, meta, now));
  return { ok: true as const };
}

async function withdrawMarketing(db: Tx, token: string, meta: RequestMeta, now: Date) {
  const row = await tokenOwner(db, token);
  const withdrawn = await db.consent.findMany({
    where: { userId: row.userId, kind: "marketing", withdrawnAt: null },
    select: { schoolId: true },
  });
  await db.consent.updateMany({
    where: { userId: row.userId, kind: "marketing", withdrawnAt: null },
    data: { withdrawnAt: now },
  });
  await db.unsubscribeToken.update({ where: { token }, data: { usedAt: now } });
  for (const schoolId of new Set(withdrawn.map((w) => w.schoolId))) {
    await audit(db, meta, { action: "consent.marketing_unsubscribed", schoolId, actorUserId: row.userId });
  }
  if (withdrawn.length === 0)
    await audit(db, meta, {
      action: "consent.marketing_unsubscribed",
      actorUserId: row.userId,
      details: { already: true },
    });
}
