// An operator's download of a school's billing document (an act, a credit note) as PDF
// (admin.billing.documentPdf); a refusal comes back as text.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";
import { translator } from "../../domain/i18n/index.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = params.id ?? "";
  if (!UUID.test(id)) {
    return new Response(translator(context.ctx.locale)("errors:notFound"), {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return fileOrRefusal(context, () => context.trpc.admin.billing.documentPdf({ id }));
}
