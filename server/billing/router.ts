// The school's billing page (director): the plan and access period, invoices, payments and acts, paying
// by card (Stripe Checkout) or by bank transfer against an invoice, and changing the plan. These
// procedures work in every access state — a suspended school can always reach billing and pay.
import { z } from "zod";
import { operatorDb } from "../db/client.ts";
import { router, schoolProcedure } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { audit } from "../audit/log.ts";
import { config } from "../config.ts";
import { logger } from "../log.ts";
import { addDays, almatyDate, dbDay, isoDay } from "../../domain/kz/time.ts";
import { recordReading } from "../documents/cabinet.ts";
import { billingSettings, operatorRequisites } from "./settings.ts";
import { issueNextInvoice, lockSchool, versionAt } from "./ledger.ts";
import { planLimits, usage } from "./limits.ts";
import { createCheckoutSession } from "./stripe.ts";
import { invoiceDocument } from "./invoice-doc.ts";
import { nextPeriod } from "./rules.ts";
import { DIRECTOR } from "../../domain/roles.ts";
import type { FileDownload } from "../../domain/files.ts";

const billingProcedure = schoolProcedure(DIRECTOR, { always: true });
const idInput = z.object({ id: z.uuid() });

/** The plans a school can choose, each with the version in force today and the next announced one. */
export async function plansOffered(db: Pick<ReturnType<typeof operatorDb>, "tariffPlan">, today: string) {
  const plans = await db.tariffPlan.findMany({
    where: { archivedAt: null },
    orderBy: { sort: "asc" },
    include: { versions: { orderBy: { effectiveFrom: "asc" } } },
  });
  return plans.map((p) => {
    const current = [...p.versions].reverse().find((v) => isoDay(v.effectiveFrom) <= today) ?? p.versions[0]!;
    const upcoming = p.versions.find((v) => isoDay(v.effectiveFrom) > today) ?? null;
    const shape = (v: typeof current) => ({
      version: v.version,
      period: v.period,
      priceTiyn: Number(v.priceTiyn),
      maxTrainees: v.maxTrainees,
      maxStaff: v.maxStaff,
      effectiveFrom: isoDay(v.effectiveFrom),
    });
    return {
      id: p.id,
      code: p.code,
      nameKk: p.nameKk,
      nameRu: p.nameRu,
      current: shape(current),
      upcoming: upcoming ? shape(upcoming) : null,
    };
  });
}

