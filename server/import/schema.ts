// The inputs of the trainee import: an upload as base64, and one import by its id.
import { z } from "zod";
import { MAX_FILE_BYTES } from "./xlsx.ts";

// base64 is 4/3 the size of the bytes; a little slack for padding.
const MAX_BASE64 = Math.ceil(MAX_FILE_BYTES / 3) * 4 + 16;

export const uploadInput = z.object({
  fileName: z.string().trim().min(1, "required").max(200, "tooLong"),
  fileBase64: z.string().min(1, "traineeImport.empty").max(MAX_BASE64, "traineeImport.tooBig"),
});

export const idInput = z.object({ id: z.uuid() });
