// One import's way through the workspace: the upload checked and kept for the preview, the preview and
// its progress read back, and the import queued as a durable job (./service.ts runs it).
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { AppError } from "../errors.ts";
import type { RequestMeta } from "../audit/log.ts";
import { assertRoom } from "../billing/limits.ts";
import { enqueue } from "../outbox/enqueue.ts";
import type { ImportReport } from "../../domain/import-reasons.ts";
import { MAX_FILE_BYTES } from "./xlsx.ts";
import { prepareUpload, type ImportJob } from "./service.ts";

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

/** Parses the file, checks every row against the register and keeps the upload for the preview. */
export async function uploadImport(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: { fileName: string; fileBase64: string },
) {
  if (!/\.xlsx$/i.test(input.fileName)) throw new AppError("BAD_REQUEST", "traineeImport.notXlsx", {}, "file");
  const bytes = Buffer.from(input.fileBase64, "base64");
  if (bytes.length > MAX_FILE_BYTES) throw new AppError("BAD_REQUEST", "traineeImport.tooBig", {}, "file");
  const { totalRows, goodRows, report } = await prepareUpload(tx, bytes);
  const id = randomUUID();
  await tx.traineeImport.create({
    data: {
      id,
      schoolId: school.id,
      fileName: input.fileName,
      file: bytes,
      totalRows,
      goodRows,
      report: report as object,
      createdBy: actor.id,
    },
    select: { id: true },
  });
  return { id, totalRows, goodRows };
}

/** The preview (and, once it ran, the result) of one upload. */
export async function getImport(tx: Tx, input: { id: string }) {
  // RLS: another school's id reads as "not found".
  const row = await tx.traineeImport.findUnique({
    where: { id: input.id },
    select: { ...summarySelect, report: true },
  });
  if (!row) throw new AppError("NOT_FOUND", "notFound");
  return { ...row, report: row.report as unknown as ImportReport };
}

/** How far the import has got. */
export async function importStatus(tx: Tx, input: { id: string }) {
  const row = await tx.traineeImport.findUnique({ where: { id: input.id }, select: summarySelect });
  if (!row) throw new AppError("NOT_FOUND", "notFound");
  return row;
}

/** Queues the import of the good rows, within the plan's limit: status and the outbox row commit together. */
export async function startImport(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: { id: string },
  meta: RequestMeta,
) {
  const row = await tx.traineeImport.findUnique({
    where: { id: input.id },
    select: { status: true, goodRows: true },
  });
  if (!row) throw new AppError("NOT_FOUND", "notFound");
  if (row.status !== "uploaded") return { id: input.id, status: row.status }; // a second click changes nothing
  if (row.goodRows === 0) throw new AppError("BAD_REQUEST", "traineeImport.nothingToImport");
  await assertRoom(tx, school.id, "trainees", row.goodRows);
  const { count } = await tx.traineeImport.updateMany({
    where: { id: input.id, status: "uploaded" },
    data: { status: "queued" },
  });
  if (count === 0) return { id: input.id, status: "queued" as const };
  const payload: ImportJob = {
    importId: input.id,
    appliedBy: actor.id,
    ip: meta.ip,
    userAgent: meta.userAgent,
  };
  await enqueue(tx, { queue: "import", name: "apply", jobId: `import.${input.id}`, payload });
  return { id: input.id, status: "queued" as const };
}
