// The trainee's cabinet invitation: a one-time link by email to their own schedule, hours and balance.
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import type { SchoolCtx } from "../trpc.ts";
import type { Locale } from "../../domain/i18n/index.ts";
import { newToken } from "../auth/tokens.ts";
import { enqueueMail } from "../outbox/enqueue.ts";
import { config } from "../config.ts";

/** Sends the trainee a link to their cabinet, valid 14 days; refused once linked or without an email. */
export async function inviteTrainee(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string; locale: Locale },
  input: { traineeId: string },
  meta: RequestMeta,
) {
  const t = await tx.trainee.findUnique({
    where: { id: input.traineeId },
    select: { id: true, email: true, userId: true, firstName: true },
  });
  if (!t) throw new AppError("NOT_FOUND", "notFound");
  if (t.userId) throw new AppError("CONFLICT", "training.cabinetLinked");
  if (!t.email) throw new AppError("BAD_REQUEST", "training.cabinetNoEmail", {}, "email");
  const { token, hash } = newToken();
  await tx.traineeInvite.create({
    data: {
      tokenHash: hash,
      schoolId: school.id,
      traineeId: t.id,
      email: t.email.toLowerCase(),
      invitedBy: actor.id,
      expiresAt: new Date(Date.now() + 14 * 86_400_000),
    },
    select: { tokenHash: true },
  });
  await enqueueMail(tx, `mail.cabinet.${hash.slice(0, 32)}`, {
    to: t.email,
    locale: actor.locale,
    template: "traineeInvite",
    params: { name: t.firstName, school: school.name, link: `${config().publicUrl}/cabinet/join/${token}` },
  });
  await audit(tx, meta, {
    action: "trainee.cabinet_invited",
    schoolId: school.id,
    actorUserId: actor.id,
    details: { traineeId: t.id },
  });
  return { ok: true as const };
}
