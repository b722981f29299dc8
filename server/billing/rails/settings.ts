// The operator's Kaspi settings (platform_setting "kaspi"): on or off, the service name payers find in the Kaspi
// app, and per payee the secret — kept as its SHA-256 only — and the addresses Kaspi calls from. A request must
// come from an allowed address AND present the payee's secret, as the password of HTTP Basic or as the last
// segment of the URL (/pay/kaspi/<payee>/<secret>); otherwise 403. The migration seeds the public development
// secret on loopback, for `npm start` and the tests; where real money can arrive (server/secrets.ts) a payee
// still on it is refused, as an unset Stripe webhook secret is.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";
import pg from "pg";
import { z } from "zod";
import type { PrismaClient } from "../../db/generated/prisma/client.ts";
import type { Tx } from "../../db/client.ts";
import { audit, type RequestMeta } from "../../audit/log.ts";
import { DEV_KASPI_SECRET, needsRealSecrets } from "../../secrets.ts";

/** The payee of the operator's invoices: /pay/kaspi/avtomektep. */
export const OPERATOR_PAYEE = "avtomektep";

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const DEV_SECRET_SHA256 = sha256(DEV_KASPI_SECRET);

/** One address or a network: 203.0.113.7, 203.0.113.0/24, 2001:db8::/32. */
function parseAllowed(entry: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | null {
  const [address = "", prefixText, extra] = entry.trim().split("/");
  const version = isIP(address);
  if (!version || extra !== undefined) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
  if (prefix < 0 || prefix > max) return null;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

const allowedEntry = z
  .string()
  .trim()
  .refine((v) => parseAllowed(v) !== null, "invalid");

const payeeSchema = z.object({
  secretSha256: z.string().regex(/^[0-9a-f]{64}$/),
  secretSetAt: z.string().nullable(),
  allowedIps: z.array(allowedEntry).max(50),
});

const settingsSchema = z.object({
  enabled: z.boolean(),
  serviceName: z.string().trim().min(1).max(100),
  payees: z.record(z.string(), payeeSchema),
});
export type KaspiSettings = z.infer<typeof settingsSchema>;

const OFF: KaspiSettings = { enabled: false, serviceName: "Avtomektep", payees: {} };

export async function kaspiSettings(db: Pick<Tx, "platformSetting">): Promise<KaspiSettings> {
  const row = await db.platformSetting.findUnique({ where: { key: "kaspi" } });
  const parsed = settingsSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : OFF;
}

/** The Basic password of an Authorization header (the user name is not checked). */
export function basicPassword(header: string | undefined): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** Whether a request may reach the payee: null when it may, else why not (for the request log, never the payer). */
export function refusal(
  settings: KaspiSettings,
  payee: string,
  secret: string | undefined,
  ip: string | undefined,
): string | null {
  if (!settings.enabled) return "rail off";
  const p = Object.hasOwn(settings.payees, payee) ? settings.payees[payee] : undefined;
  if (!p) return "unknown payee";
  const address = ip?.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const allowed = new BlockList();
  for (const e of p.allowedIps) {
    const a = parseAllowed(e);
    if (a) allowed.addSubnet(a.address, a.prefix, a.family);
  }
  if (!address || !isIP(address) || !allowed.check(address, isIP(address) === 4 ? "ipv4" : "ipv6"))
    return "address not allowed";
  if (secret === undefined) return "no secret";
  if (!timingSafeEqual(Buffer.from(sha256(secret), "hex"), Buffer.from(p.secretSha256, "hex"))) return "wrong secret";
  if (p.secretSha256 === DEV_SECRET_SHA256 && needsRealSecrets()) return "development secret where real money arrives";
  return null;
}

/**
 * Whether the operator payee still has the development secret (`npm start` then runs the local Kaspi). Read with
 * the migrating role's URL, before the web starts; an unreadable setting counts as not configured.
 */
export async function kaspiOnDevSecret(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ value: unknown }>("SELECT value FROM platform_setting WHERE key = 'kaspi'");
    const parsed = settingsSchema.safeParse(rows[0]?.value);
    return !parsed.success || parsed.data.payees[OPERATOR_PAYEE]?.secretSha256 === DEV_SECRET_SHA256;
  } finally {
    await client.end();
  }
}

/** The console's view: no secret, only whether it is the development one, when it was set, and its fingerprint. */
export async function kaspiSettingsView(db: Pick<Tx, "platformSetting">) {
  const s = await kaspiSettings(db);
  const p = s.payees[OPERATOR_PAYEE];
  return {
    enabled: s.enabled,
    serviceName: s.serviceName,
    payee: OPERATOR_PAYEE,
    allowedIps: p?.allowedIps ?? [],
    secretSet: p !== undefined,
    devSecret: p?.secretSha256 === DEV_SECRET_SHA256,
    secretSetAt: p?.secretSetAt ?? null,
    fingerprint: p ? p.secretSha256.slice(0, 8) : null,
    /** a fresh random secret the operator may take */
    suggestion: randomBytes(24).toString("base64url"),
  };
}

export const saveKaspiInput = z.object({
  enabled: z.boolean(),
  serviceName: z.string().trim().min(1, "required").max(100, "tooLong"),
  allowedIps: z.array(allowedEntry).min(1, "required").max(50, "invalid"),
  /** blank keeps the current secret; it goes into a URL, so URL-safe letters only */
  newSecret: z
    .string()
    .trim()
    .max(200, "tooLong")
    .refine((v) => v === "" || /^[A-Za-z0-9_-]{24,}$/.test(v), "invalid"),
});

/** Saves the operator payee's settings (super admin), audited without the secret. */
export async function saveKaspiSettings(
  db: PrismaClient,
  actor: { id: string },
  meta: RequestMeta,
  input: z.infer<typeof saveKaspiInput>,
) {
  return db.$transaction(async (tx) => {
    const before = await kaspiSettings(tx);
    const current = before.payees[OPERATOR_PAYEE];
    const secretSha256 = input.newSecret ? sha256(input.newSecret) : (current?.secretSha256 ?? DEV_SECRET_SHA256);
    const next: KaspiSettings = {
      enabled: input.enabled,
      serviceName: input.serviceName,
      payees: {
        ...before.payees,
        [OPERATOR_PAYEE]: {
          secretSha256,
          secretSetAt: input.newSecret ? new Date().toISOString() : (current?.secretSetAt ?? null),
          allowedIps: input.allowedIps,
        },
      },
    };
    await tx.platformSetting.upsert({
      where: { key: "kaspi" },
      update: { value: next, updatedAt: new Date() },
      create: { key: "kaspi", value: next },
    });
    await audit(tx, meta, {
      action: "settings.changed",
      actorUserId: actor.id,
      details: {
        kaspi: {
          enabled: input.enabled,
          serviceName: input.serviceName,
          allowedIps: input.allowedIps,
          secretChanged: input.newSecret !== "",
          fingerprint: secretSha256.slice(0, 8),
        },
      },
    });
    return { ok: true as const };
  });
}
