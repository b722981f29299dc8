import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireUser, safeNext, uuidParam } from "~/lib/forms.server.ts";
import { loadWs } from "~/components/workspace/forms.server.ts";

/**
 * The banners' buttons (components/workspace/Banners.tsx): "Read" on an offer change, "Hide" on a maintenance
 * announcement; back to the page they were on. A route of its own: a plain form post (no JavaScript) to
 * /s/<slug> would reach the index route, not the layout.
 */
export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const school = params.school!;
  if (form.has("maintenanceId")) {
    const maintenanceId = uuidParam(context, String(form.get("maintenanceId")));
    await loadWs(context, () => context.trpc.notices.dismissMaintenance({ school, maintenanceId }));
  } else {
    const noticeId = uuidParam(context, String(form.get("noticeId") ?? ""));
    await loadWs(context, () => context.trpc.notices.markRead({ school, noticeId }));
  }
  return redirect(safeNext(String(form.get("next") ?? ""), `/s/${school}`));
}
