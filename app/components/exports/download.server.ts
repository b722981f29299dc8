import { redirect, type AppLoadContext } from "@remix-run/node";
import { downloadResponse } from "~/lib/download.server.ts";
import type { FileDownload } from "../../../domain/files.ts";

/**
 * A download for a resource route: the file, or — when refused (wrong period, not found, no right) —
 * the reason as plain text in the user's language with the right status, instead of a bare error page.
 */
export async function fileOrRefusal(context: AppLoadContext, fn: () => Promise<FileDownload>): Promise<Response> {
  try {
    return downloadResponse(await fn());
  } catch (e) {
    const error = context.describeError(e);
    if (!error) throw e;
    if (error.status === 401) throw redirect("/login");
    const details = error.fieldErrors ? Object.values(error.fieldErrors).filter((m) => m !== error.message) : [];
    return new Response([error.message, ...details].join("\n"), {
      status: error.status,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" },
    });
  }
}
