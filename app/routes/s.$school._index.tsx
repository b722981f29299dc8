import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { load, requireUser } from "~/lib/forms.server.ts";

/** The workspace's landing: the director starts on the dashboard, everyone else on the trainees. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const { roles } = (await load(context, () => context.trpc.school.workspace({ school }))).school;
  return redirect(`/s/${school}/${roles.includes("director") ? "dashboard" : "trainees"}`);
}
