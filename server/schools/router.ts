import { router, schoolProcedure } from "../trpc.ts";
import { DIRECTOR, ROLES } from "../../domain/roles.ts";
import { schoolSettingsInput } from "./schema.ts";
import { schoolSettings, updateSchoolSettings, workspace } from "./settings.ts";

export const schoolRouter = router({
  /** The workspace shell: the school, the caller's roles in it, counts for the navigation. */
  workspace: schoolProcedure(ROLES, { always: true }).query(({ ctx }) => workspace(ctx.db, ctx.school)),

  /** The school's details, with the offer acceptances and consents on record. */
  settings: schoolProcedure(DIRECTOR).query(({ ctx }) => schoolSettings(ctx.db, ctx.school.id)),

  /** The director changes the school's name and contacts. */
  updateSettings: schoolProcedure(DIRECTOR)
    .input(schoolSettingsInput)
    .mutation(({ ctx, input }) => updateSchoolSettings(ctx.db, ctx.school.id, ctx.user, input, ctx.meta)),
});
