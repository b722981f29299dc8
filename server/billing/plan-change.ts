// A school changing its plan (docs/decisions/043-plan-changes.md). What a change costs and when it takes effect
// depends on the days already invoiced ahead of today:
// - none (trial days, nothing invoiced from today on): the plan changes at once and costs nothing;
// - a dearer plan (an upgrade): the plan changes at once, and the difference between the two plans' prices for
//   the days from today to the end of what is invoiced is charged at once, pro rata by days, by an invoice of its
//   own;
// - a cheaper plan (a downgrade): the days paid stay on the current plan; the change waits for the first day not
//   yet invoiced, and the billing day switches the plan then. That period's invoice is priced by the new plan.
// An unpaid invoice for a period not yet begun is re-issued at the new price. The operator changes a plan by the
// same rules, with a reason the school is told. Every change is recorded (plan_change), audited and e-mailed.
import { randomUUID } from "node:crypto";
import { inScope, operatorDb, type Tx } from "../db/client.ts";
import type { PrismaClient, TariffVersion } from "../db/generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { addDays, almatyDate, daysBetween, dbDay, isoDay } from "../../domain/kz/time.ts";
import { addCredit } from "./credit.ts";
import { issueChangeInvoice, issueNextInvoice, lockSchool } from "./ledger.ts";
import { usage } from "./limits.ts";
import { notifyDirectors } from "./notices.ts";
import { nextPeriod, type Period } from "./rules.ts";
import { billingSettings } from "./settings.ts";

export type PlanChangeKind = "now" | "upgrade" | "downgrade";
export type PlanChangeQuote = {
  kind: PlanChangeKind;
  /** the day the new plan takes effect */
  effectiveOn: string;
  /** an upgrade's charge, in tiyn, for the days `chargeFrom`–`chargeTo` */
  chargeTiyn: number;
  chargeFrom: string | null;
  chargeTo: string | null;
};

type Span = { start: string; end: string };
type Price = { period: Period; priceTiyn: number };

const days = (s: Span) => daysBetween(s.start, s.end) + 1;
/** The later of two ISO dates. */
const later = (a: string, b: string) => [a, b].sort()[1]!;

/**
 * A plan's price for one of the school's invoiced periods: the plan's price when its own period is as long, else
 * its price scaled by days (a yearly plan's price for a month is its price × the month's days / the year's days).
 */
export function periodPrice(price: Price, span: Span): number {
  const own = nextPeriod(addDays(span.start, -1), price.period);
  return days(own) === days(span) ? price.priceTiyn : Math.round((price.priceTiyn * days(span)) / days(own));
}

/**
 * What changing from one plan to another costs and when it takes effect (pure). `ahead` are the periods invoiced
 * (paid, or begun and unpaid) that end today or later; `price` gives each plan's price in force on a day.
 */
export function quoteChange(input: {
  today: string;
  ahead: Span[];
  current: (on: string) => Price;
  target: (on: string) => Price;
}): PlanChangeQuote {
  const { today } = input;
  const ahead = input.ahead.filter((p) => p.end >= today).sort((a, b) => (a.start < b.start ? -1 : 1));
  const now: PlanChangeQuote = { kind: "now", effectiveOn: today, chargeTiyn: 0, chargeFrom: null, chargeTo: null };
  const first = ahead[0];
  if (!first) return now;
  const cheaper = periodPrice(input.target(first.start), first) < periodPrice(input.current(first.start), first);
  const last = ahead.at(-1)!;
  if (cheaper) return { ...now, kind: "downgrade", effectiveOn: addDays(last.end, 1) };
  let charge = 0;
  for (const p of ahead) {
    const from = later(p.start, today);
    const difference = periodPrice(input.target(p.start), p) - periodPrice(input.current(p.start), p);
    charge += Math.round((difference * days({ start: from, end: p.end })) / days(p));
  }
  if (charge <= 0) return now;
  const from = later(first.start, today);
  return { kind: "upgrade", effectiveOn: today, chargeTiyn: charge, chargeFrom: from, chargeTo: last.end };
}

