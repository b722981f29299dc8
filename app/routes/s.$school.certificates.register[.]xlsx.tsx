import type { LoaderFunctionArgs } from "@remix-run/node";
import { load, requireUser } from "~/lib/forms.server.ts";
import { downloadResponse } from "~/lib/download.server.ts";

/** The register of issued certificates as XLSX (?status=active|cancelled narrows it). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const s = new URL(request.url).searchParams.get("status");
  const status = s === "active" || s === "cancelled" ? s : "all";
  return downloadResponse(
    await load(context, () => context.trpc.exams.registerXlsx({ school: params.school!, status })),
  );
}
