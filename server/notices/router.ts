// The school side of notices: the workspace's banners and announcements (and continued use recorded as
// consent), the cabinet's documents with delivery and first-read times, and a written disagreement.
import { z } from "zod";
import { router, schoolProcedure } from "../trpc.ts";
import { ACTIVE_STAFF, DIRECTOR, ROLES } from "../../domain/roles.ts";
import { AppError } from "../errors.ts";
import { recordReading } from "../documents/cabinet.ts";
import { announcements } from "./maintenance.ts";
import { recordContinuedUse } from "./offers.ts";
import { randomUUID } from "node:crypto";
import type { FileDownload } from "../../domain/files.ts";

const shell = schoolProcedure(ROLES, { always: true });

export const noticesRouter = router({
  /** For the workspace layout: unread offer-change banners of this user and the maintenance announcements. */
  workspace: shell.query(async ({ ctx }) => {
    await recordContinuedUse(ctx.db, ctx.school.id, ctx.user.id, ctx.meta);
    const unread = await ctx.db.$queryRaw<
      {
        notice_id: string;
        kind: "offer_change" | "tariff_change";
        version: number;
        effective_from: Date;
        summary_kk: string | null;
        summary_ru: string | null;
      }[]
    >`
      SELECT r.notice_id, n.kind, coalesce(v.version, t.version) AS version,
             coalesce(v.effective_from, (t.effective_from::timestamp AT TIME ZONE 'Asia/Almaty')) AS effective_from,
             coalesce(v.summary_kk, n.summary_kk) AS summary_kk, coalesce(v.summary_ru, n.summary_ru) AS summary_ru
      FROM notice_recipient r JOIN notice n ON n.id = r.notice_id
        LEFT JOIN offer_version v ON v.id = n.offer_version_id LEFT JOIN tariff_version t ON t.id = n.tariff_version_id
      WHERE r.school_id = ${ctx.school.id}::uuid AND r.user_id = ${ctx.user.id}::uuid AND r.read_at IS NULL AND n.kind IN ('offer_change', 'tariff_change')
      ORDER BY n.created_at DESC LIMIT 3`;
    return {
      banners: unread.map((u) => ({
        noticeId: u.notice_id,
        kind: u.kind,
        version: u.version,
        effectiveFrom: u.effective_from,
        summaryKk: u.summary_kk,
        summaryRu: u.summary_ru,
      })),
      announcements: await announcements(ctx.db),
    };
  }),

  /**
   * "Read": the banner goes away for this user. The inspector is read-only everywhere (tests/security.test.ts
   * holds every workspace mutation to that), so an inspector's banner stays.
   */
  markRead: schoolProcedure(ACTIVE_STAFF, { always: true })
    .input(z.object({ noticeId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.db.noticeRecipient.updateMany({
        where: { noticeId: input.noticeId, userId: ctx.user.id, readAt: null },
        data: { readAt: new Date() },
      });
      return { ok: true as const };
    }),

  /** Every document of the cabinet, newest first, with when it was delivered and when this user first opened it. */
  documents: schoolProcedure(ROLES).query(async ({ ctx }) => {
    const [docs, mine, offers, disagreements] = await Promise.all([
      ctx.db.schoolDocument.findMany({
        orderBy: { deliveredAt: "desc" },
        take: 500,
        select: {
          id: true,
          kind: true,
          number: true,
          titleKk: true,
          titleRu: true,
          deliveredAt: true,
          firstReadAt: true,
          contentType: true,
        },
      }),
      ctx.db.documentRead.findMany({ where: { userId: ctx.user.id }, select: { documentId: true, readAt: true } }),
      ctx.db.$queryRaw<{ id: string; version: number; effective_from: Date }[]>`
        SELECT v.id, v.version, v.effective_from FROM offer_version v JOIN notice n ON n.offer_version_id = v.id AND n.kind = 'offer_change'
        ORDER BY v.version DESC LIMIT 5`,
      ctx.school.roles.includes("director")
        ? ctx.db.offerDisagreement.findMany({ orderBy: { createdAt: "desc" }, take: 50 })
        : Promise.resolve([]),
    ]);
    const readAt = new Map(mine.map((r) => [r.documentId, r.readAt]));
    return {
      documents: docs.map((d) => ({ ...d, myReadAt: readAt.get(d.id) ?? null })),
      offers: offers.map((o) => ({ id: o.id, version: o.version, effectiveFrom: o.effective_from })),
      disagreements: disagreements.map((d) => ({
        id: d.id,
        offerVersionId: d.offerVersionId,
        text: d.text,
        createdAt: d.createdAt,
        answer: d.answer,
        answeredAt: d.answeredAt,
      })),
    };
  }),

  /** One document's file; its first opening by this user is recorded (10.8). */
  document: schoolProcedure(ROLES)
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }): Promise<FileDownload> => {
      const doc = await ctx.db.schoolDocument.findUnique({ where: { id: input.id } });
      if (!doc) throw new AppError("NOT_FOUND", "notFound");
      await recordReading(ctx.db, doc.id, ctx.school.id, ctx.user.id);
      return {
        fileName: doc.fileName,
        contentType: doc.contentType,
        base64: Buffer.from(doc.content).toString("base64"),
      };
    }),

  /** The director's written disagreement with an offer change; the operator sees and answers it. */
  disagree: schoolProcedure(DIRECTOR, { always: true })
    .input(z.object({ offerVersionId: z.uuid(), text: z.string().trim().min(10).max(10_000) }))
    .mutation(async ({ ctx, input }) => {
      const announced = await ctx.db.notice.findFirst({
        where: { kind: "offer_change", offerVersionId: input.offerVersionId },
        select: { id: true },
      });
      if (!announced) throw new AppError("NOT_FOUND", "notFound", {}, "offerVersionId");
      const id = randomUUID();
      await ctx.db.offerDisagreement.create({
        data: {
          id,
          schoolId: ctx.school.id,
          offerVersionId: input.offerVersionId,
          userId: ctx.user.id,
          text: input.text,
        },
      });
      return { id };
    }),
});
