import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import { TraineeStatusBadge } from "~/components/StatusBadge.tsx";
import { Table } from "~/components/Table.tsx";
import { FilterForm, FilterSelect, SearchBox } from "~/components/Field.tsx";
import { CursorPager } from "~/components/Pager.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { BulkBar } from "~/components/workspace/BulkBar.tsx";
import { BulkResult, type BulkOutcome } from "~/components/workspace/BulkResult.tsx";
import { bulkAction, bulkSelection, registerFilter } from "~/components/workspace/bulk.server.ts";
import { FormAlert } from "~/components/Field.tsx";
import { PrintLink, PrintTitle } from "~/components/Print.tsx";
import { isWriter } from "../../domain/roles.ts";
import { CATEGORIES, isOneOf, TRAINEE_STATUSES } from "../../domain/trainees.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { useTraineeView } from "~/components/workspace/useTraineeView.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { loadWorkspace, loadWs, refusedWith, runWs } from "~/components/workspace/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { useState } from "react";
import { keepPreviousData } from "@tanstack/react-query";
import { trpc } from "~/lib/trpc.ts";
import { useDebounced } from "~/lib/useDebounced.ts";
import { formatKzPhone } from "../../domain/kz/phone.ts";

/** The print view's list: every trainee the filters match, page after page (at most 1000 rows on paper). */
const PRINT_MAX = 1000;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  type ListInput = Parameters<typeof context.trpc.trainees.list>[0];
  const everyTrainee = async (input: ListInput) => {
    const first = await context.trpc.trainees.list({ ...input, cursor: undefined, limit: 100 });
    const items = [...first.items];
    let next = first.nextCursor;
    while (next && items.length < PRINT_MAX) {
      const page = await context.trpc.trainees.list({ ...input, cursor: next, limit: 100 });
      items.push(...page.items);
      next = page.nextCursor;
    }
    return { ...first, items, nextCursor: null };
  };
  const url = new URL(request.url);
  const { q, status, category, groupId } = registerFilter((name) => url.searchParams.get(name));
  const cursor = url.searchParams.get("cursor")?.slice(0, 400) || undefined;
  const sort = url.searchParams.get("sort") === "newest" ? ("newest" as const) : ("name" as const);
  const print = url.searchParams.get("print") === "1";
  const writer = isWriter((await loadWorkspace(context, params.school!)).school.roles);
  const [list, groups, instructors] = await loadWs(context, () =>
    Promise.all([
      (print ? everyTrainee : context.trpc.trainees.list)({
        school: params.school!,
        q,
        status,
        category,
        groupId,
        sort,
        cursor,
      }),
      context.trpc.resources.groups({ school: params.school! }),
      writer ? context.trpc.resources.instructors({ school: params.school! }) : Promise.resolve([]),
    ]),
  );
  return {
    list,
    q: q ?? "",
    status: status ?? "",
    category: category ?? "",
    group: groupId ?? "",
    sort,
    onLaterPage: !!cursor,
    groups: groups.map((g) => ({ id: g.id, number: g.number })),
    instructors: instructors.map((i) => ({ id: i.userId, label: i.fullName })),
  };
}

/** The bulk bar's "Apply": one thing done to many trainees, with what was refused and why. */
export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const result = await runWs(context, () =>
    context.trpc.trainees.bulk({ school: params.school!, selection: bulkSelection(form), action: bulkAction(form) }),
  );
  if (!result.ok) return refusedWith(result.response, {});
  return { bulk: result.value };
}

