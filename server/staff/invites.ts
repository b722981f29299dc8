// Inviting staff: the director e-mails a link for a role; the invitee opens it and joins the school
// (the acceptance rule itself is shared with the trainee cabinet: server/auth/invitations.ts).
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { assertRoom } from "../billing/limits.ts";
import type { Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { enqueueMail } from "../outbox/enqueue.ts";
import { config } from "../config.ts";
import { newToken } from "../auth/tokens.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { acceptInvite, type InviteKind, inviteLink, type Visitor } from "../auth/invitations.ts";
import { type Locale, translator } from "../../domain/i18n/index.ts";
import type { MemberRole } from "../db/generated/prisma/enums.ts";
import type { acceptInviteInput, invitationId, inviteInput, inviteLinkInput } from "./schema.ts";

const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The director who invites: named in the e-mail, in their language, and in the audit entry. */
type Inviter = { id: string; fullName: string; locale: Locale };

/**
 * E-mails an invitation for a role. Someone who already has the role is refused; a person new to the school's
 * staff needs room in the plan.
 */
export async function inviteMember(
  tx: Tx,
  school: SchoolCtx,
  actor: Inviter,
  input: z.infer<typeof inviteInput>,
  meta: RequestMeta,
) {
  const existing = await tx.membership.findFirst({
    where: { role: input.role, user: { email: input.email } },
    select: { id: true },
  });
  if (existing) throw new AppError("CONFLICT", "invite.alreadyMember", {}, "email");
  const alreadyStaff = await tx.membership.findFirst({
    where: { user: { email: input.email } },
    select: { id: true },
  });
  if (!alreadyStaff) await assertRoom(tx, school.id, "staff");
  const { token: raw, hash } = newToken();
  const id = randomUUID();
  await tx.invitation.create({
    data: {
      id,
      schoolId: school.id,
      email: input.email,
      role: input.role,
      tokenHash: hash,
      invitedById: actor.id,
      expiresAt: new Date(Date.now() + INVITE_TTL_MS),
    },
    select: { id: true },
  });
  const t = translator(actor.locale);
  await enqueueMail(tx, `mail.invite.${id}`, {
    to: input.email,
    locale: actor.locale,
    template: "invite",
    params: {
      school: school.name,
      inviter: actor.fullName,
      role: t(`common:roles.${input.role}`),
      link: `${config().publicUrl}/invite/${raw}`,
    },
  });
  await audit(tx, meta, {
    action: "member.invited",
    schoolId: school.id,
    actorUserId: actor.id,
    details: { email: input.email, role: input.role },
  });
  return { id };
}

/** An invitation not yet accepted stops opening. */
export async function revokeInvite(
  tx: Tx,
  schoolId: string,
  actor: { id: string },
  input: z.infer<typeof invitationId>,
  meta: RequestMeta,
) {
  const { count } = await tx.invitation.updateMany({
    where: { id: input.id, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new AppError("NOT_FOUND", "notFound");
  await audit(tx, meta, {
    action: "invite.revoked",
    schoolId,
    actorUserId: actor.id,
    details: { invitationId: input.id },
  });
  return { ok: true as const };
}

type StaffInvite = {
  id: string;
  schoolId: string;
  email: string;
  role: MemberRole;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
};

/** A staff invitation: joining makes the person a member with the invited role. */
const staffInvite: InviteKind<StaffInvite, object> = {
  read: (tx, tokenHash) =>
    tx.invitation.findUnique({
      where: { tokenHash },
      select: { id: true, schoolId: true, email: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true },
    }),
  more: async () => ({}),
  take: (tx, inv) =>
    tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date() },
    }),
  join: async (tx, inv, userId, meta) => {
    await tx.membership.createMany({
      data: [{ id: randomUUID(), schoolId: inv.schoolId, userId, role: inv.role }],
      skipDuplicates: true,
    });
    await audit(tx, meta, {
      action: "member.joined",
      schoolId: inv.schoolId,
      actorUserId: userId,
      details: { role: inv.role, invitationId: inv.id },
    });
  },
};

/** The invitation page: the school, the role, and whether the invitee signs in or sets a password. */
export async function staffInviteLink(user: SessionUser | null, input: z.infer<typeof inviteLinkInput>) {
  const { inv, invitee } = await inviteLink(staffInvite, user, input.token);
  return { schoolName: inv.school.name, role: inv.role, ...invitee };
}

/** A signed-in invitee joins; a new person sets a name and password and is signed in. */
export async function acceptStaffInvite(
  visitor: Visitor,
  input: z.infer<typeof acceptInviteInput>,
  meta: RequestMeta,
  signIn: (cookie: string) => void,
) {
  const inv = await acceptInvite(staffInvite, visitor, input, meta, signIn);
  return { slug: inv.school.slug };
}
