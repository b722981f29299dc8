import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import { Table } from "~/components/Table.tsx";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { isWriter } from "../../domain/roles.ts";
import { refusedWith, runWs, loadWs } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { VehicleForm, type VehicleValues } from "~/components/resources/VehicleForm.tsx";
import { ExpiryDate } from "~/components/resources/ExpiryBadge.tsx";
import { vehicleInput } from "~/components/resources/forms.server.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  return { vehicles: await loadWs(context, () => context.trpc.resources.vehicles({ school: params.school! })) };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const { values, input } = vehicleInput(await request.formData());
  const result = await runWs(context, () => context.trpc.resources.createVehicle({ school, ...input }));
  if (!result.ok) return refusedWith(result.response, values);
  throw redirect(`/s/${school}/vehicles?created=${encodeURIComponent(result.value.plate)}`);
}

export default function Vehicles() {
  const { vehicles } = useLoaderData<typeof loader>();
  const refused = useActionData() as Refused<VehicleValues> | undefined;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const { school } = useWorkspace();
  const t = useT();
  const writer = isWriter(school.roles);
  const base = `/s/${school.slug}/vehicles`;
  const created = params.get("created");
  return (
    <main className="ws-main">
      <div className="ws-head">
        <h1>{t("resources:vehicles.title")}</h1>
        {writer ? (
          <a href="#new-vehicle" className="button">
            {t("resources:vehicles.create")}
          </a>
        ) : null}
      </div>
      <p className="muted">{t("resources:vehicles.lead")}</p>
      {created ? <Notice>{t("resources:vehicles.created", { plate: created })}</Notice> : null}
      <Table
        rows={vehicles}
        empty={t("resources:vehicles.empty")}
        emptyClassName="card muted"
        className="vehicles"
        labels="resources:vehicles.cols"
        columns={["plate", "makeModel", "insurance", "inspection", ["active", "hide-phone"]]}
        row={(v) => (
          <tr key={v.id} className={v.active ? undefined : "inactive"}>
            <td className="nowrap">
              <Link to={`${base}/${v.id}`} className="mono">
                {v.plate}
              </Link>
            </td>
            <td>
              {v.makeModel}
              <div className="muted small">
                {v.category} · {t(`resources:gearbox.${v.gearbox}`)}
                {v.dualControls ? null : ` · ${t("resources:vehicles.noDual")}`}
              </div>
            </td>
            <td>
              <ExpiryDate date={v.insuranceValidUntil} state={v.insurance} />
            </td>
            <td>
              <ExpiryDate date={v.inspectionValidUntil} state={v.inspection} />
            </td>
            <td className="hide-phone">
              <span className={`badge ${v.active ? "active" : ""}`}>
                {t(v.active ? "resources:vehicles.active" : "resources:vehicles.inactive")}
              </span>
            </td>
          </tr>
        )}
      />
      {writer ? (
        <div id="new-vehicle" className="res-create">
          <VehicleForm
            key={created ?? "new"}
            title={t("resources:vehicles.createTitle")}
            values={refused?.values ?? { category: "B", gearbox: "manual" }}
            fieldErrors={refused?.error.fieldErrors}
            message={refused?.error.message}
            submitLabel={t("resources:vehicles.create")}
            busy={navigation.state === "submitting"}
          />
        </div>
      ) : null}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
