// Plans and their versions: what a school can choose, a school changing its plan, and the operator's tariffs
// (the catalogue with every version, and a new version published with 7 days' notice).
import { randomUUID } from "node:crypto";
import { operatorDb, type Tx } from "../db/client.ts";
import type { PrismaClient, TariffVersion } from "../db/generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import type { SchoolCtx } from "../trpc.ts";
import { almatyDate, dbDay, isoDay } from "../../domain/kz/time.ts";
import { formatTiyn, translator } from "../../domain/i18n/index.ts";
import { announce } from "../notices/fanout.ts";
import { earliestOfferDate } from "../notices/offers.ts";
import { addCredit } from "./credit.ts";
import { issueNextInvoice, lockSchool, versionAt } from "./ledger.ts";
import { usage } from "./limits.ts";
import { billingSettings } from "./settings.ts";

type Actor = { id: string };

/** A plan version's terms: period, price (in tiyn, as a number), limits and the day it takes effect. */
function versionTerms(
  v: Pick<TariffVersion, "version" | "period" | "priceTiyn" | "maxTrainees" | "maxStaff" | "effectiveFrom">,
) {
  return {
    version: v.version,
    period: v.period,
    priceTiyn: Number(v.priceTiyn),
    maxTrainees: v.maxTrainees,
    maxStaff: v.maxStaff,
    effectiveFrom: isoDay(v.effectiveFrom),
  };
}

/** The plans a school can choose, each with the version in force today and the next announced one. */
export async function plansOffered(db: Pick<Tx, "tariffPlan">, today: string) {
  const plans = await db.tariffPlan.findMany({
    where: { archivedAt: null },
    orderBy: { sort: "asc" },
    include: { versions: { orderBy: { effectiveFrom: "asc" } } },
  });
  return plans.map((p) => {
    const current = [...p.versions].reverse().find((v) => isoDay(v.effectiveFrom) <= today) ?? p.versions[0]!;
    const upcoming = p.versions.find((v) => isoDay(v.effectiveFrom) > today) ?? null;
    return {
      id: p.id,
      code: p.code,
      nameKk: p.nameKk,
      nameRu: p.nameRu,
      current: versionTerms(current),
      upcoming: upcoming ? versionTerms(upcoming) : null,
    };
  });
}

/**
 * Another plan: limits change at once; the price applies from the next invoice. An unpaid invoice for a
 * period not yet begun is re-issued at the new price. A plan too small for the school's trainees or
 * staff is refused with the numbers. The change itself runs on the operator role, under the school's lock.
 */
export async function changePlan(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  meta: RequestMeta,
  input: { planId: string },
): Promise<{ from: string; to: string }> {
  const today = almatyDate(new Date());
  const plan = await tx.tariffPlan.findFirst({ where: { id: input.planId, archivedAt: null } });
  if (!plan) throw new AppError("NOT_FOUND", "notFound");
  const v = await versionAt(tx, plan.id, today);
  const u = await usage(tx);
  if (v.maxTrainees !== null && u.trainees > v.maxTrainees)
    throw new AppError("CONFLICT", "billing.planTooSmallTrainees", { max: v.maxTrainees, used: u.trainees });
  if (v.maxStaff !== null && u.staff > v.maxStaff)
    throw new AppError("CONFLICT", "billing.planTooSmallStaff", { max: v.maxStaff, used: u.staff });
  const before = await operatorDb().$transaction(async (otx) => {
    await lockSchool(otx, school.id);
    const sub = await otx.subscription.findUniqueOrThrow({ where: { schoolId: school.id } });
    if (sub.planId === plan.id) throw new AppError("CONFLICT", "billing.samePlan");
    await otx.subscription.update({ where: { schoolId: school.id }, data: { planId: plan.id } });
    const upcoming = await otx.invoice.findMany({
      where: { schoolId: school.id, status: "open", periodStart: { gt: dbDay(today) }, payments: { none: {} } },
    });
    for (const inv of upcoming) {
      // The credit taken off it goes back to the balance, and comes off the re-issued invoice.
      await addCredit(otx, {
        key: `void:${inv.id}`,
        schoolId: school.id,
        kind: "applied",
        amountTiyn: Number(inv.creditTiyn),
        invoiceId: inv.id,
      });
      await otx.invoice.update({ where: { id: inv.id }, data: { status: "void", voidedReason: "plan changed" } });
      await issueNextInvoice(
        otx,
        school.id,
        // biome-ignore lint/complexity/useMathMinMax: the later of two ISO dates, compared as strings
        isoDay(inv.issuedOn) > today ? isoDay(inv.issuedOn) : today,
        await billingSettings(otx),
      );
    }
    await audit(otx, meta, {
      action: "billing.plan_changed",
      schoolId: school.id,
      actorUserId: actor.id,
      details: { from: sub.planId, to: plan.id },
    });
    return sub.planId;
  });
  return { from: before, to: plan.id };
}

/** The operator's tariffs: every plan with all its versions and how many schools are on it, and what schools are offered today. */
export async function tariffCatalogue(db: Tx) {
  const today = almatyDate(new Date());
  const plans = await db.tariffPlan.findMany({
    orderBy: { sort: "asc" },
    include: { versions: { orderBy: { version: "desc" } }, _count: { select: { subscriptions: true } } },
  });
  return {
    today,
    earliestEffective: earliestOfferDate(today),
    offered: await plansOffered(db, today),
    plans: plans.map((p) => ({
      id: p.id,
      code: p.code,
      nameKk: p.nameKk,
      nameRu: p.nameRu,
      archivedAt: p.archivedAt,
      schools: p._count.subscriptions,
      versions: p.versions.map((v) => ({ id: v.id, ...versionTerms(v), publishedAt: v.publishedAt })),
    })),
  };
}

/**
 * A new version of a plan: price, period and limits from a date at least 7 calendar days after today
 * (offer 10.2–10.4 — the notice itself is sent by the offer-change work). Invoices for periods starting
 * on or after that date are priced by it.
 */
export async function publishTariff(
  db: PrismaClient,
  actor: Actor,
  meta: RequestMeta,
  input: {
    planId: string;
    price: number;
    period: "month" | "year";
    maxTrainees: number | null;
    maxStaff: number | null;
    effectiveFrom: string;
  },
) {
  const earliest = earliestOfferDate(almatyDate(new Date()));
  if (input.effectiveFrom < earliest)
    throw new AppError(
      "BAD_REQUEST",
      "billing.noticeTooShort",
      { date: earliest.split("-").reverse().join(".") },
      "effectiveFrom",
    );
  return db.$transaction(async (tx) => {
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
        publishedBy: actor.id,
      },
    });
    await audit(tx, meta, {
      action: "billing.tariff_published",
      actorUserId: actor.id,
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
    await announce(tx, {
      kind: "tariff_change",
      tariffVersionId: id,
      summaryKk: summary("kk"),
      summaryRu: summary("ru"),
    });
    return { id, version: last.version + 1 };
  });
}
