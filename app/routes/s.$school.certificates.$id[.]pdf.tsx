import type { LoaderFunctionArgs } from "@remix-run/node";
import { load, requireUser, uuidParam } from "~/lib/forms.server.ts";
import { downloadResponse } from "~/lib/download.server.ts";

/** One certificate as a PDF in the user's language. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  return downloadResponse(await load(context, () => context.trpc.exams.certificatePdf({ school: params.school!, id })));
}
