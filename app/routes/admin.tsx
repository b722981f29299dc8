import { NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Header } from "~/components/Header.tsx";
import { LayoutErrorBoundary } from "~/components/workspace/ErrorPanel.tsx";
import { requireUser } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";
import { SideNav } from "~/components/workspace/SideNav.tsx";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const t = translator(context.ctx.locale);
  if (!user.operatorRole) throw data({ message: t("errors:forbidden") }, { status: 403 });
  return { operatorRole: user.operatorRole, title: t("admin:title") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} — Avtomektep` : "Avtomektep" },
];

export default function AdminLayout() {
  const { operatorRole } = useLoaderData<typeof loader>();
  const t = useT();
  const { pathname } = useLocation();
  const cls = ({ isActive }: { isActive: boolean }) => (isActive ? "active" : "");
  // A school's card belongs to "Schools" too.
  const schoolsActive = pathname === "/admin" || pathname === "/admin/" || pathname.startsWith("/admin/schools");
  // The console's sections after "Schools": path under /admin and label.
  const sections: [string, string][] = [
    ["invoices", t("admin:nav.invoices")],
    ["payments", t("admin:nav.payments")],
    ["statements", t("admin:nav.statements")],
    ["acts", t("billingAdmin:acts.title")],
    ["tariffs", t("admin:nav.tariffs")],
    ["billing-settings", t("admin:nav.billingSettings")],
    ["kaspi", t("kaspi:admin.title")],
    ["queues", t("admin:nav.queues")],
    ["offers", t("notices:admin.offersNav")],
    ["maintenance", t("notices:admin.maintenanceNav")],
    ["claims", t("contract:nav.adminClaims")],
    ["force-majeure", t("contract:nav.forceMajeure")],
    ["calendar", t("contract:nav.calendar")],
    ["support", t("support:admin.title")],
    ["users", t("privacy:admin.title")],
    ["audit", t("admin:nav.audit")],
    ["settings", t("admin:nav.settings")],
  ];
  return (
    <>
      <Header>
        <span className="ws-school-name">{t("admin:title")}</span>
        <span className="badge hide-phone">{t(`common:operatorRoles.${operatorRole}`)}</span>
      </Header>
      <div className="workspace">
        <SideNav label={t("admin:nav.label")}>
          <NavLink
            to="/admin"
            end
            className={schoolsActive ? "active" : ""}
            aria-current={schoolsActive ? "page" : undefined}
          >
            {t("admin:nav.schools")}
          </NavLink>
          {sections.map(([path, label]) => (
            <NavLink key={path} to={`/admin/${path}`} className={cls}>
              {label}
            </NavLink>
          ))}
        </SideNav>
        <Outlet />
      </div>
    </>
  );
}

export const ErrorBoundary = LayoutErrorBoundary;
