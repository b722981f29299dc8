// The school archive's procedures: the director's (`privacy.archive.*`, in every access state but deactivated —
// a school's own data is never held back, and before a withdrawal takes effect it is what the school takes with
// it) and the operator's (`admin.privacy.archives.*`). The bytes are streamed by server/archive/http.ts after
// `download` has checked the right and recorded the download.
import { z } from "zod";
import { operatorProcedure, router, schoolProcedure } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { archiveForDownload, listArchives, requestArchive } from "./service.ts";
import { DIRECTOR } from "../../domain/roles.ts";

const director = schoolProcedure(DIRECTOR, { always: true });
const ops = operatorProcedure(["super_admin", "support"]);
const id = z.object({ id: z.uuid() });

export const archiveRouter = router({
  list: director.query(({ ctx }) => listArchives(ctx.db, ctx.school.id)),

  request: director.mutation(({ ctx }) => requestArchive(ctx.db, ctx.school.id, ctx.user.id, "school", ctx.meta)),

  download: director
    .input(id)
    .query(({ ctx, input }) => archiveForDownload(ctx.db, ctx.school.id, input.id, ctx.user.id, ctx.meta)),
});

const school = z.object({ schoolId: z.uuid() });

export const adminArchiveRouter = router({
  list: operatorProcedure()
    .input(school)
    .query(async ({ ctx, input }) => {
      const s = await ctx.db.school.findUnique({
        where: { id: input.schoolId },
        select: { id: true, name: true, slug: true },
      });
      if (!s) throw new AppError("NOT_FOUND", "notFound");
      return { school: s, ...(await listArchives(ctx.db, s.id)) };
    }),

  request: ops.input(school).mutation(async ({ ctx, input }) => {
    const exists = await ctx.db.school.count({ where: { id: input.schoolId } });
    if (!exists) throw new AppError("NOT_FOUND", "notFound");
    return ctx.db.$transaction((tx) => requestArchive(tx, input.schoolId, ctx.user.id, "operator", ctx.meta));
  }),

  download: ops
    .input(school.extend(id.shape))
    .query(({ ctx, input }) =>
      ctx.db.$transaction((tx) => archiveForDownload(tx, input.schoolId, input.id, ctx.user.id, ctx.meta)),
    ),
});
