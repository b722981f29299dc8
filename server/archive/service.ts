// The school archive's life: requested (by the director or the operator, through the outbox in the same
// transaction), built by the `archive` job (build.ts), downloaded in chunks, expired by the daily `privacy` job.
// Every step is in the audit log: requested, ready (or failed), downloaded, expired.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import { operatorDb, type Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { enqueue } from "../outbox/enqueue.ts";
import { KEEP_DAYS } from "./build.ts";

/** Archives a school may request in 24 hours (each one is the whole school: bytes and work). */
export const MAX_REQUESTS_PER_DAY = 3;
/** A build still queued or running after this long is called failed, so a new one can be requested. */
export const STUCK_AFTER_MS = 24 * 3600_000;

export const archiveJobId = (archiveId: string) => `archive-${archiveId}`;

type Db = Tx | PrismaClient;

/** Records the request and queues its build in the caller's transaction; one open build per school. */
export async function requestArchive(
  db: Tx,
  schoolId: string,
  userId: string,
  via: "school" | "operator",
  meta: RequestMeta,
  now = new Date(),
) {
  const open = await db.schoolArchive.findFirst({
    where: { schoolId, status: { in: ["queued", "building"] } },
    select: { id: true },
  });
  if (open) throw new AppError("CONFLICT", "archive.inProgress");
  const recent = await db.schoolArchive.count({
    where: { schoolId, requestedAt: { gt: new Date(now.getTime() - 24 * 3600_000) } },
  });
  if (recent >= MAX_REQUESTS_PER_DAY) throw new AppError("CONFLICT", "archive.tooMany", { max: MAX_REQUESTS_PER_DAY });
  const id = randomUUID();
  // The partial unique index (one queued or building archive per school) settles two requests at the same moment.
  await db.schoolArchive.create({
    data: { id, schoolId, requestedBy: userId, requestedVia: via, requestedAt: now },
    select: { id: true },
  });
  await enqueue(db, { queue: "archive", name: "build", jobId: archiveJobId(id), payload: { archiveId: id } });
  await audit(db, meta, {
    action: "archive.requested",
    schoolId,
    actorUserId: userId,
    details: { archiveId: id, via },
  });
  return { id };
}

/** The school's archives, newest first, as the screens show them (progress in percent). */
export async function listArchives(db: Db, schoolId: string, now = new Date()) {
  const rows = await db.schoolArchive.findMany({ where: { schoolId }, orderBy: { requestedAt: "desc" }, take: 20 });
  const users = await db.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.requestedBy))] } },
    select: { id: true, fullName: true },
  });
  const names = new Map(users.map((u) => [u.id, u.fullName]));
  return {
    keepDays: KEEP_DAYS,
    archives: rows.map((r) => {
      const expired = r.status === "expired" || (r.status === "ready" && r.expiresAt !== null && r.expiresAt <= now);
      return {
        id: r.id,
        status: expired ? ("expired" as const) : (r.status as "queued" | "building" | "ready" | "failed"),
        requestedAt: r.requestedAt,
        requestedVia: r.requestedVia as "school" | "operator",
        requestedBy: names.get(r.requestedBy) ?? "—",
        percent:
          r.status === "ready"
            ? 100
            : r.progressTotal > 0
              ? Math.min(99, Math.floor((100 * r.progressDone) / r.progressTotal))
              : 0,
        readyAt: r.readyAt,
        expiresAt: r.expiresAt,
        sizeBytes: r.sizeBytes === null ? null : Number(r.sizeBytes),
        fileName: r.fileName,
      };
    }),
  };
}

