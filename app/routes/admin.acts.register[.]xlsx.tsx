// The month's ЭСФ register as XLSX (?month=YYYY-MM): every act line with the fields an electronic invoice needs.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const month = new URL(request.url).searchParams.get("month") ?? "";
  return fileOrRefusal(context, () => context.trpc.admin.accounting.esfRegister({ month }));
}
