// Offer changes (10.2–10.4): a new version published with at least 7 full calendar days' notice, its
// fan-out started in the same transaction, the day it takes effect, continued use recorded as consent,
// and a school's written disagreement with the operator's answer.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { offerSha256 } from "../offer/service.ts";
import { addDays, almatyDate, almatyToInstant } from "../../domain/kz/time.ts";
import { formatDate } from "../../domain/i18n/index.ts";
import { config } from "../config.ts";
import { announce } from "./fanout.ts";
import { diffPreview } from "./diff.ts";
import { enqueueMail } from "../outbox/enqueue.ts";
import { operatorAddress } from "../billing/settings.ts";
import type { SchoolCtx } from "../trpc.ts";

/** Full calendar days between the notice and the change: published on D, in force from D + 8 at 00:00. */
export const OFFER_NOTICE_DAYS = 7;

/** The earliest effective date for a version published on `today` (Almaty date): 7 full days in between. */
export function earliestOfferDate(today: string): string {
  return addDays(today, OFFER_NOTICE_DAYS + 1);
}

export type OfferDraft = {
  textKk: string;
  textRu: string;
  summaryKk: string;
  summaryRu: string;
  effectiveFrom: string;
  /** The version the operator's preview compared against: publishing refuses if a newer one came meanwhile. */
  baseVersion?: number | undefined;
};

type Latest = { version: number; textKk: string; textRu: string } | null;

const latestOffer = (db: Pick<Tx, "offerVersion">): Promise<Latest> =>
  db.offerVersion.findFirst({ orderBy: { version: "desc" }, select: { version: true, textKk: true, textRu: true } });

function refuseTooSoon(input: OfferDraft, now: Date): void {
  const earliest = earliestOfferDate(almatyDate(now));
  if (input.effectiveFrom < earliest)
    throw new AppError("BAD_REQUEST", "notices.effectiveTooSoon", { date: formatDate(earliest) }, "effectiveFrom");
}

/** What publishing the draft would be refused for: too little notice, a newer version since, no change at all. */
function refuseDraft(input: OfferDraft, latest: Latest, now: Date): void {
  refuseTooSoon(input, now);
  if (input.baseVersion !== undefined && input.baseVersion !== (latest?.version ?? 0))
    throw new AppError("CONFLICT", "notices.offerChangedMeanwhile", { version: latest?.version ?? 0 });
  const same = (a: string, b: string) => a.replace(/\r\n?/g, "\n").trimEnd() === b.replace(/\r\n?/g, "\n").trimEnd();
  if (latest && same(latest.textKk, input.textKk) && same(latest.textRu, input.textRu))
    throw new AppError("BAD_REQUEST", "notices.offerUnchanged", {}, "textRu");
}

/**
 * The operator's look before publishing: each language's text against the latest published version, the
 * changed lines with two unchanged ones around them. Refuses what publishing would refuse.
 */
export async function previewOffer(db: Tx, input: OfferDraft, now = new Date()) {
  const latest = await latestOffer(db);
  refuseDraft(input, latest, now);
  return {
    baseVersion: latest?.version ?? 0,
    sha256: offerSha256(input.textKk, input.textRu),
    kk: diffPreview(latest?.textKk ?? "", input.textKk),
    ru: diffPreview(latest?.textRu ?? "", input.textRu),
  };
}

/** Publishes a new version and writes its fan-out job in the same transaction (operator role). */
export async function publishOffer(
  db: PrismaClient,
  actor: string,
  meta: RequestMeta,
  input: OfferDraft,
  now = new Date(),
) {
  refuseTooSoon(input, now);
  return db.$transaction(async (tx) => {
    // One publication at a time: the version number is the next one.
    await tx.$executeRaw`LOCK TABLE offer_version IN SHARE ROW EXCLUSIVE MODE`;
    const last = await latestOffer(tx);
    refuseDraft(input, last, now);
    const version = (last?.version ?? 0) + 1;
    const id = randomUUID();
    await tx.offerVersion.create({
      data: {
        id,
        version,
        textKk: input.textKk,
        textRu: input.textRu,
        sha256: offerSha256(input.textKk, input.textRu),
        summaryKk: input.summaryKk,
        summaryRu: input.summaryRu,
        publishedAt: now,
        effectiveFrom: almatyToInstant(input.effectiveFrom, "00:00"),
      },
    });
    const noticeId = await announce(tx, { kind: "offer_change", offerVersionId: id });
    await audit(tx, meta, {
      action: "offer.published",
      actorUserId: actor,
      details: { version, effectiveFrom: input.effectiveFrom },
    });
    return { id, version, noticeId };
  });
}

