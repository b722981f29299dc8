// The operator's billing settings and requisites, kept in platform_setting and edited in the console.
import { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { billingSettingsSchema, DEFAULT_BILLING, type BillingSettings } from "./rules.ts";
import type { Requisites } from "./documents.ts";
import { validateBin } from "../../domain/kz/iin.ts";
import { config } from "../config.ts";

type Db = Pick<Tx, "platformSetting">;

export const requisitesSchema = z.object({
  name: z.string().trim().min(2, "required").max(300, "tooLong"),
  bin: z
    .string()
    .trim()
    .refine((v) => validateBin(v).ok, "billing.bin"),
  kbe: z.string().regex(/^\d{2}$/, "invalid"),
  address: z.string().trim().min(5, "required").max(300, "tooLong"),
  email: z.email("email"),
  banks: z
    .array(
      z.object({
        name: z.string().trim().min(2, "required").max(200, "tooLong"),
        iik: z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^KZ[0-9A-Z]{18}$/, "billing.iik"),
        bik: z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^[A-Z0-9]{8}$/, "billing.bik"),
      }),
    )
    .min(1, "required")
    .max(4, "invalid"),
});

export async function billingSettings(db: Db): Promise<BillingSettings> {
  const row = await db.platformSetting.findUnique({ where: { key: "billing" } });
  const parsed = billingSettingsSchema.safeParse({ ...DEFAULT_BILLING, ...(row?.value as object | null) });
  return parsed.success ? parsed.data : DEFAULT_BILLING;
}

/** Where the operator is told of what needs a person (claims, disagreements): the address in the billing settings. */
export async function operatorAddress(db: Db): Promise<string> {
  return (await billingSettings(db)).operatorEmail || config().OPERATOR_ALERT_EMAIL;
}

/** The operator's requisites as printed on invoices (the KNP comes from the billing settings). */
export async function operatorRequisites(db: Db, settings?: BillingSettings): Promise<Requisites> {
  const row = await db.platformSetting.findUnique({ where: { key: "operator_requisites" } });
  const s = settings ?? (await billingSettings(db));
  const r = requisitesSchema.parse(row?.value);
  return { ...r, knp: s.knp };
}

/** The console's settings page: the billing settings and the requisites together. */
export async function settingsAndRequisites(db: Db) {
  const [settings, requisites] = await Promise.all([billingSettings(db), operatorRequisites(db)]);
  return { settings, requisites };
}

/** Saves both in one transaction, audited with the settings before and after. */
export async function saveBillingSettings(
  db: PrismaClient,
  actor: { id: string },
  meta: RequestMeta,
  input: { settings: BillingSettings; requisites: z.infer<typeof requisitesSchema> },
) {
  const before = await billingSettings(db);
  await db.$transaction(async (tx) => {
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
    await audit(tx, meta, {
      action: "settings.changed",
      actorUserId: actor.id,
      details: { billing: { from: before, to: input.settings }, requisites: input.requisites },
    });
  });
  return { ok: true as const };
}
