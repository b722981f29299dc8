import { router, schoolProcedure } from "../trpc.ts";
import { DIRECTOR, ROLES } from "../../domain/roles.ts";
import { schoolSettingsInput } from "./schema.ts";
import { schoolSettings, updateSchoolSettings, workspace } from "./settings.ts";
import { workspaceShell } from "./shell.ts";

export const schoolRouter = router({
  /** The workspace shell: the school, the caller's roles in it, counts for the navigation. */
  workspace: schoolProcedure(ROLES, { always: true }).query(({ ctx }) => workspace(ctx.db, ctx.school)),

  /**
   * What the workspace layout shows on every page, in one transaction: the shell above, the member's schools
   * for the switcher and the banners (as notices.workspace, recording continued use).
   */
  shell: schoolProcedure(ROLES, { always: true }).query(({ ctx }) =>
    workspaceShell(ctx.db, ctx.school, ctx.user, ctx.meta),
  ),

  /** The school's details, with the offer acceptances and consents on record. */
  settings: schoolProcedure(DIRECTOR).query(({ ctx }) => schoolSettings(ctx.db, ctx.school.id)),

  /** The director changes the school's name and contacts. */
  updateSettings: schoolProcedure(DIRECTOR)
    .input(schoolSettingsInput)
    .mutation(({ ctx, input }) => updateSchoolSettings(ctx.db, ctx.school.id, ctx.user, input, ctx.meta)),
});
