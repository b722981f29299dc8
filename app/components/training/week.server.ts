import type { AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { loadWorkspace } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { weekFromUrl } from "~/lib/week.ts";
import { isWriter } from "../../../domain/roles.ts";

/**
 * The start of a school's week-schedule loader (driving lessons, theory): the signed-in check, the week
 * the URL asks for, the school and the viewer's roles there, and whether they may book.
 */
export async function loadWeekPage(context: AppLoadContext, request: Request, params: LoaderFunctionArgs["params"]) {
  requireUser(context, request);
  const url = new URL(request.url);
  const { today, monday } = weekFromUrl(url);
  const school = params.school!;
  const { roles } = await loadWorkspace(context, school).then((w) => w.school);
  return { url, today, monday, school, roles, writer: isWriter(roles) };
}
