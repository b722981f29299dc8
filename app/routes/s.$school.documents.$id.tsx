// One cabinet document as a file; its first opening by this user is recorded (offer 10.8).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  return fileOrRefusal(context, () => context.trpc.notices.document({ school: params.school!, id }));
}
