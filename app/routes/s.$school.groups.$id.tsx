import { ConfirmButton } from "~/components/ConfirmButton.tsx";
import { Notice } from "~/components/Notice.tsx";
import { TraineeStatusBadge } from "~/components/StatusBadge.tsx";
import { Table } from "~/components/Table.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { FilterForm, FormAlert, SearchBox } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { isWriter } from "../../domain/roles.ts";
import { loadWorkspace, loadWs, refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { useTraineeView } from "~/components/workspace/useTraineeView.ts";
import { GroupForm, type GroupValues } from "~/components/resources/GroupForm.tsx";
import { groupInput } from "~/components/resources/forms.server.ts";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { PrintLink, PrintTitle } from "~/components/Print.tsx";
import { translator } from "../../domain/i18n/index.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const id = uuidParam(context, params.id);
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 100);
  const [group, ws] = await Promise.all([
    loadWs(context, () => context.trpc.resources.group({ school, id })),
    loadWorkspace(context, school),
  ]);
  const writer = isWriter(ws.school.roles);
  const [teachers, candidates] = writer
    ? await Promise.all([
        loadWs(context, () => context.trpc.staff.list({ school })).then((l) =>
          l.members.filter((m) => m.roles.includes("teacher")).map((m) => ({ id: m.id, fullName: m.fullName })),
        ),
        loadWs(context, () => context.trpc.resources.groupCandidates({ school, id, q: q || undefined })),
      ])
    : [[], []];
  return { group, teachers, candidates, q };
}

type Intent = "update" | "assign" | "remove";
type Done = { done: Intent; count?: number };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const id = uuidParam(context, params.id);
  const form = await request.formData();
  const intent = text(form, "intent");
  if (intent === "update") {
    const { values, input } = groupInput(form);
    const result = await runWs(context, () => context.trpc.resources.updateGroup({ school, id, data: input }));
    if (!result.ok) return refusedWith(result.response, { intent, ...values }, "data.");
    return { done: "update" } satisfies Done;
  }
  if (intent === "assign" || intent === "remove") {
    const traineeIds = form.getAll("traineeIds").filter((v): v is string => typeof v === "string");
    const result = await runWs(context, () =>
      context.trpc.resources.assignToGroup({ school, traineeIds, groupId: intent === "assign" ? id : null }),
    );
    if (!result.ok) return refusedWith(result.response, { intent });
    return { done: intent, count: result.value.moved } satisfies Done;
  }
  return data(
    {
      error: {
        message: translator(context.ctx.locale)("errors:badRequest"),
        fieldErrors: null,
        field: null,
        status: 400,
      },
      values: { intent },
    },
    { status: 400 },
  );
}