function priceOn(versions: TariffVersion[], planId: string) {
  const mine = versions.filter((v) => v.planId === planId);
  return (on: string): Price => {
    const v = [...mine].reverse().find((x) => isoDay(x.effectiveFrom) <= on) ?? mine[0]!;
    return { period: v.period, priceTiyn: Number(v.priceTiyn) };
  };
}

/**
 * The school's invoices that matter to a change: the periods invoiced ahead (paid, or begun), and the unpaid ones
 * for periods not yet begun with nothing received, which a change re-issues.
 */
async function invoicedAhead(tx: Tx, schoolId: string, today: string) {
  const invoices = await tx.invoice.findMany({
    where: { schoolId, status: { not: "void" }, planChangeId: null, periodEnd: { gte: dbDay(today) } },
    select: {
      id: true,
      status: true,
      periodStart: true,
      periodEnd: true,
      issuedOn: true,
      creditTiyn: true,
      _count: { select: { payments: true } },
    },
    orderBy: { periodStart: "asc" },
  });
  const reissue = invoices.filter(
    (i) => i.status === "open" && isoDay(i.periodStart) > today && i._count.payments === 0,
  );
  const kept = invoices.filter((i) => !reissue.includes(i));
  return {
    ahead: kept.map((i) => ({ start: isoDay(i.periodStart), end: isoDay(i.periodEnd) })),
    reissue,
  };
}

/**
 * A school's plan choices: its plan, the change waiting (a downgrade from a later day), and for every other plan
 * on offer what changing to it costs and from when. Read through the school's RLS transaction (billing page) or
 * the operator's client (the school's card).
 */
export async function planChoicesOf(tx: Tx, schoolId: string) {
  const today = almatyDate(new Date());
  const [sub, waiting, { ahead }, versions, plans] = await Promise.all([
    tx.subscription.findUnique({ where: { schoolId }, select: { planId: true } }),
    tx.planChange.findFirst({
      where: { schoolId, appliedAt: null, cancelledAt: null },
      select: { toPlanId: true, effectiveOn: true, byOperator: true, reason: true },
    }),
    invoicedAhead(tx, schoolId, today),
    tx.tariffVersion.findMany({ orderBy: { effectiveFrom: "asc" } }),
    tx.tariffPlan.findMany({
      where: { archivedAt: null },
      select: { id: true, nameKk: true, nameRu: true },
      orderBy: { sort: "asc" },
    }),
  ]);
  if (!sub) throw new AppError("NOT_FOUND", "notFound");
  const current = priceOn(versions, sub.planId);
  return {
    planId: sub.planId,
    plans,
    waiting: waiting
      ? {
          toPlanId: waiting.toPlanId,
          effectiveOn: isoDay(waiting.effectiveOn),
          byOperator: waiting.byOperator,
          reason: waiting.reason,
        }
      : null,
    quotes: Object.fromEntries(
      plans
        .filter((p) => p.id !== sub.planId && versions.some((v) => v.planId === p.id))
        .map((p) => [p.id, quoteChange({ today, ahead, current, target: priceOn(versions, p.id) })]),
    ) as Record<string, PlanChangeQuote>,
  };
}

/** The operator's school card: {@link planChoicesOf} on the operator's client. */
export function schoolPlanChoices(db: PrismaClient, schoolId: string) {
  return db.$transaction((tx) => planChoicesOf(tx, schoolId));
}

export type ChangeResult = PlanChangeQuote & {
  from: string;
  to: string;
  invoice: { id: string; number: string } | null;
  cancelled: boolean;
};

/**
 * Changes a school's plan, by its director or by the operator (who gives a reason). Choosing the current plan
 * while a downgrade waits cancels that downgrade. A plan too small for the school's trainees or staff today is
 * refused with the numbers. Runs on the operator role, under the school's lock; the caller audits nothing more.
 */
