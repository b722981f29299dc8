import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";

export type UploadForm =
  | { ok: true; form: FormData }
  | { ok: false; status: 400 | 413 | 415; reason: "tooBig" | "notMultipart" | "malformed" };

/**
 * The multipart form of an upload page, each part at most `maxPartSize` bytes (the whole body is bounded in
 * front of the app: server/http/body-limit.ts). A request that isn't multipart — an URL-encoded post sent by
 * a script — or a broken one is refused (415/400) instead of failing with a 500; the route words the message.
 */
export async function readUploadForm(request: Request, maxPartSize: number): Promise<UploadForm> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type)) return { ok: false, status: 415, reason: "notMultipart" };
  try {
    return {
      ok: true,
      form: await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize })),
    };
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return { ok: false, status: 413, reason: "tooBig" };
    // no boundary, or a body that isn't multipart after all
    return { ok: false, status: 400, reason: "malformed" };
  }
}
