// The operator's contract console (`admin.contract.*`): claims of all schools with their deadlines (paper
// claims registered here with their receipt date, reviews, written answers), force-majeure notices, and the
// working-day calendar per year (saving a year reloads the calendar the deadlines are counted with).
import { operatorProcedure, router } from "../trpc.ts";
import {
  answerClaimInput,
  calendarInput,
  claimsInput,
  idInput,
  registerClaimInput,
  registerForceMajeureInput,
  saveCalendarInput,
} from "./schema.ts";
import { answerClaim, markReviewed, registerClaim, registerForceMajeure } from "./claims.ts";
import { allClaims, allForceMajeure, schoolChoices } from "./registers.ts";
import { calendarForYear, saveCalendar } from "./calendar-console.ts";
import { SUPER_ADMIN, SUPPORT_OPS } from "../../domain/roles.ts";

const ops = operatorProcedure(SUPPORT_OPS);

export const adminContractRouter = router({
  /** Every school, for the forms. */
  schools: ops.query(({ ctx }) => schoolChoices(ctx.db)),

  /** Every school's claims (the open ones unless asked), soonest answer due first. */
  claims: ops.input(claimsInput).query(({ ctx, input }) => allClaims(ctx.db, input)),

  /** A paper claim, with the date it was received. */
  registerClaim: ops
    .input(registerClaimInput)
    .mutation(({ ctx, input }) => registerClaim({ ...input, source: "paper", filedBy: ctx.user.id, meta: ctx.meta })),

  markReviewed: ops.input(idInput).mutation(({ ctx, input }) => markReviewed(input.id, ctx.user.id, ctx.meta)),

  answerClaim: ops
    .input(answerClaimInput)
    .mutation(({ ctx, input }) => answerClaim(input.id, input.answer, ctx.user.id, ctx.meta)),

  /** Every force-majeure notice, with the school's name. */
  forceMajeure: ops.query(({ ctx }) => allForceMajeure(ctx.db)),

  registerForceMajeure: ops
    .input(registerForceMajeureInput)
    .mutation(({ ctx, input }) => registerForceMajeure({ ...input, registeredBy: ctx.user.id, meta: ctx.meta })),

  /** A year of the calendar as in force (the operator's version or the built-in one) and its weekday days off. */
  calendar: ops.input(calendarInput).query(({ ctx, input }) => calendarForYear(ctx.db, input)),

  saveCalendar: operatorProcedure(SUPER_ADMIN)
    .input(saveCalendarInput)
    .mutation(({ ctx, input }) => saveCalendar(ctx.db, ctx.user, ctx.meta, input)),
});