/**
 * The daily job at the start of a day: versions whose effective date has come are marked as in force
 * (currentOffer picks by effective_from already; this records when the change took effect).
 */
export async function markOffersInForce(db: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await db.notice.updateMany({
    where: {
      kind: "offer_change",
      tookEffectAt: null,
      offerVersionId: {
        in: (await db.offerVersion.findMany({ where: { effectiveFrom: { lte: now } }, select: { id: true } })).map(
          (v) => v.id,
        ),
      },
    },
    data: { tookEffectAt: now },
  });
  return count;
}

/**
 * Continued use after a change took effect is consent (10.4): the first workspace request of a school
 * after the effective date records an acceptance of the version now in force, once per school and version.
 * Only versions published as changes (with a notice) count; the school's sign-up version is its own.
 */
export async function recordContinuedUse(
  tx: Tx,
  schoolId: string,
  userId: string,
  meta: RequestMeta,
): Promise<boolean> {
  const n = await tx.$executeRaw`
    INSERT INTO offer_acceptance (id, school_id, user_id, offer_version_id, text_sha256, ip, user_agent, via)
    SELECT gen_random_uuid(), ${schoolId}::uuid, ${userId}::uuid, v.id, v.sha256, ${meta.ip}, ${meta.userAgent?.slice(0, 500) ?? null}, 'continued_use'
    FROM (SELECT id, sha256 FROM offer_version WHERE effective_from <= now() ORDER BY version DESC LIMIT 1) v
    WHERE EXISTS (SELECT 1 FROM notice n WHERE n.kind = 'offer_change' AND n.offer_version_id = v.id)
      AND NOT EXISTS (SELECT 1 FROM offer_acceptance a WHERE a.school_id = ${schoolId}::uuid AND a.offer_version_id = v.id)
    ON CONFLICT (school_id, offer_version_id) DO NOTHING`;
  return n > 0;
}

/** The operator's answer to a disagreement, e-mailed to the director who filed it (operator role). */
export async function answerDisagreement(
  db: PrismaClient,
  actor: string,
  meta: RequestMeta,
  id: string,
  answer: string,
) {
  return db.$transaction(async (tx) => {
    const d = await tx.offerDisagreement.findUnique({ where: { id } });
    if (!d) throw new AppError("NOT_FOUND", "notFound");
    const { count } = await tx.offerDisagreement.updateMany({
      where: { id, answeredAt: null },
      data: { answer, answeredAt: new Date(), answeredBy: actor },
    });
    if (count === 0) throw new AppError("CONFLICT", "notices.alreadyAnswered", {}, "answer");
    const [user, school, v] = await Promise.all([
      tx.user.findUniqueOrThrow({ where: { id: d.userId }, select: { email: true, fullName: true, locale: true } }),
      tx.school.findUniqueOrThrow({ where: { id: d.schoolId }, select: { name: true, slug: true } }),
      tx.offerVersion.findUniqueOrThrow({ where: { id: d.offerVersionId }, select: { version: true } }),
    ]);
    await tx.outboxEvent.createMany({
      data: [
        {
          queue: "mail",
          jobName: "send",
          jobId: `disagreement-answer-${id}`,
          payload: {
            to: user.email,
            locale: user.locale,
            template: "disagreementAnswered",
            params: {
              name: user.fullName,
              school: school.name,
              version: String(v.version),
              answer,
              link: `${config().publicUrl}/s/${school.slug}/documents`,
            },
          },
        },
      ],
      skipDuplicates: true,
    });
    await audit(tx, meta, {
      action: "offer.disagreementAnswered",
      actorUserId: actor,
      schoolId: d.schoolId,
      details: { disagreementId: id },
    });
    return { ok: true as const };
  });
}

/**
 * The director's written disagreement with an offer change (only one that was announced); the operator sees
 * and answers it, and is e-mailed at once in the same transaction (the support/operator address of the
 * settings). The form's `requestId` is the disagreement's id: the same form sent twice files one
 * disagreement, and its e-mail's job id is the disagreement's, so the operator hears of each once.
 */
