// What the archive procedures accept: an archive of the caller's school, or (for the operator) a school and
// one of its archives.
import { z } from "zod";

export const archiveIdInput = z.object({ id: z.uuid() });

export const schoolIdInput = z.object({ schoolId: z.uuid() });

export const schoolArchiveInput = z.object({ schoolId: z.uuid(), id: z.uuid() });
