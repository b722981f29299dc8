// A school's archive from the operator console (`admin.privacy.archives.*`): the list, a request and the
// download, for any school. The bytes are streamed by server/archive/http.ts after `download` has checked the
// right and recorded the download.
import { operatorProcedure, router } from "../trpc.ts";
import { downloadSchoolArchive, requestSchoolArchive, schoolArchives } from "./operator.ts";
import { schoolArchiveInput, schoolIdInput } from "./schema.ts";
import { SUPPORT_OPS } from "../../domain/roles.ts";

const ops = operatorProcedure(SUPPORT_OPS);

export const adminArchiveRouter = router({
  /** The school and its archives. */
  list: operatorProcedure()
    .input(schoolIdInput)
    .query(({ ctx, input }) => schoolArchives(ctx.db, input.schoolId)),

  /** A new archive of the school, requested by the operator. */
  request: ops
    .input(schoolIdInput)
    .mutation(({ ctx, input }) => requestSchoolArchive(ctx.db, ctx.user, input.schoolId, ctx.meta)),

  /** A ready archive's details for the operator's download; the download is recorded. */
  download: ops
    .input(schoolArchiveInput)
    .query(({ ctx, input }) => downloadSchoolArchive(ctx.db, ctx.user, input, ctx.meta)),
});
