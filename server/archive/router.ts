// The school archive's procedures for the director (`privacy.archive.*`), in every access state but
// deactivated — a school's own data is never held back, and before a withdrawal takes effect it is what the
// school takes with it. The operator's are in admin-router.ts. The bytes are streamed by
// server/archive/http.ts after `download` has checked the right and recorded the download.
import { router, schoolProcedure } from "../trpc.ts";
import { archiveForDownload, listArchives, requestArchive } from "./service.ts";
import { archiveIdInput } from "./schema.ts";
import { DIRECTOR } from "../../domain/roles.ts";

const director = schoolProcedure(DIRECTOR, { always: true });

export const archiveRouter = router({
  /** The school's archives, newest first, with their progress. */
  list: director.query(({ ctx }) => listArchives(ctx.db, ctx.school.id)),

  /** A new archive of the whole school, built by the `archive` job. */
  request: director.mutation(({ ctx }) => requestArchive(ctx.db, ctx.school.id, ctx.user.id, "school", ctx.meta)),

  /** A ready archive's details for the download; the download is recorded. */
  download: director
    .input(archiveIdInput)
    .query(({ ctx, input }) => archiveForDownload(ctx.db, ctx.school.id, input.id, ctx.user.id, ctx.meta)),
});
