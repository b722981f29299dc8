// Platform settings the operator controls; for now the trial length new schools get.
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import type { Tx } from "../db/client.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { trialDays } from "../signup/service.ts";

/** The settings page: the trial length in days. */
export async function platformSettings(db: Tx) {
  return { trialDays: await trialDays(db) };
}

/** Sets the trial length of schools signing up from now on; the change is audited with its old value. */
export async function setTrialDays(db: PrismaClient, actor: { id: string }, days: number, meta: RequestMeta) {
  const before = await trialDays(db);
  await db.$transaction(async (tx) => {
    await tx.platformSetting.upsert({
      where: { key: "trial_days" },
      update: { value: days, updatedAt: new Date() },
      create: { key: "trial_days", value: days },
    });
    await audit(tx, meta, {
      action: "settings.changed",
      actorUserId: actor.id,
      details: { trialDays: { from: before, to: days } },
    });
  });
  return { ok: true as const };
}
