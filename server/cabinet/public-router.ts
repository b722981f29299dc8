import { publicProcedure, router } from "../trpc.ts";
import { joinInput, joinLinkInput } from "./schema.ts";
import { cabinetInviteLink, joinCabinet } from "./join.ts";

/** The link in the invitation e-mail: a trainee sets a password (or signs in) and gets their cabinet. */
export const cabinetJoinRouter = router({
  /** What the link's page shows: the school, the trainee, and whether the address has an account. */
  get: publicProcedure.input(joinLinkInput).query(({ ctx, input }) => cabinetInviteLink(ctx.user, input)),

  /** A signed-in trainee joins; a new one sets a password and is signed in. */
  accept: publicProcedure
    .input(joinInput)
    .mutation(({ ctx, input }) => joinCabinet({ user: ctx.user, locale: ctx.locale }, input, ctx.meta, ctx.setCookie)),
});
