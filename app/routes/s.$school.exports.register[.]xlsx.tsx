import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { bulkSelection } from "~/components/workspace/bulk.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";
import { CATEGORIES, isOneOf, TRAINEE_STATUSES } from "../../domain/trainees.ts";
import { LOCALES } from "../../domain/i18n/index.ts";

/** The trainee register as XLSX, filtered like the list page (?status=&category=&groupId=&q=&lang=). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const p = new URL(request.url).searchParams;
  const status = p.get("status");
  const category = p.get("category");
  const groupId = p.get("groupId") ?? "";
  const lang = p.get("lang");
  const q = (p.get("q") ?? "").trim().slice(0, 100);
  return fileOrRefusal(context, () =>
    context.trpc.exports.register({
      school: params.school!,
      status: isOneOf(TRAINEE_STATUSES, status) ? status : undefined,
      category: isOneOf(CATEGORIES, category) ? category : undefined,
      groupId: /^[0-9a-f-]{36}$/i.test(groupId) ? groupId : undefined,
      q: q || undefined,
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
