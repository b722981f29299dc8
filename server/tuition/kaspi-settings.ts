// A school's own Kaspi payee settings for tuition (docs/decisions/042-tuition-instalments.md), edited by its
// director: the secret Kaspi presents (kept as its SHA-256 only, shown as a fingerprint) and the addresses Kaspi
// calls from. The same rules as the operator's payee (server/billing/rails/settings.ts): the secret as the HTTP
// Basic password or the URL's last segment, addresses as IPs or networks.
import { createHash, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";
import type { Tx } from "../db/client.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { AppError } from "../errors.ts";
import type { SchoolCtx } from "../trpc.ts";
import type { KaspiSettings } from "../billing/rails/settings.ts";
import { SCHOOL_PAYEE_PREFIX } from "./kaspi-payee.ts";

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** One address or a network, as the operator's settings take them. */
function isAllowedEntry(entry: string): boolean {
  const [address = "", prefix, extra] = entry.trim().split("/");
  const version = isIP(address);
  if (!version || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** The school's payee as the platform's settings shape, for the shared access check (no row: no payee). */
export async function schoolPayeeSettings(
  db: Pick<Tx, "schoolKaspiPayee">,
  schoolId: string,
  payee: string,
  railEnabled: boolean,
): Promise<KaspiSettings> {
  const row = await db.schoolKaspiPayee.findUnique({ where: { schoolId } });
  return {
    enabled: railEnabled,
    serviceName: "",
    payees: row
      ? {
          [payee]: {
            secretSha256: row.secretSha256,
            secretSetAt: row.secretSetAt.toISOString(),
            allowedIps: row.allowedIps,
          },
        }
      : {},
  };
}

/** What the director's settings page shows: never the secret, its fingerprint and when it was set. */
export async function schoolKaspiView(tx: Tx, school: SchoolCtx) {
  const row = await tx.schoolKaspiPayee.findUnique({ where: { schoolId: school.id } });
  return {
    payee: `${SCHOOL_PAYEE_PREFIX}${school.slug}`,
    configured: row !== null,
    allowedIps: row?.allowedIps ?? [],
    secretSetAt: row?.secretSetAt ?? null,
    fingerprint: row ? row.secretSha256.slice(0, 8) : null,
    /** a fresh random secret the director may take */
    suggestion: randomBytes(24).toString("base64url"),
  };
}

export const saveSchoolKaspiInput = z.object({
  allowedIps: z.array(z.string().trim().refine(isAllowedEntry, "invalid")).min(1, "required").max(50, "invalid"),
  /** blank keeps the current secret; it goes into a URL, so URL-safe letters only */
  newSecret: z
    .string()
    .trim()
    .max(200, "tooLong")
    .refine((v) => v === "" || /^[A-Za-z0-9_-]{24,}$/.test(v), "invalid"),
});

/** Saves the school's payee (its director), audited without the secret. The first save needs a secret. */
export async function saveSchoolKaspi(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: z.infer<typeof saveSchoolKaspiInput>,
  meta: RequestMeta,
) {
  const current = await tx.schoolKaspiPayee.findUnique({ where: { schoolId: school.id }, select: { schoolId: true } });
  if (!current && input.newSecret === "") {
    throw new AppError("BAD_REQUEST", "tuition.kaspiSecretRequired", {}, "newSecret");
  }
  const secret = input.newSecret ? { secretSha256: sha256(input.newSecret), secretSetAt: new Date() } : {};
  await tx.schoolKaspiPayee.upsert({
    where: { schoolId: school.id },
    create: {
      schoolId: school.id,
      secretSha256: sha256(input.newSecret),
      allowedIps: input.allowedIps,
      updatedBy: actor.id,
    },
    update: { ...secret, allowedIps: input.allowedIps, updatedBy: actor.id },
    select: { schoolId: true },
  });
  await audit(tx, meta, {
    action: "school.kaspi_changed",
    schoolId: school.id,
    actorUserId: actor.id,
    details: { allowedIps: input.allowedIps, secretChanged: input.newSecret !== "" },
  });
  return schoolKaspiView(tx, school);
}
