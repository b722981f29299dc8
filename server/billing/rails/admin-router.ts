// The operator's Kaspi console (`admin.kaspi.*`): the settings (super admin saves) and the request log.
import { operatorProcedure, router } from "../../trpc.ts";
import { SUPER_ADMIN } from "../../../domain/roles.ts";
import { kaspiSettingsView, saveKaspiInput, saveKaspiSettings } from "./settings.ts";
import { kaspiRequests, kaspiRequestsInput } from "./views.ts";

export const adminKaspiRouter = router({
  settings: operatorProcedure().query(({ ctx }) => kaspiSettingsView(ctx.db)),

  /** On/off, the service name, Kaspi's addresses and (when given) a new secret; audited without the secret. */
  saveSettings: operatorProcedure(SUPER_ADMIN)
    .input(saveKaspiInput)
    .mutation(({ ctx, input }) => saveKaspiSettings(ctx.db, ctx.user, ctx.meta, input)),

  requests: operatorProcedure()
    .input(kaspiRequestsInput)
    .query(({ ctx, input }) => kaspiRequests(ctx.db, input)),
});
