// Joining the cabinet from the school's e-mailed link: the trainee sets a password (or signs in) and their
// login is tied to their trainee record. The acceptance rule is shared with staff invitations
// (server/auth/invitations.ts).
import type { z } from "zod";
import { audit, type RequestMeta } from "../audit/log.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { acceptInvite, type InviteKind, inviteLink, type Visitor } from "../auth/invitations.ts";
import type { TraineeInvite } from "../db/generated/prisma/client.ts";
import type { joinInput, joinLinkInput } from "./schema.ts";

type Invited = { trainee: { lastName: string; firstName: string; userId: string | null } };

const traineeName = (inv: Invited) => `${inv.trainee.lastName} ${inv.trainee.firstName}`;

/** A cabinet invitation: the account is named after the trainee; joining gives the trainee's login. */
const cabinetInvite: InviteKind<TraineeInvite, Invited> = {
  read: (tx, tokenHash) => tx.traineeInvite.findUnique({ where: { tokenHash } }),
  more: async (tx, row) => ({
    trainee: await tx.trainee.findUniqueOrThrow({
      where: { id: row.traineeId },
      select: { lastName: true, firstName: true, userId: true },
    }),
  }),
  accountName: traineeName,
  take: (tx, inv) =>
    tx.traineeInvite.updateMany({
      where: { tokenHash: inv.tokenHash, acceptedAt: null },
      data: { acceptedAt: new Date() },
    }),
  join: async (tx, inv, userId, meta) => {
    await tx.trainee.update({ where: { id: inv.traineeId }, data: { userId }, select: { id: true } });
    await tx.traineeLogin.createMany({
      data: [{ userId, schoolId: inv.schoolId, traineeId: inv.traineeId }],
      skipDuplicates: true,
    });
    await audit(tx, meta, {
      action: "trainee.cabinet_joined",
      schoolId: inv.schoolId,
      actorUserId: userId,
      details: { traineeId: inv.traineeId },
    });
  },
};

/** The link's page: the school, the trainee, and whether they sign in or set a password. */
export async function cabinetInviteLink(user: SessionUser | null, input: z.infer<typeof joinLinkInput>) {
  const { inv, invitee } = await inviteLink(cabinetInvite, user, input.token);
  return { schoolName: inv.school.name, traineeName: traineeName(inv), ...invitee };
}

/** A signed-in trainee joins; a new one sets a password and is signed in. */
export async function joinCabinet(
  visitor: Visitor,
  input: z.infer<typeof joinInput>,
  meta: RequestMeta,
  signIn: (cookie: string) => void,
) {
  const inv = await acceptInvite(cabinetInvite, visitor, input, meta, signIn);
  return { slug: inv.school.slug };
}
