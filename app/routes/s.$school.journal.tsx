import { Link, useLoaderData } from "@remix-run/react";
import { Table } from "~/components/Table.tsx";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { load, requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { useDescribeEntry } from "~/components/training/TraineeTraining.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const before = Number(new URL(request.url).searchParams.get("before")) || undefined;
  const school = params.school!;
  const [check, page] = await load(context, () =>
    Promise.all([context.trpc.training.journalCheck({ school }), context.trpc.training.journal({ school, before })]),
  );
  return { check, page };
}

export default function Journal() {
  const { check, page } = useLoaderData<typeof loader>();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const describe = useDescribeEntry();
  return (
    <main className="ws-main">
      <h1>{t("training:journal.title")}</h1>
      <p className="muted">{t("training:journal.lead")}</p>
      <div className={`check-result ${check.intact ? "ok" : "broken"}`} role="status" data-testid="journal-check">
        {check.intact
          ? t("training:journal.intact", { entries: check.entries })
          : t("training:journal.broken", { at: check.brokenAt, reason: t(`training:journal.reasons.${check.reason}`) })}
      </div>
      <Table
        rows={page.items}
        empty={t("training:journal.empty")}
        labels="training:journal.cols"
        columns={["seq", "at", "kind", "subject", ["hash", "hide-phone"]]}
        row={(e) => (
          <tr key={e.seq}>
            <td>{e.seq}</td>
            <td className="nowrap">{fmt.dateTime(e.at)}</td>
            <td>{describe(e.kind, e.data)}</td>
            <td>
              {e.subjectId ? (
                <Link to={`/s/${school.slug}/trainees/${e.subjectId}#history`}>{e.subjectName ?? "→"}</Link>
              ) : (
                "—"
              )}
            </td>
            <td className="hide-phone mono small">
              <abbr title={e.hash}>{e.hash.slice(0, 12)}…</abbr>
            </td>
          </tr>
        )}
      />
      {page.nextBefore ? (
        <p className="pager">
          <span />
          <Link to={`?before=${page.nextBefore}`}>{t("training:journal.older")}</Link>
        </p>
      ) : null}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
