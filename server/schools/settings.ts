// The school itself: the workspace shell's counts, and the director's settings page.
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import type { schoolSettingsInput } from "./schema.ts";
import { suspensionOf } from "./suspension.ts";

/**
 * The workspace shell: the school, the caller's roles in it, counts for the navigation; for a suspended
 * school, why (by the operator by hand, with the reason, or for non-payment).
 */
export async function workspace(tx: Tx, school: SchoolCtx) {
  const suspended = school.status === "suspended";
  return {
    school,
    // A suspended school's shell shows the suspended page only: nothing of the register.
    trainees: suspended ? 0 : await tx.trainee.count(),
    suspension: suspended ? await suspensionOf(tx, school.id) : null,
  };
}

/** The school's details with the offer acceptances and consents on record. */
export async function schoolSettings(tx: Tx, schoolId: string) {
  const [school, acceptances, consents] = await Promise.all([
    tx.school.findUniqueOrThrow({
      where: { id: schoolId },
      select: {
        name: true,
        slug: true,
        kind: true,
        binIin: true,
        directorName: true,
        phone: true,
        email: true,
        address: true,
        status: true,
        trialEndsAt: true,
        createdAt: true,
      },
    }),
    tx.offerAcceptance.findMany({
      select: { acceptedAt: true, textSha256: true, ip: true, offerVersion: { select: { version: true } } },
      orderBy: { acceptedAt: "desc" },
    }),
    tx.consent.findMany({
      select: { kind: true, grantedAt: true, withdrawnAt: true },
      orderBy: { grantedAt: "desc" },
    }),
  ]);
  return { school, acceptances, consents };
}

/** The director changes the school's name and contacts; the change is audited by field name. */
export async function updateSchoolSettings(
  tx: Tx,
  schoolId: string,
  actor: { id: string },
  input: z.infer<typeof schoolSettingsInput>,
  meta: RequestMeta,
) {
  // `input` also holds the workspace's `school` slug (tRPC merges the inputs): name the columns one by one.
  const data = {
    name: input.name,
    directorName: input.directorName,
    phone: input.phone,
    email: input.email,
    address: input.address ?? null,
  };
  await tx.school.update({ where: { id: schoolId }, data, select: { id: true } });
  await audit(tx, meta, {
    action: "school.updated",
    schoolId,
    actorUserId: actor.id,
    details: { fields: Object.keys(data) },
  });
  return { ok: true as const };
}
