// The trainee's optional photo: recognised by its bytes (PNG, JPEG, WebP), at most 1 MB, shown only to a
// role that sees it (ADR 026).
import type { Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { MAX_IMAGE_BYTES, sniffImage } from "../documents/image.ts";
import { sees } from "../../domain/visibility.ts";
import type { FileDownload } from "../../domain/files.ts";
import { ownTrainees, viewOf } from "./access.ts";

/** Sets or replaces the trainee's photo. */
export async function setPhoto(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: { id: string; base64: string },
) {
  const bytes = Buffer.from(input.base64, "base64");
  if (bytes.length > MAX_IMAGE_BYTES) throw new AppError("BAD_REQUEST", "photoTooBig", {}, "photo");
  const contentType = sniffImage(bytes);
  if (!contentType) throw new AppError("BAD_REQUEST", "photoNotImage", {}, "photo");
  if (!(await tx.trainee.findUnique({ where: { id: input.id }, select: { id: true } })))
    throw new AppError("NOT_FOUND", "notFound");
  await tx.traineePhoto.upsert({
    where: { traineeId: input.id },
    create: { traineeId: input.id, schoolId: school.id, content: bytes, contentType, updatedBy: actor.id },
    update: { content: bytes, contentType, updatedBy: actor.id, updatedAt: new Date() },
    select: { traineeId: true },
  });
  return { ok: true as const };
}

/** Removes the trainee's photo, if there is one. */
export async function removePhoto(tx: Tx, input: { id: string }) {
  // RLS: another school's trainee (or no trainee) reads as "not found", as everywhere else.
  if (!(await tx.trainee.findUnique({ where: { id: input.id }, select: { id: true } })))
    throw new AppError("NOT_FOUND", "notFound");
  await tx.traineePhoto.deleteMany({ where: { traineeId: input.id } });
  return { ok: true as const };
}

/** The trainee's photo as a file, or null when there is none; refused to a role that doesn't see it. */
export async function traineePhoto(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: { id: string },
): Promise<FileDownload | null> {
  const view = viewOf({ school, user: actor });
  if (!sees(view, "photo", (await ownTrainees(tx, view, [input.id])).has(input.id)))
    throw new AppError("FORBIDDEN", "forbidden");
  const p = await tx.traineePhoto.findUnique({
    where: { traineeId: input.id },
    select: { content: true, contentType: true },
  });
  return p
    ? {
        fileName: `photo-${input.id}`,
        contentType: p.contentType,
        base64: Buffer.from(p.content).toString("base64"),
      }
    : null;
}