export const billingRouter = router({
  overview: billingProcedure.query(async ({ ctx }) => {
    const today = almatyDate(new Date());
    const [sub, invoices, payments, documents, u, limits, settings, plans, requisites] = await Promise.all([
      ctx.db.subscription.findUnique({ where: { schoolId: ctx.school.id } }),
      ctx.db.invoice.findMany({
        orderBy: { periodStart: "desc" },
        take: 36,
        include: { plan: { select: { nameKk: true, nameRu: true } } },
      }),
      ctx.db.payment.findMany({
        orderBy: { createdAt: "desc" },
        take: 36,
        include: { invoice: { select: { number: true } } },
      }),
      ctx.db.schoolDocument.findMany({
        orderBy: { createdAt: "desc" },
        take: 36,
        select: {
          id: true,
          kind: true,
          number: true,
          titleKk: true,
          titleRu: true,
          createdAt: true,
          firstReadAt: true,
        },
      }),
      usage(ctx.db),
      planLimits(ctx.db, ctx.school.id),
      billingSettings(ctx.db),
      plansOffered(ctx.db, today),
      operatorRequisites(ctx.db),
    ]);
    if (!sub) throw new AppError("NOT_FOUND", "notFound");
    const paidThrough = isoDay(sub.paidThrough);
    const period = nextPeriod(paidThrough, "month");
    const open = invoices.filter((i) => i.status === "open");
    const debtTiyn = open.filter((i) => isoDay(i.dueOn) < today).reduce((s, i) => s + Number(i.amountTiyn), 0);
    return {
      today,
      status: ctx.school.status,
      planId: sub.planId,
      paidThrough,
      trialEndsAt: ctx.school.trialEndsAt,
      nextInvoiceOn: open.some((i) => isoDay(i.periodStart) === period.start)
        ? null
        : addDays(period.start, -settings.invoiceDaysBefore),
      debtTiyn,
      usage: { trainees: u.trainees, staff: u.staff + u.pendingInvites },
      limits,
      plans,
      requisites,
      invoices: invoices.map((i) => ({
        id: i.id,
        number: i.number,
        status: i.status,
        amountTiyn: Number(i.amountTiyn),
        vatRateBp: i.vatRateBp,
        periodStart: isoDay(i.periodStart),
        periodEnd: isoDay(i.periodEnd),
        issuedOn: isoDay(i.issuedOn),
        dueOn: isoDay(i.dueOn),
        paidAt: i.paidAt,
        planKk: i.plan.nameKk,
        planRu: i.plan.nameRu,
        overdue: i.status === "open" && isoDay(i.dueOn) < today,
      })),
      payments: payments.map((p) => ({
        id: p.id,
        method: p.method,
        amountTiyn: Number(p.amountTiyn),
        refundedTiyn: Number(p.refundedTiyn),
        receivedOn: isoDay(p.receivedOn),
        invoiceNumber: p.invoice.number,
      })),
      documents,
    };
  }),

  /** Pay ahead: issues the next period's invoice now instead of waiting for the daily run. */
  issueInvoice: billingProcedure.mutation(async ({ ctx }) => {
    const today = almatyDate(new Date());
    const result = await operatorDb().$transaction(async (tx) => {
      await lockSchool(tx, ctx.school.id);
      const open = await tx.invoice.findFirst({
        where: { schoolId: ctx.school.id, status: "open" },
        orderBy: { dueOn: "asc" },
        select: { id: true, number: true },
      });
      if (open) return { ...open, created: false };
      return issueNextInvoice(tx, ctx.school.id, today, await billingSettings(tx));
    });
    return { id: result.id, number: result.number, created: result.created };
  }),

  /** Card payment: a Stripe Checkout session for an open invoice; the webhook, not the redirect, confirms it. */
  checkout: billingProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    const inv = await ctx.db.invoice.findUnique({ where: { id: input.id }, include: { plan: true } });
    if (!inv) throw new AppError("NOT_FOUND", "notFound");
    if (inv.status !== "open") throw new AppError("CONFLICT", "billing.invoiceNotOpen");
    const base = `${config().publicUrl}/s/${ctx.school.slug}/billing`;
    const session = await createCheckoutSession({
      invoiceId: inv.id,
      invoiceNumber: inv.number,
      schoolId: ctx.school.id,
      amountTiyn: Number(inv.amountTiyn),
      description: `Avtomektep — ${inv.plan.nameRu}, ${isoDay(inv.periodStart)} – ${isoDay(inv.periodEnd)} (${inv.number})`,
      customerEmail: ctx.user.email,
      locale: ctx.locale,
      successUrl: `${base}?paid=${inv.id}`,
      cancelUrl: base,
    }).catch((err: unknown) => {
      logger.warn({ err, invoice: inv.number }, "stripe checkout session not created");
      throw new AppError("BAD_REQUEST", "billing.cardUnavailable");
    });
    return { url: session.url };
  }),

  invoicePdf: billingProcedure.input(idInput).query(async ({ ctx, input }): Promise<FileDownload> => {
    const inv = await ctx.db.invoice.findUnique({ where: { id: input.id }, include: { plan: true } });
    if (!inv) throw new AppError("NOT_FOUND", "notFound");
    return invoiceDocument(inv);
  }),

  /** An act (or any document of the cabinet); its first opening is recorded (offer 10.8). */
  document: billingProcedure.input(idInput).query(async ({ ctx, input }): Promise<FileDownload> => {
    const doc = await ctx.db.schoolDocument.findUnique({ where: { id: input.id } });
    if (!doc) throw new AppError("NOT_FOUND", "notFound");
    await recordReading(ctx.db, doc.id, ctx.school.id, ctx.user.id);
    return {
      fileName: doc.fileName,
      contentType: doc.contentType,
      base64: Buffer.from(doc.content).toString("base64"),
    };
  }),

  /**
   * Another plan: limits change at once; the price applies from the next invoice. An unpaid invoice for a
   * period not yet begun is re-issued at the new price. A plan too small for the school's trainees or
   * staff is refused with the numbers.
   */
  changePlan: billingProcedure.input(z.object({ planId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const today = almatyDate(new Date());
    const plan = await ctx.db.tariffPlan.findFirst({ where: { id: input.planId, archivedAt: null } });
    if (!plan) throw new AppError("NOT_FOUND", "notFound");
    const v = await versionAt(ctx.db, plan.id, today);
    const u = await usage(ctx.db);
    if (v.maxTrainees !== null && u.trainees > v.maxTrainees)
      throw new AppError("CONFLICT", "billing.planTooSmallTrainees", { max: v.maxTrainees, used: u.trainees });
    if (v.maxStaff !== null && u.staff > v.maxStaff)
      throw new AppError("CONFLICT", "billing.planTooSmallStaff", { max: v.maxStaff, used: u.staff });
    const before = await operatorDb().$transaction(async (tx) => {
      await lockSchool(tx, ctx.school.id);
      const sub = await tx.subscription.findUniqueOrThrow({ where: { schoolId: ctx.school.id } });
      if (sub.planId === plan.id) throw new AppError("CONFLICT", "billing.samePlan");
      await tx.subscription.update({ where: { schoolId: ctx.school.id }, data: { planId: plan.id } });
      const upcoming = await tx.invoice.findMany({
        where: { schoolId: ctx.school.id, status: "open", periodStart: { gt: dbDay(today) }, payments: { none: {} } },
      });
      for (const inv of upcoming) {
        await tx.invoice.update({ where: { id: inv.id }, data: { status: "void", voidedReason: "plan changed" } });
        await issueNextInvoice(
          tx,
          ctx.school.id,
          // biome-ignore lint/complexity/useMathMinMax: the later of two ISO dates, compared as strings
          isoDay(inv.issuedOn) > today ? isoDay(inv.issuedOn) : today,
          await billingSettings(tx),
        );
      }
      await audit(tx, ctx.meta, {
        action: "billing.plan_changed",
        schoolId: ctx.school.id,
        actorUserId: ctx.user.id,
        details: { from: sub.planId, to: plan.id },
      });
      return sub.planId;
    });
    return { from: before, to: plan.id };
  }),
});
