// The operator's billing console (`admin.billing.*`): schools' plans and debts, invoices and payments
// with filters, payments confirmed by hand, bank statement import, manual suspend/restore with a reason,
// tariffs and their versions (7 days' notice), the billing settings and requisites, and the queues.
import { z } from "zod";
import type { Queue } from "bullmq";
import { operatorProcedure, router } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { audit } from "../audit/log.ts";
import { almatyDate, dbDay, isoDay } from "../../domain/kz/time.ts";
import { parseTenge } from "../../domain/kz/money.ts";
import { randomUUID } from "node:crypto";
import { openQueues } from "../queues.ts";
import { applyPayment, setAccessByOperator } from "./ledger.ts";
import { invoiceDocument } from "./invoice-doc.ts";
import { billingSettings, operatorRequisites, requisitesSchema } from "./settings.ts";
import { billingSettingsSchema } from "./rules.ts";
import { applyStatement, previewStatement, uploadStatement } from "./statement.ts";
import { plansOffered } from "./router.ts";
import { enqueueFanout } from "../notices/fanout.ts";
import { earliestOfferDate } from "../notices/offers.ts";
import { formatTiyn, translator } from "../../domain/i18n/index.ts";
import { likeText } from "../db/like.ts";
import { type QueueName, QUEUES } from "../../domain/queues.ts";

const billingOps = operatorProcedure(["super_admin", "billing"]);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "invalid");
const tenge = z
  .string()
  .trim()
  .transform((v, c) => {
    const t = parseTenge(v);
    if (t === null || t <= 0) {
      c.addIssue({ code: "custom", message: "billing.amount" });
      return z.NEVER;
    }
    return t;
  });
/** "" from an empty form field → no limit. */
const limit = z.preprocess(
  (v) => (v === "" || v === null || v === undefined ? null : v),
  z.coerce.number().int("invalid").min(1, "invalid").max(1_000_000, "invalid").nullable(),
);

let queues: Record<QueueName, Queue> | undefined;
const q = () => (queues ??= openQueues());

