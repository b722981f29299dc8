// During a maintenance window every workspace page (/s/…, and the trainee's cabinet /t/…) is this page:
// HTTP 503 with Retry-After (server/notices/web-maintenance.ts); any other error shows the usual panel.
import { isRouteErrorResponse, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { Header } from "~/components/Header.tsx";
import { LayoutErrorBoundary } from "~/components/workspace/ErrorPanel.tsx";
import { useT } from "~/lib/i18n.tsx";
import type { RootData } from "~/root.tsx";

type Maintenance = { from: string; to: string; reasonKk: string; reasonRu: string };

/** During a maintenance window every workspace page is this (HTTP 503 with Retry-After, server/web.ts). */
function MaintenancePage({ m }: { m: Maintenance }) {
  const t = useT();
  const root = useRouteLoaderData("root") as RootData | undefined;
  const reason = (root?.locale ?? "kk") === "kk" ? m.reasonKk : m.reasonRu;
  return (
    <>
      <Header />
      <main className="page narrow maintenance-page" data-testid="maintenance-page">
        <h1>{t("notices:maintenancePage.title")}</h1>
        <section className="card">
          <p>{t("notices:maintenancePage.body", { from: m.from, to: m.to })}</p>
          <p>{t("notices:maintenancePage.reason", { reason })}</p>
          <p>{t("notices:maintenancePage.kept")}</p>
        </section>
        <p className="muted">{t("notices:maintenancePage.contact")}</p>
      </main>
    </>
  );
}

export function MaintenanceAwareErrorBoundary() {
  const error = useRouteError();
  const m =
    isRouteErrorResponse(error) && error.status === 503
      ? (error.data as { maintenance?: Maintenance } | null)?.maintenance
      : undefined;
  return m ? <MaintenancePage m={m} /> : <LayoutErrorBoundary />;
}
