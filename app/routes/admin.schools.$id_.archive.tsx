// The operator's side of a school's data archive (/admin/schools/<id>/archive): request one for the school (its
// request by letter, or a handover) and download it; the same states and progress bar as the director's page.
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Archives } from "~/components/archive/Archives.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs } from "~/components/workspace/forms.server.ts";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const schoolId = uuidParam(context, params.id);
  return loadWs(context, () => context.trpc.admin.privacy.archives.list({ schoolId }));
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const schoolId = uuidParam(context, params.id);
  const r = await runWs(context, () => context.trpc.admin.privacy.archives.request({ schoolId }));
  if (!r.ok) return refusedWith(r.response, {});
  return { requested: r.value.id };
}

export default function AdminSchoolArchive() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Record<string, never>> | { requested: string } | undefined;
  const t = useT();
  return (
    <main className="ws-main">
      <p>
        <Link to={`/admin/schools/${data.school.id}`}>{t("archive:admin.back")}</Link>
      </p>
      <h1>{t("archive:admin.title", { school: data.school.name })}</h1>
      <p className="muted">{t("archive:admin.lead")}</p>
      <Archives
        archives={data.archives}
        keepDays={data.keepDays}
        downloadHref={(id) => `/admin/schools/${data.school.id}/archive/${id}/download`}
        refusal={actionData && "error" in actionData ? actionData.error.message : null}
        requested={!!actionData && "requested" in actionData}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
