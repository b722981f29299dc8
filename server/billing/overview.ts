// The school's billing page in one read: plan and access period, debt, usage against the plan's limits, the
// plans on offer, the operator's requisites, and the latest invoices, payments and documents.
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { documentRowSelect } from "../documents/cabinet.ts";
import type { SchoolCtx } from "../trpc.ts";
import { addDays, almatyDate, isoDay } from "../../domain/kz/time.ts";
import { creditBalance, invoicesReceived, leftToPay } from "./credit.ts";
import { planLimits, usage } from "./limits.ts";
import { plansOffered } from "./plans.ts";
import { planChoicesOf } from "./plan-change.ts";
import { nextPeriod } from "./rules.ts";
import { billingSettings, operatorRequisites } from "./settings.ts";

export async function billingOverview(tx: Tx, school: SchoolCtx) {
  const today = almatyDate(new Date());
  const [sub, invoices, payments, documents, u, limits, settings, plans, requisites, choices] = await Promise.all([
    tx.subscription.findUnique({ where: { schoolId: school.id } }),
    tx.invoice.findMany({
      orderBy: { periodStart: "desc" },
      take: 36,
      include: {
        plan: { select: { nameKk: true, nameRu: true } },
        planChange: { select: { fromPlan: { select: { nameKk: true, nameRu: true } } } },
      },
    }),
    tx.payment.findMany({
      orderBy: { createdAt: "desc" },
      take: 36,
      include: { invoice: { select: { number: true } } },
    }),
    tx.schoolDocument.findMany({
      orderBy: { createdAt: "desc" },
      take: 36,
      select: { ...documentRowSelect, createdAt: true },
    }),
    usage(tx),
    planLimits(tx, school.id),
    billingSettings(tx),
    plansOffered(tx, today),
    operatorRequisites(tx),
    planChoicesOf(tx, school.id),
  ]);
  if (!sub) throw new AppError("NOT_FOUND", "notFound");
  const paidThrough = isoDay(sub.paidThrough);
  const period = nextPeriod(paidThrough, "month");
  const open = invoices.filter((i) => i.status === "open");
  const overdue = open.filter((i) => isoDay(i.dueOn) < today);
  const received = await invoicesReceived(
    tx,
    overdue.map((i) => i.id),
  );
  const debtTiyn = overdue.reduce((s, i) => s + leftToPay(i, received.get(i.id) ?? 0), 0);
  return {
    today,
    status: school.status,
    planId: sub.planId,
    paidThrough,
    trialEndsAt: school.trialEndsAt,
    nextInvoiceOn: open.some((i) => isoDay(i.periodStart) === period.start)
      ? null
      : addDays(period.start, -settings.invoiceDaysBefore),
    debtTiyn,
    creditTiyn: await creditBalance(tx, school.id),
    usage: { trainees: u.trainees, staff: u.staff + u.pendingInvites },
    limits,
    plans,
    /** the change waiting, and each other plan's cost and start (ADR 043) */
    planChange: { waiting: choices.waiting, quotes: choices.quotes },
    requisites,
    invoices: invoices.map((i) => ({
      id: i.id,
      number: i.number,
      status: i.status,
      amountTiyn: Number(i.amountTiyn),
      creditTiyn: Number(i.creditTiyn),
      vatRateBp: i.vatRateBp,
      periodStart: isoDay(i.periodStart),
      periodEnd: isoDay(i.periodEnd),
      issuedOn: isoDay(i.issuedOn),
      dueOn: isoDay(i.dueOn),
      paidAt: i.paidAt,
      planKk: i.plan.nameKk,
      planRu: i.plan.nameRu,
      /** an upgrade's invoice: the plan it moved from (ADR 043) */
      upgradeFrom: i.planChange?.fromPlan ?? null,
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
}
