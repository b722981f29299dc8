// The tuition debtors list as XLSX, in the reader's language.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  return fileOrRefusal(context, () => context.trpc.tuition.debtorsXlsx({ school: params.school! }));
}
