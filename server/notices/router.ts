// The school side of notices: the workspace's banners and announcements (and continued use recorded as
// consent), the cabinet's documents with delivery and first-read times, and a written disagreement.
import { router, schoolProcedure } from "../trpc.ts";
import { ACTIVE_STAFF, DIRECTOR, ROLES } from "../../domain/roles.ts";
import { disagreeInput, dismissMaintenanceInput, idInput, markReadInput } from "./schema.ts";
import { dismissMaintenance, markNoticeRead, workspaceNotices } from "./banners.ts";
import { cabinetDocuments, openDocument } from "./documents.ts";
import { fileDisagreement } from "./offers.ts";

const shell = schoolProcedure(ROLES, { always: true });

export const noticesRouter = router({
  /** For the workspace layout: the director's unread offer-change banners and the maintenance announcements not hidden. */
  workspace: shell.query(({ ctx }) => workspaceNotices(ctx.db, ctx.school, ctx.user, ctx.meta)),

  /**
   * "Read": the banner goes away for this user. The inspector is read-only everywhere (tests/security.test.ts
   * holds every workspace mutation to that), so an inspector's banner stays.
   */
  markRead: schoolProcedure(ACTIVE_STAFF, { always: true })
    .input(markReadInput)
    .mutation(({ ctx, input }) => markNoticeRead(ctx.db, ctx.user, input)),

  /** "Hide" on a maintenance announcement, remembered for this person and window (not for the inspector, as above). */
  dismissMaintenance: schoolProcedure(ACTIVE_STAFF, { always: true })
    .input(dismissMaintenanceInput)
    .mutation(({ ctx, input }) => dismissMaintenance(ctx.db, ctx.user, input)),

  /** Every document of the cabinet, newest first, with when it was delivered and when this user first opened it. */
  documents: schoolProcedure(ROLES).query(({ ctx }) => cabinetDocuments(ctx.db, ctx.school, ctx.user)),

  /** One document's file; its first opening by this user is recorded (10.8). */
  document: schoolProcedure(ROLES)
    .input(idInput)
    .query(({ ctx, input }) => openDocument(ctx.db, ctx.school, ctx.user, input)),

  /** The director's written disagreement with an offer change; the operator sees and answers it. */
  disagree: schoolProcedure(DIRECTOR, { always: true })
    .input(disagreeInput)
    .mutation(({ ctx, input }) => fileDisagreement(ctx.db, ctx.school, ctx.user, input)),
});
