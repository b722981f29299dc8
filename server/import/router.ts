import { router } from "../trpc.ts";

/** Trainee import from XLSX: template, preview, apply as a durable job with progress. */
export const traineeImportRouter = router({});
