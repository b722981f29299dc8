import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";
import { isOneOf } from "../../domain/trainees.ts";
import { LOCALES } from "../../domain/i18n/index.ts";

/** One group's list for the state exam as XLSX (?id=&lang=). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const p = new URL(request.url).searchParams;
  const id = uuidParam(context, p.get("id") ?? undefined);
  const lang = p.get("lang");
  return fileOrRefusal(context, () =>
    context.trpc.exports.groupList({ school: params.school!, id, lang: isOneOf(LOCALES, lang) ? lang : undefined }),
  );
}
