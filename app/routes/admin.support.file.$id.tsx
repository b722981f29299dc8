import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";

/** A file attached to a support ticket, for the operator, as a download (never shown inline). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  return fileOrRefusal(context, () => context.trpc.admin.support.attachment({ id }));
}