export default function TraineeList() {
  const loaded = useLoaderData<typeof loader>();
  const { status, category, group, sort, groups, instructors } = loaded;
  const actionData = useActionData<typeof action>() as Refused<object> | { bulk: BulkOutcome } | undefined;
  const { school } = useWorkspace();
  // With JavaScript the list follows the search box as the person types (through @trpc/react-query);
  // without it the GET form below does the same on submit.
  const [term, setTerm] = useState(loaded.q);
  const typed = useDebounced(term.trim(), 250);
  const live = typed !== loaded.q;
  const liveQuery = trpc.trainees.list.useQuery(
    {
      school: school.slug,
      q: typed || undefined,
      status: isOneOf(TRAINEE_STATUSES, status) ? status : undefined,
      category: isOneOf(CATEGORIES, category) ? category : undefined,
      groupId: group || undefined,
      sort,
    },
    { enabled: live, placeholderData: keepPreviousData },
  );
  const list = live && liveQuery.data ? liveQuery.data : loaded.list;
  const q = live ? typed : loaded.q;
  const onLaterPage = live ? false : loaded.onLaterPage;
  const [params] = useSearchParams();
  // The IIN and phone columns only for a role that sees them of every trainee (ADR 026).
  const { column } = useTraineeView();
  const t = useT();
  const fmt = useFormat();
  const base = `/s/${school.slug}/trainees`;
  const writer = isWriter(school.roles);
  const keep = (extra: Record<string, string>) => {
    const p = new URLSearchParams();
    if (q) p.set("q", q);
    if (status) p.set("status", status);
    if (category) p.set("category", category);
    if (group) p.set("group", group);
    if (sort !== "name") p.set("sort", sort);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    const s = p.toString();
    return s ? `?${s}` : base;
  };
  return (
    <main className="ws-main">
      <div className="ws-head">
        <h1>{t("workspace:trainees.title")}</h1>
        <div className="ws-head-actions">
          <PrintLink />
          {writer ? (
            <>
              <Link to={`${base}/import`} className="button secondary">
                {t("traineeImport:link")}
              </Link>
              <Link to={`${base}/new`} className="button">
                {t("workspace:trainees.add")}
              </Link>
            </>
          ) : null}
        </div>
      </div>
      <PrintTitle title={t("workspace:trainees.title")} />
      {params.get("created") ? <Notice>{t("workspace:trainees.created")}</Notice> : null}
      <FilterForm
        search
        submitLabel={t("common:search")}
        filtered={q || status || category || group}
        resetTo={base}
        resetLabel={t("workspace:trainees.reset")}
      >
        <SearchBox
          label={t("workspace:trainees.searchLabel")}
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          placeholder={t(
            column("phone")
              ? "workspace:trainees.searchPlaceholder"
              : column("iin")
                ? "workspace:trainees.searchPlaceholderIin"
                : "workspace:trainees.searchPlaceholderName",
          )}
          maxLength={100}
        />
        <FilterSelect
          name="status"
          label={t("workspace:trainees.statusLabel")}
          value={status}
          allLabel={t("workspace:trainees.statusAll")}
          options={TRAINEE_STATUSES}
          optionLabel={(s) => t(`common:traineeStatus.${s}`)}
        />
        <select name="category" defaultValue={category} aria-label={t("workspace:trainees.cols.category")}>
          <option value="">{t("workspace:trainees.allCategories")}</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        {groups.length ? (
          <select name="group" defaultValue={group} aria-label={t("workspace:trainees.group")}>
            <option value="">{t("workspace:trainees.allGroups")}</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.number}
              </option>
            ))}
          </select>
        ) : null}
        <select name="sort" defaultValue={sort} aria-label={t("workspace:trainees.sortLabel")}>
          <option value="name">{t("workspace:trainees.sortName")}</option>
          <option value="newest">{t("workspace:trainees.sortNewest")}</option>
        </select>
      </FilterForm>
      {actionData && "error" in actionData ? <FormAlert message={actionData.error.message} /> : null}
      {actionData && "bulk" in actionData ? <BulkResult result={actionData.bulk} base={base} /> : null}
      {writer && list.total > 0 ? (
        <BulkBar
          formId="bulk"
          schoolSlug={school.slug}
          total={list.total}
          filters={{ q, status, category, group }}
          groups={groups.map((g) => ({ id: g.id, label: g.number }))}
          instructors={instructors}
          open={!!actionData}
        />
      ) : null}
      <p className="muted" data-testid="trainee-total">
        {t("workspace:trainees.total", { count: list.total })}
      </p>
      <Table
        rows={list.items}
        empty={t("workspace:trainees.empty")}
        emptyClassName="card muted"
        labels="workspace:trainees.cols"
        columns={[
          writer && ["", "tick"],
          "fullName",
          column("iin") && ["iin", "hide-phone"],
          "category",
          "status",
          column("phone") && ["phone", "hide-phone"],
          ["added", "hide-phone"],
        ]}
        row={(tr) => (
          <tr key={tr.id}>
            {writer ? (
              <td className="tick">
                <input
                  type="checkbox"
                  name="id"
                  value={tr.id}
                  form="bulk"
                  aria-label={t("workspace:bulk.tick", { name: `${tr.lastName} ${tr.firstName}` })}
                />
              </td>
            ) : null}
            <td>
              <Link to={`${base}/${tr.id}`}>
                {[tr.lastName, tr.firstName, tr.middleName].filter(Boolean).join(" ")}
              </Link>
              {/* On a phone the IIN goes under the name, so that the status, what the list is scanned for, fits. */}
              {column("iin") ? <span className="show-phone muted small mono">{tr.iin}</span> : null}
            </td>
            {column("iin") ? <td className="nowrap mono hide-phone">{tr.iin}</td> : null}
            <td>{tr.category}</td>
            <td>
              <TraineeStatusBadge status={tr.status} />
            </td>
            {column("phone") ? <td className="hide-phone nowrap">{tr.phone ? formatKzPhone(tr.phone) : ""}</td> : null}
            <td className="hide-phone nowrap">{fmt.date(tr.createdAt)}</td>
          </tr>
        )}
      />
      <CursorPager
        firstTo={onLaterPage ? keep({}) : null}
        firstLabel={t("workspace:trainees.firstPage")}
        nextTo={list.nextCursor ? keep({ cursor: list.nextCursor }) : null}
        nextLabel={t("workspace:trainees.nextPage")}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
