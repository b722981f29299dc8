import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { isWriter } from "../../domain/roles.ts";
import { refusedWith, runWs, loadWs, text } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { VehicleForm, type VehicleValues } from "~/components/resources/VehicleForm.tsx";
import { ExpiryDate } from "~/components/resources/ExpiryBadge.tsx";
import { vehicleInput } from "~/components/resources/forms.server.ts";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";
import { PeriodsSection, type AvailabilityResult } from "~/components/availability/Availability.tsx";
import { AVAILABILITY_INTENTS, availabilityAction } from "~/components/availability/actions.server.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const vehicle = await loadWs(context, () => context.trpc.resources.vehicle({ school: params.school!, id }));
  // Its days out of work (ADR 032).
  const { downtimes } = await loadWs(context, () =>
    context.trpc.availability.vehicle({ school: params.school!, vehicleId: id }),
  );
  return { vehicle, downtimes };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const form = await request.formData();
  if ((AVAILABILITY_INTENTS as readonly string[]).includes(text(form, "intent")))
    return availabilityAction(context, params.school!, form, { vehicleId: id });
  const { values, input } = vehicleInput(form);
  const result = await runWs(context, () =>
    context.trpc.resources.updateVehicle({ school: params.school!, id, data: input }),
  );
  if (!result.ok) return refusedWith(result.response, values, "data.");
  return { saved: true as const };
}

export default function VehiclePage() {
  const { vehicle: v, downtimes } = useLoaderData<typeof loader>();
  const raw = useActionData() as Refused<VehicleValues> | { saved: true } | AvailabilityResult;
  const isAvailability = !!raw && ("done" in raw || ("values" in raw && "intent" in (raw.values as object)));
  const actionData = isAvailability ? undefined : (raw as Refused<VehicleValues> | { saved: true } | undefined);
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const t = useT();
  const refused = actionData && "error" in actionData ? actionData : null;
  const readOnly = !isWriter(school.roles);
  const stored: VehicleValues = {
    plate: v.plate,
    makeModel: v.makeModel,
    category: v.category,
    gearbox: v.gearbox,
    dualControls: v.dualControls,
    active: v.active,
    insuranceValidUntil: v.insuranceValidUntil ?? "",
    inspectionValidUntil: v.inspectionValidUntil ?? "",
  };
  return (
    <main className="ws-main">
      <p>
        <Link to={`/s/${school.slug}/vehicles`}>{t("resources:vehicles.backToList")}</Link>
      </p>
      <h1>{t("resources:vehicles.editTitle", { plate: v.plate })}</h1>
      {actionData && "saved" in actionData && navigation.state === "idle" ? (
        <Notice>{t("resources:vehicles.saved")}</Notice>
      ) : null}
      {readOnly ? <p className="banner-inline">{t("resources:vehicles.readOnly")}</p> : null}
      <dl className="facts card">
        <dt>{t("resources:vehicles.cols.insurance")}</dt>
        <dd>
          <ExpiryDate date={v.insuranceValidUntil} state={v.insurance} />
        </dd>
        <dt>{t("resources:vehicles.cols.inspection")}</dt>
        <dd>
          <ExpiryDate date={v.inspectionValidUntil} state={v.inspection} />
        </dd>
      </dl>
      <VehicleForm
        key={JSON.stringify(stored)}
        values={refused?.values ?? stored}
        fieldErrors={refused?.error.fieldErrors}
        message={refused?.error.message}
        readOnly={readOnly}
        submitLabel={t("common:save")}
        busy={navigation.state === "submitting"}
      />
      <PeriodsSection
        kind="downtime"
        school={school.slug}
        ownerId={v.id}
        periods={downtimes}
        readOnly={readOnly}
        result={isAvailability ? (raw as AvailabilityResult) : undefined}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
