import { Form, Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { AuditTable } from "~/components/admin/AuditTable.tsx";
import { AUDIT_ACTIONS, isAuditAction } from "../../domain/audit.ts";
import { CursorPager } from "~/components/Pager.tsx";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { requireUser } from "~/lib/forms.server.ts";
import { loadWs } from "~/components/workspace/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  const url = new URL(request.url);
  const actionParam = url.searchParams.get("action");
  const action = isAuditAction(actionParam) ? actionParam : undefined;
  const schoolParam = url.searchParams.get("schoolId");
  const schoolId = schoolParam && UUID.test(schoolParam) ? schoolParam : undefined;
  const beforeParam = url.searchParams.get("before");
  const before = beforeParam && /^\d{1,19}$/.test(beforeParam) ? beforeParam : undefined;
  const page = await loadWs(context, () => context.trpc.admin.audit({ schoolId, action, before }));
  return { page, action: action ?? "", schoolId: schoolId ?? "", before: before ?? "" };
}

export default function AdminAudit() {
  const { page, action, schoolId, before } = useLoaderData<typeof loader>();
  const t = useT();
  const link = (extra: Record<string, string>) => {
    const p = new URLSearchParams();
    if (action) p.set("action", action);
    if (schoolId) p.set("schoolId", schoolId);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    const s = p.toString();
    return s ? `/admin/audit?${s}` : "/admin/audit";
  };
  return (
    <main className="ws-main">
      <h1>{t("admin:audit.title")}</h1>
      <Form method="get" className="toolbar">
        {schoolId ? <input type="hidden" name="schoolId" value={schoolId} /> : null}
        <label htmlFor="action">{t("admin:audit.actionLabel")}</label>
        <select id="action" name="action" defaultValue={action}>
          <option value="">{t("admin:audit.actionAll")}</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {t(`admin:actions.${a}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="primary">
          {t("admin:audit.filter")}
        </button>
      </Form>
      {schoolId ? (
        <p className="toolbar">
          <span>
            {t("admin:audit.schoolFilter")}:{" "}
            <Link to={`/admin/schools/${schoolId}`} className="mono">
              {schoolId.slice(0, 8)}
            </Link>
          </span>
          <Link to={action ? `/admin/audit?action=${action}` : "/admin/audit"} className="button secondary small">
            {t("admin:audit.clearSchool")}
          </Link>
        </p>
      ) : null}
      {page.items.length === 0 ? (
        <p className="card muted">{t("admin:audit.empty")}</p>
      ) : (
        <AuditTable rows={page.items} />
      )}
      <CursorPager
        firstTo={before ? link({}) : null}
        firstLabel={t("admin:audit.newest")}
        nextTo={page.nextBefore ? link({ before: page.nextBefore }) : null}
        nextLabel={t("admin:audit.older")}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
