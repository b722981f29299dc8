import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { TraineeForm, type TraineeValues } from "~/components/workspace/TraineeForm.tsx";
import { canWrite } from "~/components/workspace/constants.ts";
import { refusedWith, runWs, loadWs } from "~/components/workspace/forms.server.ts";
import { traineeInput } from "~/components/workspace/trainee.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";


export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const trainee = await loadWs(context, () => context.trpc.trainees.get({ school: params.school!, id }));
  return { trainee };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const { values, input } = traineeInput(await request.formData());
  const result = await runWs(context, () => context.trpc.trainees.update({ school: params.school!, id, data: input }));
  if (!result.ok) return refusedWith(result.response, values, "data.");
  return { saved: true as const };
}

export default function TraineePage() {
  const { trainee } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<TraineeValues> | { saved: true } | undefined;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const readOnly = !canWrite(school.roles);
  const refused = actionData && "error" in actionData ? actionData : null;
  const stored: TraineeValues = {
    iin: trainee.iin,
    lastName: trainee.lastName,
    firstName: trainee.firstName,
    middleName: trainee.middleName ?? "",
    latinName: trainee.latinName ?? "",
    birthDate: trainee.birthDate,
    phone: trainee.phone ?? "",
    email: trainee.email ?? "",
    address: trainee.address ?? "",
    category: trainee.category,
  };
  const fullName = [trainee.lastName, trainee.firstName, trainee.middleName].filter(Boolean).join(" ");
  return (
    <main className="ws-main">
      <p><Link to={`/s/${school.slug}/trainees`}>{t("workspace:trainee.backToList")}</Link></p>
      <h1>{fullName}</h1>
      <p className="muted">{t("workspace:trainee.editTitle")}</p>
      {actionData && "saved" in actionData && navigation.state === "idle" ? <p className="notice" role="status">{t("workspace:trainee.saved")}</p> : null}
      {readOnly ? <p className="banner-inline">{t("workspace:trainee.readOnly")}</p> : null}
      <dl className="facts card">
        <dt>{t("workspace:trainee.status")}</dt>
        <dd><span className={`badge st-${trainee.status}`}>{t(`common:traineeStatus.${trainee.status}`)}</span></dd>
        <dt>{t("workspace:trainee.sex")}</dt>
        <dd>{t(`common:sex.${trainee.sex}`)}</dd>
        <dt>{t("workspace:trainee.addedAt")}</dt>
        <dd>{fmt.dateTime(trainee.createdAt)}</dd>
      </dl>
      <TraineeForm
        key={trainee.updatedAt ? String(trainee.updatedAt) : trainee.id}
        values={refused?.values ?? stored}
        fieldErrors={refused?.error.fieldErrors}
        message={refused?.error.message}
        readOnly={readOnly}
        submitLabel={t("common:save")}
        busy={navigation.state === "submitting"}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
