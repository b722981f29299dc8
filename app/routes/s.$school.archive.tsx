// The school's data archive (director; every access state the workspace still opens): everything of the school
// as one zip, prepared by a job with a progress bar, kept for 7 days, downloadable by the director and the
// operator only. Linked from the privacy page (take it before a withdrawal takes effect) and the exports page.
import { useActionData, useLoaderData, useParams } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Archives } from "~/components/archive/Archives.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { loadWs, refusedWith, runWs } from "~/components/workspace/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadWs(context, () => context.trpc.privacy.archive.list({ school: params.school! }));
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const r = await runWs(context, () => context.trpc.privacy.archive.request({ school: params.school! }));
  if (!r.ok) return refusedWith(r.response, {});
  return { requested: r.value.id };
}

export default function SchoolArchive() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<Record<string, never>> | { requested: string } | undefined;
  const t = useT();
  const { school } = useParams();
  return (
    <main className="ws-main">
      <h1>{t("archive:title")}</h1>
      <Archives
        archives={data.archives}
        keepDays={data.keepDays}
        downloadHref={(id) => `/s/${school}/archive/${id}/download`}
        refusal={actionData && "error" in actionData ? actionData.error.message : null}
        requested={!!actionData && "requested" in actionData}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
