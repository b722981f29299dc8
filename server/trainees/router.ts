import { router, schoolProcedure } from "../trpc.ts";
import { WRITERS } from "../../domain/roles.ts";
import { bulkInput, idInput, listInput, photoInput, traineeFields, updateInput } from "./schema.ts";
import { bulkTrainees } from "./bulk.ts";
import { listTrainees } from "./list.ts";
import { createTrainee, getTrainee, updateTrainee } from "./trainee.ts";
import { removePhoto, setPhoto, traineePhoto } from "./photo.ts";

/** The register of trainees: the list, one trainee's entry, and their photo. */
export const traineesRouter = router({
  /** By name in the reader's alphabetical order, or newest first; keyset paging, as fast on page 400 as on page 1. */
  list: schoolProcedure()
    .input(listInput)
    .query(({ ctx, input }) => listTrainees(ctx.db, ctx.school, ctx.user, input, ctx.locale)),

  /**
   * Many trainees at once (ticked, or all matching the filters): status, group, instructor or cabinet invite, in one
   * transaction; the trainees a rule refuses are listed with the reason, the others applied.
   */
  bulk: schoolProcedure(WRITERS)
    .input(bulkInput)
    .mutation(({ ctx, input }) =>
      bulkTrainees(ctx.db, ctx.school, { id: ctx.user.id, locale: ctx.locale }, input, ctx.meta),
    ),

  /** One trainee's register entry, as the caller's role may see it. */
  get: schoolProcedure()
    .input(idInput)
    .query(({ ctx, input }) => getTrainee(ctx.db, ctx.school, ctx.user, input)),

  /** Adds a trainee to the register. */
  create: schoolProcedure(WRITERS)
    .input(traineeFields)
    .mutation(({ ctx, input }) => createTrainee(ctx.db, ctx.school, ctx.user, input, ctx.meta)),

  /** Changes a trainee's register entry. */
  update: schoolProcedure(WRITERS)
    .input(updateInput)
    .mutation(({ ctx, input }) => updateTrainee(ctx.db, ctx.school, ctx.user, input, ctx.meta)),

  /** The optional photo: recognised by its bytes (PNG, JPEG, WebP), at most 1 MB. */
  setPhoto: schoolProcedure(WRITERS)
    .input(photoInput)
    .mutation(({ ctx, input }) => setPhoto(ctx.db, ctx.school, ctx.user, input)),

  /** Removes the trainee's photo. */
  removePhoto: schoolProcedure(WRITERS)
    .input(idInput)
    .mutation(({ ctx, input }) => removePhoto(ctx.db, input)),

  /** The trainee's photo as a file, to a role that sees it. */
  photo: schoolProcedure()
    .input(idInput)
    .query(({ ctx, input }) => traineePhoto(ctx.db, ctx.school, ctx.user, input)),
});
