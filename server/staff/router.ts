import { router, schoolProcedure } from "../trpc.ts";
import { DIRECTOR, STAFF_VIEWERS } from "../../domain/roles.ts";
import { invitationId, inviteInput, memberInput, setRolesInput } from "./schema.ts";
import { listStaff, removeMember, setRoles } from "./members.ts";
import { inviteMember, revokeInvite } from "./invites.ts";

export const staffRouter = router({
  /** The members with their roles, and the invitations still open. */
  list: schoolProcedure(STAFF_VIEWERS).query(({ ctx }) => listStaff(ctx.db)),

  /** E-mails an invitation to join the school in a role. */
  invite: schoolProcedure(DIRECTOR)
    .input(inviteInput)
    .mutation(({ ctx, input }) =>
      inviteMember(
        ctx.db,
        ctx.school,
        { id: ctx.user.id, fullName: ctx.user.fullName, locale: ctx.locale },
        input,
        ctx.meta,
      ),
    ),

  revokeInvite: schoolProcedure(DIRECTOR)
    .input(invitationId)
    .mutation(({ ctx, input }) => revokeInvite(ctx.db, ctx.school.id, ctx.user, input, ctx.meta)),

  /** Replaces a member's roles in this school. */
  setRoles: schoolProcedure(DIRECTOR)
    .input(setRolesInput)
    .mutation(({ ctx, input }) => setRoles(ctx.db, ctx.school.id, ctx.user, input, ctx.meta)),

  /** Access ends at once: every workspace request checks membership in its own transaction. */
  remove: schoolProcedure(DIRECTOR)
    .input(memberInput)
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.school.id, ctx.user, input, ctx.meta)),
});
