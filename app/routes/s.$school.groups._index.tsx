import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import { Table } from "~/components/Table.tsx";
import { FilterForm, SearchBox } from "~/components/Field.tsx";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { isWriter } from "../../domain/roles.ts";
import { loadWorkspace, loadWs, refusedWith, runWs } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { GroupForm, type GroupValues } from "~/components/resources/GroupForm.tsx";
import { groupInput } from "~/components/resources/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 100);
  const [groups, ws] = await Promise.all([
    loadWs(context, () => context.trpc.resources.groups({ school, q: q || undefined })),
    loadWorkspace(context, school),
  ]);
  // Only those who may create a group need the teachers to choose from.
  const teachers = isWriter(ws.school.roles)
    ? (await loadWs(context, () => context.trpc.staff.list({ school }))).members
        .filter((m) => m.roles.includes("teacher"))
        .map((m) => ({ id: m.id, fullName: m.fullName }))
    : [];
  return { groups, q, teachers };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const { values, input } = groupInput(await request.formData());
  const result = await runWs(context, () => context.trpc.resources.createGroup({ school, ...input }));
  if (!result.ok) return refusedWith(result.response, values);
  throw redirect(`/s/${school}/groups/${result.value.id}?created=1`);
}

export default function Groups() {
  const { groups, q, teachers } = useLoaderData<typeof loader>();
  const refused = useActionData() as Refused<GroupValues> | undefined;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const base = `/s/${school.slug}/groups`;
  return (
    <main className="ws-main">
      <div className="ws-head">
        <h1>{t("resources:groups.title")}</h1>
        {isWriter(school.roles) ? (
          <a href="#new-group" className="button">
            {t("resources:groups.create")}
          </a>
        ) : null}
      </div>
      <FilterForm
        search
        submitLabel={t("common:search")}
        filtered={q}
        resetTo={base}
        resetLabel={t("resources:groups.reset")}
      >
        <SearchBox
          label={t("resources:groups.searchLabel")}
          defaultValue={q}
          placeholder={t("resources:groups.searchPlaceholder")}
          maxLength={100}
        />
      </FilterForm>
      {params.get("created") ? <Notice>{t("resources:groups.created")}</Notice> : null}
      <p className="muted">{t("resources:groups.total", { count: groups.length })}</p>
      <Table
        rows={groups}
        empty={t("resources:groups.empty")}
        emptyClassName="card muted"
        labels="resources:groups.cols"
        columns={["number", "category", "dates", ["teacher", "hide-phone"], ["trainees", "num"]]}
        row={(g) => (
          <tr key={g.id}>
            <td className="nowrap">
              <Link to={`${base}/${g.id}`}>{g.number}</Link>
            </td>
            <td>{g.category}</td>
            <td>{t("resources:groups.dates", { from: fmt.date(g.startsOn), to: fmt.date(g.endsOn) })}</td>
            <td className="hide-phone">
              {g.teacherName ?? <span className="muted">{t("resources:groups.noTeacher")}</span>}
            </td>
            <td className="num">{g.traineeCount}</td>
          </tr>
        )}
      />
      {isWriter(school.roles) ? (
        <div id="new-group" className="res-create">
          <GroupForm
            title={t("resources:groups.createTitle")}
            intent="create"
            values={refused?.values ?? { category: "B" }}
            teachers={teachers}
            fieldErrors={refused?.error.fieldErrors}
            message={refused?.error.message}
            submitLabel={t("resources:groups.create")}
            busy={navigation.state === "submitting"}
          />
        </div>
      ) : null}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
