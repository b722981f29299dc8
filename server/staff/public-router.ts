import { publicProcedure, router } from "../trpc.ts";
import { acceptInviteInput, inviteLinkInput } from "./schema.ts";
import { acceptStaffInvite, staffInviteLink } from "./invites.ts";

/** The e-mailed link to join a school's staff. */
export const invitationRouter = router({
  /** What the link's page shows: the school, the role, and whether the invitee has an account. */
  get: publicProcedure.input(inviteLinkInput).query(({ ctx, input }) => staffInviteLink(ctx.user, input)),

  /** A signed-in invitee joins; a new person sets a name and password and is signed in. */
  accept: publicProcedure
    .input(acceptInviteInput)
    .mutation(({ ctx, input }) =>
      acceptStaffInvite({ user: ctx.user, locale: ctx.locale }, input, ctx.meta, ctx.setCookie),
    ),
});
