// The school's reconciliation act with the operator as PDF (?from=YYYY-MM-DD&to=YYYY-MM-DD), for its accountant.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const p = new URL(request.url).searchParams;
  return fileOrRefusal(context, () =>
    context.trpc.billing.reconciliation({ school: params.school!, from: p.get("from") ?? "", to: p.get("to") ?? "" }),
  );
}
