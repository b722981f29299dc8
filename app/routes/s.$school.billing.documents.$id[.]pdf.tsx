import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";

/** A document of the school's cabinet (an act of completed work) as PDF; the first opening is recorded. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  return fileOrRefusal(context, () => context.trpc.billing.document({ school: params.school!, id }));
}
