// The school side of the contract's deadlines: the director files claims from the cabinet and sees each
// claim's deadlines and answer; force-majeure notices (the school's own and the operator's for all).
import { router, schoolProcedure } from "../trpc.ts";
import { DIRECTOR } from "../../domain/roles.ts";
import { fileClaimInput, fileForceMajeureInput } from "./schema.ts";
import { fileClaim, fileForceMajeure, schoolClaims, schoolForceMajeure } from "./registers.ts";

// Claims are the contract's remedy in any access state: a suspended school can still file one.
const director = schoolProcedure(DIRECTOR, { always: true });

export const contractRouter = router({
  /** The school's claims with each deadline's state for today. */
  claims: director.query(({ ctx }) => schoolClaims(ctx.db)),

  /** A claim filed from the cabinet, received today. */
  fileClaim: director
    .input(fileClaimInput)
    .mutation(({ ctx, input }) => fileClaim(ctx.school, ctx.user, ctx.meta, input)),

  /** Force-majeure notices: the school's own and the operator's for all. */
  forceMajeure: director.query(({ ctx }) => schoolForceMajeure(ctx.db)),

  /** The school's force-majeure notice, given today. */
  registerForceMajeure: director
    .input(fileForceMajeureInput)
    .mutation(({ ctx, input }) => fileForceMajeure(ctx.school, ctx.user, ctx.meta, input)),
});
