import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";
import { isOneOf } from "../../domain/trainees.ts";
import { LOCALES } from "../../domain/i18n/index.ts";

/** The driving lessons journal for a period as XLSX (?from=&to=&lang=, dates in Asia/Almaty). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const p = new URL(request.url).searchParams;
  const lang = p.get("lang");
  return fileOrRefusal(context, () =>
    context.trpc.exports.lessons({
      school: params.school!,
      from: p.get("from") ?? "",
      to: p.get("to") ?? "",
      lang: isOneOf(LOCALES, lang) ? lang : undefined,
    }),
  );
}