export async function changeSchoolPlan(
  schoolId: string,
  actor: { id: string },
  meta: RequestMeta,
  input: { planId: string; reason?: string; byOperator?: boolean },
): Promise<ChangeResult> {
  const today = almatyDate(new Date());
  const plan = await operatorDb().tariffPlan.findFirst({ where: { id: input.planId, archivedAt: null } });
  if (!plan) throw new AppError("NOT_FOUND", "notFound");
  const u = await inScope({ schoolId }, (tx) => usage(tx));
  return operatorDb().$transaction(async (tx) => {
    if (!(await lockSchool(tx, schoolId))) throw new AppError("NOT_FOUND", "notFound");
    const sub = await tx.subscription.findUnique({ where: { schoolId } });
    if (!sub) throw new AppError("NOT_FOUND", "notFound");
    const waiting = await tx.planChange.findFirst({ where: { schoolId, appliedAt: null, cancelledAt: null } });
    if (sub.planId === plan.id && !waiting) throw new AppError("CONFLICT", "billing.samePlan");
    if (waiting?.toPlanId === plan.id) throw new AppError("CONFLICT", "billing.planChangeWaiting");
    if (waiting) await tx.planChange.update({ where: { id: waiting.id }, data: { cancelledAt: new Date() } });
    const base = { from: sub.planId, to: plan.id, invoice: null };
    const current = await tx.tariffPlan.findUniqueOrThrow({ where: { id: sub.planId } });
    if (sub.planId === plan.id) {
      // back to the plan in force: the waiting downgrade is off, and an invoice it priced is priced again
      const { reissue } = await invoicedAhead(tx, schoolId, today);
      await reissueFrom(tx, schoolId, actor.id, reissue, isoDay(waiting!.effectiveOn), today);
      const dropped = await tx.tariffPlan.findUniqueOrThrow({ where: { id: waiting!.toPlanId } });
      await audit(tx, meta, {
        action: "billing.plan_change_cancelled",
        schoolId,
        actorUserId: actor.id,
        details: { ...names(dropped, plan), reason: input.reason ?? null },
      });
      await notifyDirectors(tx, schoolId, `plan-change-${waiting!.id}-cancelled`, "planChangeCancelled", {
        ...names(dropped, plan),
        ...operatorNote(input),
      });
      return {
        ...base,
        kind: "now",
        effectiveOn: today,
        chargeTiyn: 0,
        chargeFrom: null,
        chargeTo: null,
        cancelled: true,
      };
    }

    const version = await tx.tariffVersion.findFirst({
      where: { planId: plan.id, effectiveFrom: { lte: dbDay(today) } },
      orderBy: { effectiveFrom: "desc" },
    });
    if (version?.maxTrainees != null && u.trainees > version.maxTrainees)
      throw new AppError("CONFLICT", "billing.planTooSmallTrainees", { max: version.maxTrainees, used: u.trainees });
    if (version?.maxStaff != null && u.staff > version.maxStaff)
      throw new AppError("CONFLICT", "billing.planTooSmallStaff", { max: version.maxStaff, used: u.staff });

    const [{ ahead, reissue }, versions] = await Promise.all([
      invoicedAhead(tx, schoolId, today),
      tx.tariffVersion.findMany({
        where: { planId: { in: [sub.planId, plan.id] } },
        orderBy: { effectiveFrom: "asc" },
      }),
    ]);
    const quote = quoteChange({
      today,
      ahead,
      current: priceOn(versions, sub.planId),
      target: priceOn(versions, plan.id),
    });
    const id = randomUUID();
    await tx.planChange.create({
      data: {
        id,
        schoolId,
        fromPlanId: sub.planId,
        toPlanId: plan.id,
        kind: quote.kind,
        effectiveOn: dbDay(quote.effectiveOn),
        chargeTiyn: quote.chargeTiyn,
        byOperator: input.byOperator ?? false,
        actorUserId: actor.id,
        reason: input.reason ?? null,
        appliedAt: quote.kind === "downgrade" ? null : new Date(),
      },
    });
    if (quote.kind !== "downgrade") await tx.subscription.update({ where: { schoolId }, data: { planId: plan.id } });
    let invoice: { id: string; number: string } | null = null;
    if (quote.kind === "upgrade")
      invoice = await issueChangeInvoice(tx, {
        schoolId,
        planChangeId: id,
        planId: plan.id,
        period: { start: quote.chargeFrom!, end: quote.chargeTo! },
        amountTiyn: quote.chargeTiyn,
        today,
      });
    await reissueFrom(tx, schoolId, actor.id, reissue, quote.effectiveOn, today);
    await audit(tx, meta, {
      action: input.byOperator ? "billing.plan_changed_by_operator" : "billing.plan_changed",
      schoolId,
      actorUserId: actor.id,
      details: {
        ...names(current, plan),
        effectiveOn: quote.effectiveOn,
        amountTiyn: quote.chargeTiyn,
        invoice: invoice?.number ?? null,
        ...(input.byOperator ? { reason: input.reason } : {}),
      },
    });
    await notifyDirectors(tx, schoolId, `plan-change-${id}`, NOTICE[quote.kind], {
      ...names(current, plan),
      ...operatorNote(input),
      effectiveOn: quote.effectiveOn,
      amount: quote.chargeTiyn,
      from: quote.chargeFrom,
      to: quote.chargeTo,
      number: invoice?.number ?? "",
    });
    return { ...base, ...quote, invoice, cancelled: false };
  });
}

