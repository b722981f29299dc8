import { router, schoolProcedure } from "../trpc.ts";
import { ROLES, WRITERS } from "../../domain/roles.ts";
import { idInput, uploadInput } from "./schema.ts";
import { templateFile } from "./xlsx.ts";
import { getImport, importStatus, startImport, uploadImport } from "./uploads.ts";

/** Trainee import from XLSX: template, preview, apply as a durable job with progress. */
export const traineeImportRouter = router({
  /** The empty template in the caller's language, with one example row. */
  template: schoolProcedure(ROLES, { always: true }).query(({ ctx }) => templateFile(ctx.locale)),

  /** Parses the file, checks every row against the register and keeps the upload for the preview. */
  upload: schoolProcedure(WRITERS)
    .input(uploadInput)
    .mutation(({ ctx, input }) => uploadImport(ctx.db, ctx.school, ctx.user, input)),

  /** The preview (and, once it ran, the result) of one upload: IINs and names, the office's (ADR 026). */
  get: schoolProcedure(WRITERS)
    .input(idInput)
    .query(({ ctx, input }) => getImport(ctx.db, input)),

  /** What the page polls while the job runs. */
  status: schoolProcedure(WRITERS)
    .input(idInput)
    .query(({ ctx, input }) => importStatus(ctx.db, input)),

  /** Queues the import of the good rows: status and the outbox row commit together. */
  // (named "start": tRPC reserves "apply" — callers are proxies over functions)
  start: schoolProcedure(WRITERS)
    .input(idInput)
    .mutation(({ ctx, input }) => startImport(ctx.db, ctx.school, ctx.user, input, ctx.meta)),
});
