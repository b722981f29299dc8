import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { fileOrRefusal } from "~/components/exports/download.server.ts";
import { isOneOf } from "../../domain/trainees.ts";
import { LOCALES } from "../../domain/i18n/index.ts";

/** The contract with the trainee as PDF, from the school's template (?lang= to choose the language). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const lang = new URL(request.url).searchParams.get("lang");
  return fileOrRefusal(context, () =>
    context.trpc.exports.contract({ school: params.school!, id, lang: isOneOf(LOCALES, lang) ? lang : undefined }),
  );
}
