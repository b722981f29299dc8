import { NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Header } from "~/components/Header.tsx";
import { LayoutErrorBoundary } from "~/components/workspace/ErrorPanel.tsx";
import { requireUser } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";

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
  return (
    <>
      <Header>
        <span className="ws-school-name">{t("admin:title")}</span>
        <span className="badge hide-phone">{t(`common:operatorRoles.${operatorRole}`)}</span>
      </Header>
      <div className="workspace">
        <nav className="sidenav" aria-label={t("admin:nav.label")}>
          <NavLink
            to="/admin"
            end
            className={schoolsActive ? "active" : ""}
            aria-current={schoolsActive ? "page" : undefined}
          >
            {t("admin:nav.schools")}
          </NavLink>
          <NavLink to="/admin/invoices" className={cls}>
            {t("admin:nav.invoices")}
          </NavLink>
          <NavLink to="/admin/payments" className={cls}>
            {t("admin:nav.payments")}
          </NavLink>
          <NavLink to="/admin/statements" className={cls}>
            {t("admin:nav.statements")}
          </NavLink>
          <NavLink to="/admin/tariffs" className={cls}>
            {t("admin:nav.tariffs")}
          </NavLink>
          <NavLink to="/admin/billing-settings" className={cls}>
            {t("admin:nav.billingSettings")}
          </NavLink>
          <NavLink to="/admin/queues" className={cls}>
            {t("admin:nav.queues")}
          </NavLink>
          <NavLink to="/admin/offers" className={cls}>
            {t("notices:admin.offersNav")}
          </NavLink>
          <NavLink to="/admin/maintenance" className={cls}>
            {t("notices:admin.maintenanceNav")}
          </NavLink>
          <NavLink to="/admin/claims" className={cls}>
            {t("contract:nav.adminClaims")}
          </NavLink>
          <NavLink to="/admin/force-majeure" className={cls}>
            {t("contract:nav.forceMajeure")}
          </NavLink>
          <NavLink to="/admin/calendar" className={cls}>
            {t("contract:nav.calendar")}
          </NavLink>
          <NavLink to="/admin/support" className={cls}>
            {t("support:admin.title")}
          </NavLink>
          <NavLink to="/admin/users" className={cls}>
            {t("privacy:admin.title")}
          </NavLink>
          <NavLink to="/admin/audit" className={cls}>
            {t("admin:nav.audit")}
          </NavLink>
          <NavLink to="/admin/settings" className={cls}>
            {t("admin:nav.settings")}
          </NavLink>
        </nav>
        <Outlet />
      </div>
    </>
  );
}

export const ErrorBoundary = LayoutErrorBoundary;
