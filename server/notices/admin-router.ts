// The operator console's side of notices: offer versions (publish with 7 days' notice, see the fan-out,
// answer disagreements) and maintenance windows (schedule with 3 days' notice, cancel).
import { operatorProcedure, router } from "../trpc.ts";
import { answerDisagreement, offersConsole, previewOffer, publishOffer } from "./offers.ts";
import { cancelMaintenance, maintenanceConsole, scheduleMaintenance } from "./maintenance.ts";
import { answerDisagreementInput, idInput, publishOfferInput, scheduleMaintenanceInput } from "./schema.ts";
import { SUPER_ADMIN, SUPPORT_OPS } from "../../domain/roles.ts";

export const adminNoticesRouter = router({
  /** Offer versions with their fan-out and read counts, and the schools' disagreements. */
  offers: operatorProcedure().query(({ ctx }) => offersConsole(ctx.db)),

  /**
   * Before publishing: each language's changes against the latest version, refused as publishing would be.
   * Changes nothing; a mutation only so that two whole offer texts travel in a POST body, never in a URL.
   */
  previewOffer: operatorProcedure(SUPER_ADMIN)
    .input(publishOfferInput)
    .mutation(({ ctx, input }) => previewOffer(ctx.db, input)),

  publishOffer: operatorProcedure(SUPER_ADMIN)
    .input(publishOfferInput)
    .mutation(({ ctx, input }) => publishOffer(ctx.db, ctx.user.id, ctx.meta, input)),

  answerDisagreement: operatorProcedure(SUPPORT_OPS)
    .input(answerDisagreementInput)
    .mutation(({ ctx, input }) => answerDisagreement(ctx.db, ctx.user.id, ctx.meta, input.id, input.answer)),

  /** Maintenance windows, newest first, and the earliest date a new one may start. */
  maintenance: operatorProcedure().query(({ ctx }) => maintenanceConsole(ctx.db)),

  scheduleMaintenance: operatorProcedure(SUPER_ADMIN)
    .input(scheduleMaintenanceInput)
    .mutation(({ ctx, input }) => scheduleMaintenance(ctx.db, ctx.user.id, ctx.meta, input)),

  cancelMaintenance: operatorProcedure(SUPER_ADMIN)
    .input(idInput)
    .mutation(({ ctx, input }) => cancelMaintenance(ctx.db, ctx.user.id, ctx.meta, input.id)),
});
