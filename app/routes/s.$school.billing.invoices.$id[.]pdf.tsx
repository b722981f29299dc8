import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";

/** An invoice of the school as PDF, for paying by bank transfer (director; works in every access state). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  return fileOrRefusal(context, () => context.trpc.billing.invoicePdf({ school: params.school!, id }));
}