export const adminBillingRouter = router({
  /** Schools with plan, access state, paid-through date and debt (open invoices past their due date). */
  schools: operatorProcedure()
    .input(
      z.object({
        status: z.enum(["trial", "active", "past_due", "restricted", "suspended", "deactivated"]).optional(),
        q: z.string().trim().max(100).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const today = almatyDate(new Date());
      const schools = await ctx.db.school.findMany({
        where: {
          status: input.status,
          ...(input.q
            ? {
                OR: [
                  { name: { contains: likeText(input.q), mode: "insensitive" } },
                  { binIin: { startsWith: likeText(input.q) } },
                ],
              }
            : {}),
        },
        select: {
          id: true,
          name: true,
          slug: true,
          binIin: true,
          status: true,
          subscription: { select: { paidThrough: true, plan: { select: { nameKk: true, nameRu: true } } } },
          invoices: { where: { status: "open", dueOn: { lt: dbDay(today) } }, select: { amountTiyn: true } },
        },
        orderBy: { name: "asc" },
        take: 300,
      });
      return schools.map((s) => ({
        id: s.id,
        name: s.name,
        slug: s.slug,
        binIin: s.binIin,
        status: s.status,
        planKk: s.subscription?.plan.nameKk ?? null,
        planRu: s.subscription?.plan.nameRu ?? null,
        paidThrough: s.subscription ? isoDay(s.subscription.paidThrough) : null,
        debtTiyn: s.invoices.reduce((sum, i) => sum + Number(i.amountTiyn), 0),
      }));
    }),

  invoices: operatorProcedure()
    .input(
      z.object({
        status: z.enum(["open", "paid", "void", "overdue"]).optional(),
        schoolId: z.uuid().optional(),
        q: z.string().trim().max(60).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        page: z.coerce.number().int().min(0).max(10_000).default(0),
      }),
    )
    .query(async ({ ctx, input }) => {
      const today = almatyDate(new Date());
      const where = {
        schoolId: input.schoolId,
        ...(input.status === "overdue"
          ? { status: "open" as const, dueOn: { lt: dbDay(today) } }
          : input.status
            ? { status: input.status }
            : {}),
        ...(input.q
          ? {
              OR: [
                { number: { contains: likeText(input.q.toUpperCase()) } },
                { school: { name: { contains: likeText(input.q), mode: "insensitive" as const } } },
              ],
            }
          : {}),
        ...(input.from || input.to
          ? {
              issuedOn: {
                ...(input.from ? { gte: dbDay(input.from) } : {}),
                ...(input.to ? { lte: dbDay(input.to) } : {}),
              },
            }
          : {}),
      };
      const [rows, total] = await Promise.all([
        ctx.db.invoice.findMany({
          where,
          orderBy: [{ issuedOn: "desc" }, { number: "desc" }],
          skip: input.page * 50,
          take: 50,
          include: { school: { select: { name: true, binIin: true } } },
        }),
        ctx.db.invoice.count({ where }),
      ]);
      return {
        total,
        items: rows.map((i) => ({
          id: i.id,
          number: i.number,
          schoolId: i.schoolId,
          schoolName: i.school.name,
          schoolBin: i.school.binIin,
          status: i.status,
          amountTiyn: Number(i.amountTiyn),
          issuedOn: isoDay(i.issuedOn),
          dueOn: isoDay(i.dueOn),
          periodStart: isoDay(i.periodStart),
          periodEnd: isoDay(i.periodEnd),
          paidAt: i.paidAt,
          overdue: i.status === "open" && isoDay(i.dueOn) < today,
        })),
      };
    }),

  payments: operatorProcedure()
    .input(
      z.object({
        method: z.enum(["card", "bank", "manual"]).optional(),
        schoolId: z.uuid().optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        page: z.coerce.number().int().min(0).max(10_000).default(0),
      }),
    )
    .query(async ({ ctx, input }) => {
      const where = {
        method: input.method,
        schoolId: input.schoolId,
        ...(input.from || input.to
          ? {
              receivedOn: {
                ...(input.from ? { gte: dbDay(input.from) } : {}),
                ...(input.to ? { lte: dbDay(input.to) } : {}),
              },
            }
          : {}),
      };
      const [rows, total] = await Promise.all([
        ctx.db.payment.findMany({
          where,
          orderBy: { createdAt: "desc" },
          skip: input.page * 50,
          take: 50,
          include: { school: { select: { name: true } }, invoice: { select: { number: true } } },
        }),
        ctx.db.payment.count({ where }),
      ]);
      return {
        total,
        items: rows.map((p) => ({
          id: p.id,
          method: p.method,
          amountTiyn: Number(p.amountTiyn),
          refundedTiyn: Number(p.refundedTiyn),
          receivedOn: isoDay(p.receivedOn),
          schoolId: p.schoolId,
          schoolName: p.school.name,
          invoiceNumber: p.invoice.number,
          payerName: p.payerName,
          payerBin: p.payerBin,
          externalRef: p.externalRef,
          disputedAt: p.disputedAt,
          createdAt: p.createdAt,
        })),
      };
    }),

  invoicePdf: operatorProcedure()
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const inv = await ctx.db.invoice.findUnique({ where: { id: input.id }, include: { plan: true } });
      if (!inv) throw new AppError("NOT_FOUND", "notFound");
      return invoiceDocument(inv);
    }),

  /** A bank transfer confirmed by hand (the operator saw it in the bank): applied like any payment. */
  confirmPayment: billingOps
    .input(
      z.object({
        invoiceId: z.uuid(),
        amount: tenge,
        receivedOn: isoDate,
        reference: z.string().trim().min(1, "required").max(100, "tooLong"),
        note: z.string().trim().max(500, "tooLong").optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (input.receivedOn > almatyDate(new Date()))
        throw new AppError("BAD_REQUEST", "billing.futureDate", {}, "receivedOn");
      const result = await ctx.db.$transaction(
        async (tx) => {
          const r = await applyPayment(tx, {
            invoiceId: input.invoiceId,
            method: "manual",
            externalRef: input.reference,
            amountTiyn: input.amount,
            receivedOn: input.receivedOn,
            note: input.note ?? null,
            recordedBy: ctx.user.id,
          });
          if (r.outcome === "duplicate") throw new AppError("CONFLICT", "billing.duplicateReference", {}, "reference");
          const inv = await tx.invoice.findUniqueOrThrow({
            where: { id: input.invoiceId },
            select: { schoolId: true, number: true },
          });
          await audit(tx, ctx.meta, {
            action: "billing.payment_confirmed",
            schoolId: inv.schoolId,
            actorUserId: ctx.user.id,
            details: { invoice: inv.number, amountTiyn: input.amount, reference: input.reference, outcome: r.outcome },
          });
          return r;
        },
        { timeout: 30_000 },
      );
      return { outcome: result.outcome, restoredTo: result.restoredTo };
    }),

  uploadStatement: billingOps
    .input(
      z.object({
        fileName: z.string().trim().min(1, "required").max(200),
        base64: z.base64("invalid").max(14_000_000, "billing.statement.tooBig"),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const id = await uploadStatement(
        ctx.db,
        { name: input.fileName, bytes: Buffer.from(input.base64, "base64") },
        ctx.user.id,
      );
      return { id };
    }),

  statement: operatorProcedure()
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => previewStatement(ctx.db, input.id)),

  statements: operatorProcedure().query(async ({ ctx }) =>
    ctx.db.bankStatement.findMany({
      orderBy: { uploadedAt: "desc" },
      take: 30,
      select: { id: true, fileName: true, uploadedAt: true, appliedAt: true, paidCount: true },
    }),
  ),

  applyStatement: billingOps.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const result = await applyStatement(ctx.db, input.id, ctx.user.id);
    await audit(ctx.db, ctx.meta, {
      action: "billing.statement_applied",
      actorUserId: ctx.user.id,
      details: { statementId: input.id, ...result },
    });
    return result;
  }),

  /** Suspend (contract 4.2.6) or restore a school by hand, with a reason. */
  setAccess: billingOps
    .input(
      z.object({
        schoolId: z.uuid(),
        action: z.enum(["suspend", "restore"]),
        reason: z.string().trim().min(3, "required").max(500, "tooLong"),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      return ctx.db.$transaction(async (tx) => {
        const r = await setAccessByOperator(
          tx,
          input.schoolId,
          input.action === "suspend" ? "suspended" : "restore",
          ctx.user.id,
          input.reason,
        );
        await audit(tx, ctx.meta, {
          action: "billing.access_changed",
          schoolId: input.schoolId,
          actorUserId: ctx.user.id,
          details: { ...r, reason: input.reason },
        });
        return r;
      });
    }),

  tariffs: operatorProcedure().query(async ({ ctx }) => {
    const today = almatyDate(new Date());
    const plans = await ctx.db.tariffPlan.findMany({
      orderBy: { sort: "asc" },
      include: { versions: { orderBy: { version: "desc" } }, _count: { select: { subscriptions: true } } },
    });
    return {
      today,
      earliestEffective: earliestOfferDate(today),
      offered: await plansOffered(ctx.db, today),
      plans: plans.map((p) => ({
        id: p.id,
        code: p.code,
        nameKk: p.nameKk,
        nameRu: p.nameRu,
        archivedAt: p.archivedAt,
        schools: p._count.subscriptions,
        versions: p.versions.map((v) => ({
          id: v.id,
          version: v.version,
          period: v.period,
          priceTiyn: Number(v.priceTiyn),
          maxTrainees: v.maxTrainees,
          maxStaff: v.maxStaff,
          effectiveFrom: isoDay(v.effectiveFrom),
          publishedAt: v.publishedAt,
        })),
      })),
    };
  }),

  /**
   * A new version of a plan: price, period and limits from a date at least 7 calendar days after today
   * (offer 10.2–10.4 — the notice itself is sent by the offer-change work). Invoices for periods starting
   * on or after that date are priced by it.
   */
  publishTariff: operatorProcedure(["super_admin"])
    .input(
      z.object({
        planId: z.uuid(),
        price: tenge,
        period: z.enum(["month", "year"]),
        maxTrainees: limit,
        maxStaff: limit,
        effectiveFrom: isoDate,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const earliest = earliestOfferDate(almatyDate(new Date()));
      if (input.effectiveFrom < earliest)
        throw new AppError(
          "BAD_REQUEST",
          "billing.noticeTooShort",
          { date: earliest.split("-").reverse().join(".") },
          "effectiveFrom",
        );
      return ctx.db.$transaction(async (tx) => {
        const last = await tx.tariffVersion.findFirst({
          where: { planId: input.planId },
          orderBy: { version: "desc" },
        });
        if (!last) throw new AppError("NOT_FOUND", "notFound");
        if (
          await tx.tariffVersion.findFirst({
            where: { planId: input.planId, effectiveFrom: dbDay(input.effectiveFrom) },
            select: { id: true },
          })
        ) {
          throw new AppError("CONFLICT", "billing.sameEffectiveDate", {}, "effectiveFrom");
        }
        const id = randomUUID();
        await tx.tariffVersion.create({
          data: {
            id,
            planId: input.planId,
            version: last.version + 1,
            period: input.period,
            priceTiyn: input.price,
            maxTrainees: input.maxTrainees,
            maxStaff: input.maxStaff,
            effectiveFrom: dbDay(input.effectiveFrom),
            publishedBy: ctx.user.id,
          },
        });
        await audit(tx, ctx.meta, {
          action: "billing.tariff_published",
          actorUserId: ctx.user.id,
          details: {
            planId: input.planId,
            version: last.version + 1,
            priceTiyn: input.price,
            effectiveFrom: input.effectiveFrom,
          },
        });
        // A tariff change is an offer change (10.2): every school user is told now, by the notices fan-out.
        const plan = await tx.tariffPlan.findUniqueOrThrow({ where: { id: input.planId } });
        const summary = (locale: "kk" | "ru") => {
          const t = translator(locale);
          return t("notices:tariff.summary", {
            plan: locale === "kk" ? plan.nameKk : plan.nameRu,
            from: formatTiyn(Number(last.priceTiyn)),
            to: formatTiyn(input.price),
            period: t(`notices:tariff.${input.period}`),
            trainees: input.maxTrainees ?? t("notices:tariff.unlimited"),
            staff: input.maxStaff ?? t("notices:tariff.unlimited"),
          });
        };
        const noticeId = randomUUID();
        await tx.notice.create({
          data: {
            id: noticeId,
            kind: "tariff_change",
            tariffVersionId: id,
            summaryKk: summary("kk"),
            summaryRu: summary("ru"),
          },
        });
        await enqueueFanout(tx, noticeId);
        return { id, version: last.version + 1 };
      });
    }),

  settings: operatorProcedure().query(async ({ ctx }) => {
    const [settings, requisites] = await Promise.all([billingSettings(ctx.db), operatorRequisites(ctx.db)]);
    return { settings, requisites };
  }),

  saveSettings: operatorProcedure(["super_admin"])
    .input(z.object({ settings: billingSettingsSchema, requisites: requisitesSchema }))
    .mutation(async ({ ctx, input }) => {
      const before = await billingSettings(ctx.db);
      await ctx.db.$transaction(async (tx) => {
        await tx.platformSetting.upsert({
          where: { key: "billing" },
          update: { value: input.settings, updatedAt: new Date() },
          create: { key: "billing", value: input.settings },
        });
        await tx.platformSetting.upsert({
          where: { key: "operator_requisites" },
          update: { value: input.requisites, updatedAt: new Date() },
          create: { key: "operator_requisites", value: input.requisites },
        });
        await audit(tx, ctx.meta, {
          action: "settings.changed",
          actorUserId: ctx.user.id,
          details: { billing: { from: before, to: input.settings }, requisites: input.requisites },
        });
      });
      return { ok: true as const };
    }),

  /** The BullMQ queues: counts, and the failed jobs with their errors. */
  queues: operatorProcedure().query(async () => {
    return Promise.all(
      QUEUES.map(async (name) => {
        const queue = q()[name];
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "failed", "completed");
        const failed = await queue.getFailed(0, 19);
        return {
          name,
          counts,
          failed: failed.map((j) => ({
            id: j.id ?? "",
            name: j.name,
            failedReason: j.failedReason?.slice(0, 300) ?? "",
            attemptsMade: j.attemptsMade,
            finishedOn: j.finishedOn ?? null,
          })),
        };
      }),
    );
  }),

  retryJob: operatorProcedure(["super_admin"])
    .input(z.object({ queue: z.enum(QUEUES), jobId: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const job = await q()[input.queue].getJob(input.jobId);
      if (!job || !(await job.isFailed())) throw new AppError("NOT_FOUND", "notFound");
      await job.retry("failed");
      await audit(ctx.db, ctx.meta, {
        action: "billing.job_retried",
        actorUserId: ctx.user.id,
        details: { queue: input.queue, jobId: input.jobId },
      });
      return { ok: true as const };
    }),

  /** Runs today's billing now (the same job the 06:00 scheduler adds; one per day and id). */
  runToday: operatorProcedure(["super_admin", "billing"]).mutation(async ({ ctx }) => {
    const day = almatyDate(new Date());
    await q().billing.add("day", { day }, { jobId: `day-${day}-manual` });
    await audit(ctx.db, ctx.meta, { action: "billing.run_requested", actorUserId: ctx.user.id, details: { day } });
    return { day };
  }),
});

/** For tests and shutdown: close the console's queue connections. */
export async function closeAdminQueues(): Promise<void> {
  if (!queues) return;
  await Promise.all(Object.values(queues).map((x) => x.close()));
  queues = undefined;
}
