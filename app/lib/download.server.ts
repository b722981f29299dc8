import { contentDisposition, type FileDownload } from "../../domain/files.ts";

export { contentDisposition, safeFileName } from "../../domain/files.ts";

/** A generated file as an HTTP download (name in UTF-8 per RFC 6266, so Kazakh names survive). */
/** `ascii`: the name for clients that cannot read the UTF-8 one. */
export function downloadResponse(file: FileDownload, opts: { ascii?: string } = {}): Response {
  const bytes = Buffer.from(file.base64, "base64");
  return new Response(bytes, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(bytes.length),
      "Content-Disposition": contentDisposition(file.fileName, opts),
      "Cache-Control": "private, no-store",
    },
  });
}

/** A stored picture shown inline (never sniffed as anything else); `cacheControl` says how long a browser may keep it. */
export function imageResponse(img: { base64: string; contentType: string }, cacheControl: string): Response {
  const bytes = Buffer.from(img.base64, "base64");
  return new Response(bytes, {
    headers: {
      "Content-Type": img.contentType,
      "Content-Length": String(bytes.length),
      "Cache-Control": cacheControl,
      "X-Content-Type-Options": "nosniff",
    },
  });
}