export default function GroupPage() {
  // The IIN column only for a role that sees IINs (ADR 026).
  const { column } = useTraineeView();
  const { group, teachers, candidates, q } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<GroupValues & { intent: string }> | Done | undefined;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const writer = isWriter(school.roles);
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData && navigation.state === "idle" ? actionData : null;
  const busy = navigation.state === "submitting";
  const stored: GroupValues = {
    number: group.number,
    category: group.category,
    startsOn: group.startsOn,
    endsOn: group.endsOn,
    teacherId: group.teacherId ?? "",
    timetable: group.timetable ?? "",
  };
  const notice =
    done?.done === "update"
      ? t("resources:group.saved")
      : done?.done === "assign"
        ? t("resources:group.added", { count: done.count ?? 0 })
        : done?.done === "remove"
          ? t("resources:group.removed")
          : params.get("created")
            ? t("resources:groups.created")
            : null;
  const base = `/s/${school.slug}`;
  return (
    <main className="ws-main">
      <p>
        <Link to={`${base}/groups`}>{t("resources:group.backToList")}</Link>
      </p>
      <div className="ws-head">
        <h1>{t("resources:group.title", { number: group.number })}</h1>
        <div className="ws-head-actions">
          <Link to={`${base}/theory/grid?group=${group.id}`}>{t("schedule:theoryGrid.title")}</Link>
          <PrintLink />
        </div>
      </div>
      <PrintTitle title={t("resources:group.title", { number: group.number })} />
      {notice ? <Notice>{notice}</Notice> : null}
      {refused && refused.values.intent !== "update" ? <FormAlert message={refused.error.message} /> : null}
      {!writer ? <p className="banner-inline">{t("resources:group.readOnly")}</p> : null}

      <dl className="facts card">
        <dt>{t("resources:groups.cols.category")}</dt>
        <dd>{group.category}</dd>
        <dt>{t("resources:groups.cols.dates")}</dt>
        <dd>{t("resources:groups.dates", { from: fmt.date(group.startsOn), to: fmt.date(group.endsOn) })}</dd>
        <dt>{t("resources:groups.cols.teacher")}</dt>
        <dd>{group.teacherName ?? <span className="muted">{t("resources:groups.noTeacher")}</span>}</dd>
        <dt>{t("resources:groups.cols.timetable")}</dt>
        <dd>{group.timetable ?? <span className="muted">{t("resources:none")}</span>}</dd>
        <dt>{t("resources:groups.cols.trainees")}</dt>
        <dd>{group.trainees.length}</dd>
      </dl>

      <h2>{t("resources:group.trainees")}</h2>
      <Table
        rows={group.trainees}
        empty={t("resources:group.noTrainees")}
        emptyClassName="card muted"
        labels="resources:group.traineeCols"
        columns={["name", column("iin") && "iin", ["status", "hide-phone"], writer && "actions"]}
        row={(tr) => (
          <tr key={tr.id}>
            <td>
              <Link to={`${base}/trainees/${tr.id}`}>{tr.fullName}</Link>
            </td>
            {column("iin") ? <td className="nowrap mono">{tr.iin}</td> : null}
            <td className="hide-phone">
              <TraineeStatusBadge status={tr.status} />
            </td>
            {writer ? (
              <td>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="traineeIds" value={tr.id} />
                  <ConfirmButton question={t("resources:group.removeConfirm")}>
                    {t("resources:group.removeFromGroup")}
                  </ConfirmButton>
                </Form>
              </td>
            ) : null}
          </tr>
        )}
      />

      {writer ? (
        <section className="card res-add" id="add">
          <h2 className="first">{t("resources:group.addTitle")}</h2>
          <p className="muted">{t("resources:group.addLead", { category: group.category })}</p>
          <FilterForm
            search
            action="#add"
            submitLabel={t("resources:group.find")}
            submitClassName="secondary"
            filtered={q}
            resetTo="?#add"
            resetLabel={t("resources:group.showAll")}
          >
            <SearchBox
              id="cq"
              label={t("resources:group.searchLabel")}
              defaultValue={q}
              placeholder={t("resources:group.searchPlaceholder")}
              maxLength={100}
            />
          </FilterForm>
          {candidates.length === 0 ? (
            <p className="muted">{t("resources:group.noCandidates")}</p>
          ) : (
            <Form method="post" key={`${q}-${group.trainees.length}`}>
              <input type="hidden" name="intent" value="assign" />
              <ul className="pick-list">
                {candidates.map((c) => (
                  <li key={c.id}>
                    <label className="check">
                      <input
                        type="checkbox"
                        name="traineeIds"
                        value={c.id}
                        aria-label={t("resources:group.pick", { name: c.fullName })}
                      />
                      <span>
                        {c.fullName} <span className="mono muted">{c.iin}</span>{" "}
                        <span className="badge">{c.category}</span>
                        {c.groupNumber ? (
                          <span className="muted small">
                            {" "}
                            · {t("resources:group.inGroup", { number: c.groupNumber })}
                          </span>
                        ) : null}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
              <p className="muted small">{t("resources:group.movedNote")}</p>
              <button type="submit" className="primary" disabled={busy}>
                {t("resources:group.add")}
              </button>
            </Form>
          )}
        </section>
      ) : null}

      {writer ? (
        <GroupForm
          key={`${group.number}-${group.startsOn}-${group.endsOn}-${group.teacherId}-${group.timetable}-${group.category}`}
          title={t("resources:group.editTitle")}
          intent="update"
          values={refused?.values.intent === "update" ? refused.values : stored}
          teachers={teachers}
          fieldErrors={refused?.values.intent === "update" ? refused.error.fieldErrors : null}
          message={refused?.values.intent === "update" ? refused.error.message : null}
          submitLabel={t("common:save")}
          busy={busy}
        />
      ) : null}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
