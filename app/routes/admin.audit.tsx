// The operator's audit log: every school's entries, newest first, 50 a page (keyset), filtered by school,
// user, event and days (DD.MM.YYYY, Astana time). Schools and users are found by a text (name, BIN/IIN or
// address; name or e-mail) or chosen by a link; entries show names, not ids, and their details as text.
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { AuditTable } from "~/components/admin/AuditTable.tsx";
import { AUDIT_ACTIONS, isAuditAction } from "../../domain/audit.ts";
import { parseDay } from "../../domain/kz/time.ts";
import { CursorPager, listLink } from "~/components/Pager.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { requireUser } from "~/lib/forms.server.ts";
import { loadWs } from "~/components/workspace/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const url = new URL(request.url);
  const get = (k: string) => (url.searchParams.get(k) ?? "").trim().slice(0, 100);
  const id = (k: string) => (UUID.test(get(k)) ? get(k) : "");
  const actionParam = get("action");
  // What the filter form shows back, as typed; the ids and days the query takes.
  const form = {
    schoolId: id("schoolId"),
    school: get("school"),
    userId: id("userId"),
    user: get("user"),
    action: isAuditAction(actionParam) ? actionParam : "",
    from: get("from"),
    to: get("to"),
  };
  const from = form.from ? parseDay(form.from) : null;
  const to = form.to ? parseDay(form.to) : null;
  const beforeParam = get("before");
  const before = /^\d{1,20}_\d{1,19}$/.test(beforeParam) ? beforeParam : undefined;
  const page = await loadWs(context, () =>
    context.trpc.admin.audit({
      schoolId: form.schoolId || undefined,
      school: form.schoolId ? undefined : form.school || undefined,
      userId: form.userId || undefined,
      user: form.userId ? undefined : form.user || undefined,
      action: form.action || undefined,
      from: from ?? undefined,
      to: to ?? undefined,
      before,
    }),
  );
  return { page, form, badDate: (!!form.from && !from) || (!!form.to && !to), before: before ?? "" };
}

export default function AdminAudit() {
  const { page, form, badDate, before } = useLoaderData<typeof loader>();
  const t = useT();
  const { filter } = page;
  const link = (extra: Record<string, string>) => listLink("/admin/audit", form, extra);
  const chosenSchool = form.schoolId ? filter.schools?.[0] : undefined;
  const chosenUser = form.userId ? filter.users?.[0] : undefined;
  return (
    <main className="ws-main">
      <h1>{t("admin:audit.title")}</h1>
      <Form method="get" className="card audit-filters" data-testid="audit-filters">
        {form.schoolId ? <input type="hidden" name="schoolId" value={form.schoolId} /> : null}
        {form.userId ? <input type="hidden" name="userId" value={form.userId} /> : null}
        <div className="field">
          <label htmlFor="audit-school">{t("admin:audit.schoolLabel")}</label>
          {chosenSchool ? (
            <p className="first">
              <Link to={`/admin/schools/${chosenSchool.id}`}>{chosenSchool.name}</Link>{" "}
              <Link to={link({ schoolId: "", school: "", before: "" })} className="small">
                {t("admin:audit.clearSchool")}
              </Link>
            </p>
          ) : (
            <input
              id="audit-school"
              name="school"
              defaultValue={form.school}
              placeholder={t("admin:audit.schoolPlaceholder")}
            />
          )}
        </div>
        <div className="field">
          <label htmlFor="audit-user">{t("admin:audit.userLabel")}</label>
          {chosenUser ? (
            <p className="first">
              <Link to={`/admin/users?q=${encodeURIComponent(chosenUser.email)}`}>{chosenUser.fullName}</Link>{" "}
              <span className="muted small">{chosenUser.email}</span>{" "}
              <Link to={link({ userId: "", user: "", before: "" })} className="small">
                {t("admin:audit.clearSchool")}
              </Link>
            </p>
          ) : (
            <input
              id="audit-user"
              name="user"
              defaultValue={form.user}
              placeholder={t("admin:audit.userPlaceholder")}
            />
          )}
        </div>
        <div className="field">
          <label htmlFor="audit-action">{t("admin:audit.actionLabel")}</label>
          <select id="audit-action" name="action" defaultValue={form.action}>
            <option value="">{t("admin:audit.actionAll")}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`admin:actions.${a}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">{t("admin:audit.fromLabel")}</label>
          <input
            id="audit-from"
            name="from"
            inputMode="numeric"
            defaultValue={form.from}
            placeholder={t("admin:audit.datePlaceholder")}
            title={t("admin:audit.dateHint")}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-to">{t("admin:audit.toLabel")}</label>
          <input
            id="audit-to"
            name="to"
            inputMode="numeric"
            defaultValue={form.to}
            placeholder={t("admin:audit.datePlaceholder")}
            title={t("admin:audit.dateHint")}
          />
        </div>
        <p className="toolbar first">
          <button type="submit" className="primary">
            {t("admin:audit.filter")}
          </button>
          <Link to="/admin/audit" className="button secondary">
            {t("admin:audit.reset")}
          </Link>
        </p>
      </Form>
      {badDate ? (
        <p className="error" role="alert">
          {t("admin:audit.badDate")}
        </p>
      ) : null}
      {!form.schoolId && form.school ? (
        filter.schools?.length ? (
          filter.schools.length > 1 || filter.tooManySchools ? (
            <p className="audit-matches" data-testid="audit-school-matches">
              {t("admin:audit.matchesSchools")}{" "}
              {filter.schools.map((s) => (
                <Link key={s.id} to={link({ schoolId: s.id, school: "", before: "" })}>
                  {s.name}
                </Link>
              ))}
              {filter.tooManySchools ? <span className="muted">{t("admin:audit.tooMany")}</span> : null}
            </p>
          ) : null
        ) : (
          <p className="muted">{t("admin:audit.noSchool", { q: form.school })}</p>
        )
      ) : null}
      {!form.userId && form.user ? (
        filter.users?.length ? (
          filter.users.length > 1 || filter.tooManyUsers ? (
            <p className="audit-matches" data-testid="audit-user-matches">
              {t("admin:audit.matchesUsers")}{" "}
              {filter.users.map((u) => (
                <Link key={u.id} to={link({ userId: u.id, user: "", before: "" })}>
                  {u.fullName} ({u.email})
                </Link>
              ))}
              {filter.tooManyUsers ? <span className="muted">{t("admin:audit.tooMany")}</span> : null}
            </p>
          ) : null
        ) : (
          <p className="muted">{t("admin:audit.noUser", { q: form.user })}</p>
        )
      ) : null}
      {page.items.length === 0 ? (
        <p className="card muted">{t("admin:audit.empty")}</p>
      ) : (
        <AuditTable
          rows={page.items}
          names={page.names}
          filterLink={(by) =>
            "schoolId" in by
              ? link({ schoolId: by.schoolId, school: "", before: "" })
              : link({ userId: by.userId, user: "", before: "" })
          }
        />
      )}
      <CursorPager
        firstTo={before ? link({ before: "" }) : null}
        firstLabel={t("admin:audit.newest")}
        nextTo={page.nextBefore ? link({ before: page.nextBefore }) : null}
        nextLabel={t("admin:audit.older")}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
