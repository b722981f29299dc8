import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/forms.server.ts";
import { loadWs } from "~/components/workspace/forms.server.ts";
import { buildTemplate } from "~/components/import/template.server.ts";
import { translator } from "~/i18n/index.ts";
import { contentDisposition } from "~/lib/download.server.ts";

/** The import template in the user's language, as a download. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  await loadWs(context, () => context.trpc.school.workspace({ school: params.school! }));
  const locale = context.ctx.locale;
  const bytes = await buildTemplate(locale);
  const name = `${translator(locale)("traineeImport:template.sheet")}.xlsx`;
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": contentDisposition(name, { ascii: `avtomektep-template-${locale}.xlsx` }),
      "Cache-Control": "private, no-store",
    },
  });
}
