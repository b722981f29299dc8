// Plans and their versions: what a school can choose, a school changing its plan, and the operator's tariffs
// (the catalogue with every version, and a new version published with 7 days' notice).
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import type { PrismaClient, TariffVersion } from "../db/generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import type { SchoolCtx } from "../trpc.ts";
import { almatyDate, dbDay, isoDay } from "../../domain/kz/time.ts";
import { formatTiyn, translator } from "../../domain/i18n/index.ts";
import { announce } from "../notices/fanout.ts";
import { earliestOfferDate } from "../notices/offers.ts";
import { changeSchoolPlan } from "./plan-change.ts";

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

/** Another plan, chosen by the school's director (plan-change.ts, ADR 043). */
export function changePlan(school: SchoolCtx, actor: Actor, meta: RequestMeta, input: { planId: string }) {
  return changeSchoolPlan(school.id, actor, meta, input);
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
