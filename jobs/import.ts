import type { Job } from "bullmq";
import { runImport, type ImportJob } from "../server/import/service.ts";

/**
 * Applies one trainee import (server/import/service.ts runImport): all good rows in one transaction,
 * progress through a separate connection. Idempotent: the import's status and the unique IIN per
 * school make a retried or re-added job a no-op once the import is done.
 */
export async function processImport(job: Pick<Job<ImportJob>, "data">) {
  return runImport(job.data);
}