export async function fileDisagreement(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: { offerVersionId: string; text: string; requestId?: string | undefined },
) {
  const [announced, version] = await Promise.all([
    tx.notice.findFirst({
      where: { kind: "offer_change", offerVersionId: input.offerVersionId },
      select: { id: true },
    }),
    tx.offerVersion.findUnique({
      where: { id: input.offerVersionId },
      select: { version: true, effectiveFrom: true },
    }),
  ]);
  if (!announced || !version) throw new AppError("NOT_FOUND", "notFound", {}, "offerVersionId");
  const id = input.requestId ?? randomUUID();
  const { count } = await tx.offerDisagreement.createMany({
    data: [{ id, schoolId: school.id, offerVersionId: input.offerVersionId, userId: actor.id, text: input.text }],
    skipDuplicates: true,
  });
  if (count === 0) {
    // Sent before: the same form again. Anything else under that id (another school's, another version) is refused.
    const before = await tx.offerDisagreement.findUnique({ where: { id }, select: { offerVersionId: true } });
    if (before?.offerVersionId !== input.offerVersionId) throw new AppError("CONFLICT", "conflict");
    return { id };
  }
  const [from, org, to] = await Promise.all([
    tx.user.findUniqueOrThrow({ where: { id: actor.id }, select: { fullName: true, email: true } }),
    tx.school.findUniqueOrThrow({ where: { id: school.id }, select: { binIin: true } }),
    operatorAddress(tx),
  ]);
  await enqueueMail(tx, `disagreement-filed-${id}`, {
    to,
    locale: "ru",
    template: "disagreementOperator",
    params: {
      school: school.name,
      bin: org.binIin,
      version: String(version.version),
      effective: formatDate(version.effectiveFrom),
      name: from.fullName,
      email: from.email,
      text: input.text,
      link: `${config().publicUrl}/admin/offers#disagreement-${id}`,
    },
  });
  return { id };
}

/**
 * The operator's offers page: the latest version's texts (where a new version starts), the versions with
 * their fan-out and read counts, and the disagreements (unanswered first).
 */
export async function offersConsole(db: Tx) {
  const [latest, versions, disagreements] = await Promise.all([
    latestOffer(db),
    db.$queryRaw<
      {
        id: string;
        version: number;
        published_at: Date;
        effective_from: Date;
        summary_ru: string | null;
        summary_kk: string | null;
        fanned_out_at: Date | null;
        notice_id: string | null;
        recipients: bigint;
        read: bigint;
      }[]
    >`
      SELECT v.id, v.version, v.published_at, v.effective_from, v.summary_ru, v.summary_kk, n.fanned_out_at, n.id AS notice_id,
        (SELECT count(*) FROM notice_recipient r WHERE r.notice_id = n.id) AS recipients,
        (SELECT count(*) FROM notice_recipient r WHERE r.notice_id = n.id AND r.read_at IS NOT NULL) AS read
      FROM offer_version v LEFT JOIN notice n ON n.offer_version_id = v.id AND n.kind = 'offer_change'
      ORDER BY v.version DESC LIMIT 50`,
    db.$queryRaw<
      {
        id: string;
        school_id: string;
        school: string;
        version: number;
        text: string;
        created_at: Date;
        answer: string | null;
        answered_at: Date | null;
      }[]
    >`
      SELECT d.id, d.school_id, s.name AS school, v.version, d.text, d.created_at, d.answer, d.answered_at
      FROM offer_disagreement d JOIN school s ON s.id = d.school_id JOIN offer_version v ON v.id = d.offer_version_id
      ORDER BY d.answered_at IS NOT NULL, d.created_at DESC LIMIT 200`,
  ]);
  return {
    earliest: earliestOfferDate(almatyDate(new Date())),
    // The editor of a new version starts from the latest published text, in both languages.
    latest,
    versions: versions.map((v) => ({
      id: v.id,
      version: v.version,
      publishedAt: v.published_at,
      effectiveFrom: v.effective_from,
      summaryRu: v.summary_ru,
      summaryKk: v.summary_kk,
      fannedOutAt: v.fanned_out_at,
      announced: v.notice_id !== null,
      recipients: Number(v.recipients),
      read: Number(v.read),
    })),
    disagreements: disagreements.map((d) => ({
      id: d.id,
      schoolId: d.school_id,
      school: d.school,
      version: d.version,
      text: d.text,
      createdAt: d.created_at,
      answer: d.answer,
      answeredAt: d.answered_at,
    })),
  };
}
