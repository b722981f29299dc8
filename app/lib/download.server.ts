import type { FileDownload } from "../../server/documents/pdf.ts";

/** A generated file as an HTTP download (name in UTF-8 per RFC 6266, so Kazakh names survive). */
export function downloadResponse(file: FileDownload): Response {
  const bytes = Buffer.from(file.base64, "base64");
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "");
  return new Response(bytes, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(bytes.length),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
