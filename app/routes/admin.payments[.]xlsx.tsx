// The operator's payments as XLSX: every payment the list's filters pick (?method=&q=&from=&to=&schoolId=),
// headers in the operator's language (admin.billing.paymentsXlsx).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/forms.server.ts";
import { listParams } from "~/lib/list-params.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";
import { isOneOf } from "../../domain/trainees.ts";

const METHODS = ["card", "bank", "manual", "kaspi"] as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const { get, from, to, schoolId } = listParams(request);
  return fileOrRefusal(context, () =>
    context.trpc.admin.billing.paymentsXlsx({
      method: isOneOf(METHODS, get("method")) ? (get("method") as (typeof METHODS)[number]) : undefined,
      q: get("q").slice(0, 60) || undefined,
      from: from || undefined,
      to: to || undefined,
      schoolId: schoolId || undefined,
    }),
  );
}