/** What a download streams: refused unless ready and not expired. Records the download. */
export async function archiveForDownload(
  db: Tx,
  schoolId: string,
  archiveId: string,
  actorUserId: string,
  meta: RequestMeta,
  now = new Date(),
) {
  const a = await db.schoolArchive.findFirst({ where: { id: archiveId, schoolId } });
  if (!a) throw new AppError("NOT_FOUND", "archive.notFound");
  if (a.status === "expired" || (a.expiresAt !== null && a.expiresAt <= now))
    throw new AppError("NOT_FOUND", "archive.expired");
  if (a.status !== "ready" || a.chunkCount === null || a.sizeBytes === null || !a.fileName)
    throw new AppError("CONFLICT", "archive.notReady");
  await audit(db, meta, {
    action: "archive.downloaded",
    schoolId,
    actorUserId,
    details: { archiveId, bytes: Number(a.sizeBytes) },
  });
  return {
    id: a.id,
    schoolId,
    fileName: a.fileName,
    sizeBytes: Number(a.sizeBytes),
    chunkCount: a.chunkCount,
    sha256: a.sha256,
  };
}

export type ArchiveDownload = Awaited<ReturnType<typeof archiveForDownload>>;

/** One stored piece of the zip (RLS or the operator role decides whose). */
export async function readChunk(db: Db, archiveId: string, seq: number): Promise<Buffer> {
  const row = await db.schoolArchiveChunk.findUnique({
    where: { archiveId_seq: { archiveId, seq } },
    select: { content: true },
  });
  if (!row) throw new Error(`archive ${archiveId} has no chunk ${seq}`);
  return Buffer.from(row.content);
}

/** The build gave up (its last attempt failed): the screen says so, and a new request is allowed. */
export async function markArchiveFailed(archiveId: string, reason: string): Promise<void> {
  await operatorDb().$transaction(async (tx) => {
    const rows = await tx.schoolArchive.updateManyAndReturn({
      where: { id: archiveId, status: { in: ["queued", "building"] } },
      data: { status: "failed", error: reason.slice(0, 500) },
      select: { schoolId: true },
    });
    for (const r of rows)
      await audit(
        tx,
        { ip: null, userAgent: null },
        { action: "archive.failed", schoolId: r.schoolId, details: { archiveId, reason: reason.slice(0, 200) } },
      );
  });
}

/**
 * The daily housekeeping: archives past their time lose their bytes (the row stays, marked expired, as the
 * record of the export); builds stuck for a day are called failed. Run twice, the second run finds nothing.
 */
export async function expireArchives(now = new Date()): Promise<{ expired: number; failed: number }> {
  const db = operatorDb();
  let expired = 0;
  for (;;) {
    const due = await db.schoolArchive.findMany({
      where: { status: "ready", expiresAt: { lte: now } },
      select: { id: true, schoolId: true },
      take: 100,
    });
    if (due.length === 0) break;
    for (const a of due) {
      await db.$transaction(async (tx) => {
        const marked = await tx.schoolArchive.updateMany({
          where: { id: a.id, status: "ready" },
          data: { status: "expired", expiredAt: now },
        });
        if (marked.count === 0) return;
        const { count } = await tx.schoolArchiveChunk.deleteMany({ where: { archiveId: a.id } });
        await audit(
          tx,
          { ip: null, userAgent: null },
          { action: "archive.expired", schoolId: a.schoolId, details: { archiveId: a.id, chunks: count } },
        );
        expired++;
      });
    }
  }
  const stuck = await db.schoolArchive.findMany({
    where: { status: { in: ["queued", "building"] }, requestedAt: { lte: new Date(now.getTime() - STUCK_AFTER_MS) } },
    select: { id: true },
  });
  for (const a of stuck) await markArchiveFailed(a.id, "not finished within a day");
  return { expired, failed: stuck.length };
}

/** Every archive of a school goes at once (the school's withdrawal took effect): chunks deleted, rows expired. */
export async function dropSchoolArchives(tx: Tx, schoolId: string, now: Date): Promise<number> {
  await tx.schoolArchive.updateMany({
    where: { schoolId, status: { in: ["queued", "building"] } },
    data: { status: "failed", error: "personal data consent withdrawn" },
  });
  await tx.schoolArchive.updateMany({
    where: { schoolId, status: "ready" },
    data: { status: "expired", expiredAt: now },
  });
  const { count } = await tx.schoolArchiveChunk.deleteMany({ where: { schoolId } });
  return count;
}
