import { randomUUID } from "node:crypto";
import { assertRoom } from "../billing/limits.ts";
import { z } from "zod";
import { router, schoolProcedure } from "../trpc.ts";
import { ROLES, WRITERS } from "../../domain/roles.ts";
import type { FileDownload } from "../../domain/files.ts";
import { translator } from "../../domain/i18n/index.ts";
import { AppError } from "../errors.ts";
import { enqueue } from "../outbox/enqueue.ts";
import type { ImportReport } from "../../domain/import-reasons.ts";
import { buildTemplate, MAX_FILE_BYTES } from "./xlsx.ts";
import { prepareUpload, type ImportJob } from "./service.ts";

const idInput = z.object({ id: z.uuid() });
// base64 is 4/3 the size of the bytes; a little slack for padding.
const MAX_BASE64 = Math.ceil(MAX_FILE_BYTES / 3) * 4 + 16;

const summarySelect = {
  id: true,
  fileName: true,
  status: true,
  totalRows: true,
  goodRows: true,
  doneRows: true,
  createdAt: true,
  finishedAt: true,
} as const;

/** Trainee import from XLSX: template, preview, apply as a durable job with progress. */
export const traineeImportRouter = router({
  /** The empty template in the caller's language, with one example row. */
  template: schoolProcedure(ROLES, { always: true }).query(
    async ({ ctx }): Promise<FileDownload> => ({
      fileName: `${translator(ctx.locale)("traineeImport:template.sheet")}.xlsx`,
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      base64: (await buildTemplate(ctx.locale)).toString("base64"),
    }),
  ),
  /** Parses the file, checks every row against the register and keeps the upload for the preview. */
  upload: schoolProcedure(WRITERS)
    .input(
      z.object({
        fileName: z.string().trim().min(1, "required").max(200, "tooLong"),
        fileBase64: z.string().min(1, "traineeImport.empty").max(MAX_BASE64, "traineeImport.tooBig"),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (!/\.xlsx$/i.test(input.fileName)) throw new AppError("BAD_REQUEST", "traineeImport.notXlsx", {}, "file");
      const bytes = Buffer.from(input.fileBase64, "base64");
      if (bytes.length > MAX_FILE_BYTES) throw new AppError("BAD_REQUEST", "traineeImport.tooBig", {}, "file");
      const { totalRows, goodRows, report } = await prepareUpload(ctx.db, bytes);
      const id = randomUUID();
      await ctx.db.traineeImport.create({
        data: {
          id,
          schoolId: ctx.school.id,
          fileName: input.fileName,
          file: bytes,
          totalRows,
          goodRows,
          report: report as object,
          createdBy: ctx.user.id,
        },
        select: { id: true },
      });
      return { id, totalRows, goodRows };
    }),

  /** The preview (and, once it ran, the result) of one upload: IINs and names, the office's (ADR 026). */
  get: schoolProcedure(WRITERS)
    .input(idInput)
    .query(async ({ ctx, input }) => {
      // RLS: another school's id reads as "not found".
      const row = await ctx.db.traineeImport.findUnique({
        where: { id: input.id },
        select: { ...summarySelect, report: true },
      });
      if (!row) throw new AppError("NOT_FOUND", "notFound");
      return { ...row, report: row.report as unknown as ImportReport };
    }),

  /** What the page polls while the job runs. */
  status: schoolProcedure(WRITERS)
    .input(idInput)
    .query(async ({ ctx, input }) => {
      const row = await ctx.db.traineeImport.findUnique({ where: { id: input.id }, select: summarySelect });
      if (!row) throw new AppError("NOT_FOUND", "notFound");
      return row;
    }),

  /** Queues the import of the good rows: status and the outbox row commit together. */
  // (named "start": tRPC reserves "apply" — callers are proxies over functions)
  start: schoolProcedure(WRITERS)
    .input(idInput)
    .mutation(async ({ ctx, input }) => {
      const row = await ctx.db.traineeImport.findUnique({
        where: { id: input.id },
        select: { status: true, goodRows: true },
      });
      if (!row) throw new AppError("NOT_FOUND", "notFound");
      if (row.status !== "uploaded") return { id: input.id, status: row.status }; // a second click changes nothing
      if (row.goodRows === 0) throw new AppError("BAD_REQUEST", "traineeImport.nothingToImport");
      await assertRoom(ctx.db, ctx.school.id, "trainees", row.goodRows);
      const { count } = await ctx.db.traineeImport.updateMany({
        where: { id: input.id, status: "uploaded" },
        data: { status: "queued" },
      });
      if (count === 0) return { id: input.id, status: "queued" as const };
      const payload: ImportJob = {
        importId: input.id,
        appliedBy: ctx.user.id,
        ip: ctx.meta.ip,
        userAgent: ctx.meta.userAgent,
      };
      await enqueue(ctx.db, { queue: "import", name: "apply", jobId: `import.${input.id}`, payload });
      return { id: input.id, status: "queued" as const };
    }),
});
