import type { LoaderFunctionArgs } from "@remix-run/node";
import { load, requireUser } from "~/lib/forms.server.ts";
import { downloadResponse } from "~/lib/download.server.ts";

/** The import template in the user's language, as a download. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const file = await load(context, () => context.trpc.traineeImport.template({ school: params.school! }));
  return downloadResponse(file, { ascii: `avtomektep-template-${context.ctx.locale}.xlsx` });
}
