// The operator's invoices as XLSX: every invoice the list's filters pick (?status=&q=&period=&from=&to=&schoolId=),
// headers in the operator's language (admin.billing.invoicesXlsx).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/forms.server.ts";
import { listParams } from "~/lib/list-params.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";
import { isOneOf } from "../../domain/trainees.ts";

const STATUSES = ["open", "overdue", "paid", "void"] as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const { get, from, to, schoolId } = listParams(request);
  const period = get("period");
  return fileOrRefusal(context, () =>
    context.trpc.admin.billing.invoicesXlsx({
      status: isOneOf(STATUSES, get("status")) ? (get("status") as (typeof STATUSES)[number]) : undefined,
      q: get("q").slice(0, 60) || undefined,
      period: /^\d{4}-(0[1-9]|1[0-2])$/.test(period) ? period : undefined,
      from: from || undefined,
      to: to || undefined,
      schoolId: schoolId || undefined,
    }),
  );
}
