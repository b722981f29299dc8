// The archive queue: builds one school archive per job (server/archive/build.ts). The job id is the outbox's
// `archive-<id>`, so a request is built once. A killed worker's job comes back after its lock expires
// (JOB_LOCK_MS) and starts again from nothing — the half-written archive died with the transaction. When the
// last attempt fails the archive is marked failed, and the school may ask again.
import type { Job } from "bullmq";
import { buildArchive } from "../server/archive/build.ts";
import { markArchiveFailed } from "../server/archive/service.ts";

export type ArchiveJob = { archiveId: string };

export async function processArchive(job: Job<ArchiveJob>): Promise<unknown> {
  if (job.name !== "build") throw new Error(`archive: unknown job ${job.name}`);
  try {
    return await buildArchive(job.data.archiveId);
  } catch (err) {
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1))
      await markArchiveFailed(job.data.archiveId, String((err as Error).message ?? err));
    throw err;
  }
}
