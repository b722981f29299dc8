import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { bulkSelection, registerFilter } from "~/components/workspace/bulk.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";
import { isOneOf } from "../../domain/trainees.ts";
import { LOCALES } from "../../domain/i18n/index.ts";

/** The trainee register as XLSX, filtered like the list page (?status=&category=&groupId=&q=&lang=). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const p = new URL(request.url).searchParams;
  const lang = p.get("lang");
  return fileOrRefusal(context, () =>
    context.trpc.exports.register({
      school: params.school!,
      ...registerFilter((name) => p.get(name), "groupId"),
      lang: isOneOf(LOCALES, lang) ? lang : undefined,
    }),
  );
}

/** The register's bulk bar "Export": the ticked trainees, or all the posted filters match. */
export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const selection = bulkSelection(await request.formData());
  return fileOrRefusal(context, () =>
    context.trpc.exports.register({
      school: params.school!,
      ...(selection.ids ? { ids: selection.ids } : selection.filter),
    }),
  );
}
