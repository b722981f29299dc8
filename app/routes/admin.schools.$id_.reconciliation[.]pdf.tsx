// A school's reconciliation act as PDF for the operator (?from=YYYY-MM-DD&to=YYYY-MM-DD); a refusal as text.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const p = new URL(request.url).searchParams;
  return fileOrRefusal(context, () =>
    context.trpc.admin.accounting.reconciliation({
      schoolId: params.id ?? "",
      from: p.get("from") ?? "",
      to: p.get("to") ?? "",
    }),
  );
}