/** Unpaid invoices for periods from `from` on are issued again at the price then in force, keeping their credit. */
async function reissueFrom(
  tx: Tx,
  schoolId: string,
  actorId: string,
  reissue: Awaited<ReturnType<typeof invoicedAhead>>["reissue"],
  from: string,
  today: string,
) {
  const settings = await billingSettings(tx);
  for (const inv of reissue.filter((i) => isoDay(i.periodStart) >= from)) {
    await addCredit(tx, {
      key: `void:${inv.id}`,
      schoolId,
      kind: "applied",
      amountTiyn: Number(inv.creditTiyn),
      invoiceId: inv.id,
    });
    await tx.invoice.update({
      where: { id: inv.id },
      data: { status: "void", voidedReason: "plan changed", voidedAt: new Date(), voidedBy: actorId },
    });
    await issueNextInvoice(tx, schoolId, later(isoDay(inv.issuedOn), today), settings);
  }
}

const NOTICE = { now: "planChanged", upgrade: "planUpgraded", downgrade: "planDowngradeScheduled" } as const;

type Named = { nameKk: string; nameRu: string };
/** The plan moved from (`was`) and to (`plan`), in both languages; each reader gets theirs. */
const names = (from: Named, to: Named) => ({
  wasKk: from.nameKk,
  wasRu: from.nameRu,
  planKk: to.nameKk,
  planRu: to.nameRu,
});

/** The operator's change says so, with the reason, in each language (a sentence of the e-mail, empty otherwise). */
function operatorNote(input: { reason?: string; byOperator?: boolean }) {
  if (!input.byOperator || !input.reason) return { noteKk: "", noteRu: "" };
  return {
    noteKk: `Тарифті Avtomektep операторы өзгертті. Себебі: ${input.reason}\n\n`,
    noteRu: `Тариф изменил оператор Avtomektep. Причина: ${input.reason}\n\n`,
  };
}

/** The billing day on a waiting downgrade's first day: the subscription moves to the new plan. */
export async function applyPendingChange(tx: Tx, schoolId: string, pending: { id: string; toPlanId: string }) {
  const done = await tx.planChange.updateMany({
    where: { id: pending.id, appliedAt: null, cancelledAt: null },
    data: { appliedAt: new Date() },
  });
  if (done.count === 1) await tx.subscription.update({ where: { schoolId }, data: { planId: pending.toPlanId } });
}
