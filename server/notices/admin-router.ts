// The operator console's side of notices: offer versions (publish with 7 days' notice, see the fan-out,
// answer disagreements) and maintenance windows (schedule with 3 days' notice, cancel).
import { z } from "zod";
import { operatorProcedure, router } from "../trpc.ts";
import { publishOffer, answerDisagreement, earliestOfferDate } from "./offers.ts";
import { cancelMaintenance, earliestMaintenanceDate, scheduleMaintenance } from "./maintenance.ts";
import { almatyDate } from "../../domain/kz/time.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "date");
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time");
const text = (max: number) => z.string().trim().min(1).max(max);

export const adminNoticesRouter = router({
  offers: operatorProcedure().query(async ({ ctx }) => {
    const [versions, disagreements] = await Promise.all([
      ctx.db.$queryRaw<
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
      ctx.db.$queryRaw<
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
  }),

  publishOffer: operatorProcedure(["super_admin"])
    .input(
      z.object({
        textKk: text(500_000),
        textRu: text(500_000),
        summaryKk: text(5_000),
        summaryRu: text(5_000),
        effectiveFrom: isoDate,
      }),
    )
    .mutation(({ ctx, input }) => publishOffer(ctx.db, ctx.user.id, ctx.meta, input)),

  answerDisagreement: operatorProcedure(["super_admin", "support"])
    .input(z.object({ id: z.uuid(), answer: text(10_000) }))
    .mutation(({ ctx, input }) => answerDisagreement(ctx.db, ctx.user.id, ctx.meta, input.id, input.answer)),

  maintenance: operatorProcedure().query(async ({ ctx }) => ({
    earliest: earliestMaintenanceDate(almatyDate(new Date())),
    windows: await ctx.db.maintenanceWindow.findMany({ orderBy: { startsAt: "desc" }, take: 50 }),
  })),

  scheduleMaintenance: operatorProcedure(["super_admin"])
    .input(
      z.object({
        startDate: isoDate,
        startTime: hhmm,
        endDate: isoDate,
        endTime: hhmm,
        reasonKk: text(2_000),
        reasonRu: text(2_000),
      }),
    )
    .mutation(({ ctx, input }) => scheduleMaintenance(ctx.db, ctx.user.id, ctx.meta, input)),

  cancelMaintenance: operatorProcedure(["super_admin"])
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => cancelMaintenance(ctx.db, ctx.user.id, ctx.meta, input.id)),
});
