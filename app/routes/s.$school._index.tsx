import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/forms.server.ts";
import { loadWorkspace } from "~/components/workspace/forms.server.ts";

/** The workspace's landing: the director starts on the dashboard, everyone else on the trainees. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const { roles } = (await loadWorkspace(context, school)).school;
  return redirect(`/s/${school}/${roles.includes("director") ? "dashboard" : "trainees"}`);
}
