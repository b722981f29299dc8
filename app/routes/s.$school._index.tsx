import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/forms.server.ts";
import { loadWorkspace } from "~/components/workspace/forms.server.ts";
import { landingSection, onlyRole } from "../../domain/roles.ts";

/** The workspace's landing: where the member's day starts (landingSection, ADR 030). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const school = params.school!;
  const { roles } = (await loadWorkspace(context, school)).school;
  const section = landingSection(roles);
  // An instructor who also teaches would see every instructor's lessons: the landing asks for their own.
  const own = section === "lessons" && !onlyRole(roles, "instructor") ? `?instructor=${user.id}` : "";
  return redirect(`/s/${school}/${section}${own}`);
}
