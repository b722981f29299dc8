// A school's archive from the operator console (operator role, any school): the list, a request and the
// download, each checked against the school and recorded like the director's (service.ts).
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import type { Tx } from "../db/client.ts";
import type { RequestMeta } from "../audit/log.ts";
import { AppError } from "../errors.ts";
import { archiveForDownload, listArchives, requestArchive } from "./service.ts";

type Actor = { id: string };

/** The school (its name and slug for the page) and its archives; an unknown school is "not found". */
export async function schoolArchives(db: Tx, schoolId: string) {
  const school = await db.school.findUnique({
    where: { id: schoolId },
    select: { id: true, name: true, slug: true },
  });
  if (!school) throw new AppError("NOT_FOUND", "notFound");
  return { school, ...(await listArchives(db, school.id)) };
}

/** The operator's request for a school's archive, recorded and queued in one transaction. */
export async function requestSchoolArchive(db: PrismaClient, actor: Actor, schoolId: string, meta: RequestMeta) {
  const exists = await db.school.count({ where: { id: schoolId } });
  if (!exists) throw new AppError("NOT_FOUND", "notFound");
  return db.$transaction((tx) => requestArchive(tx, schoolId, actor.id, "operator", meta));
}

/** What the operator's download streams (server/archive/http.ts); the download is recorded. */
export async function downloadSchoolArchive(
  db: PrismaClient,
  actor: Actor,
  input: { schoolId: string; id: string },
  meta: RequestMeta,
) {
  return db.$transaction((tx) => archiveForDownload(tx, input.schoolId, input.id, actor.id, meta));
}
