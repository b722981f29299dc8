import type { FileDownload } from "../../server/documents/pdf.ts";
import { contentDisposition } from "../../server/documents/file-name.ts";

export { contentDisposition, safeFileName } from "../../server/documents/file-name.ts";

/** A generated file as an HTTP download (name in UTF-8 per RFC 6266, so Kazakh names survive). */
export function downloadResponse(file: FileDownload): Response {
  const bytes = Buffer.from(file.base64, "base64");
  return new Response(bytes, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(bytes.length),
      "Content-Disposition": contentDisposition(file.fileName),
      "Cache-Control": "private, no-store",
    },
  });
}
