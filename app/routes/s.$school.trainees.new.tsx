import { Link, useActionData, useNavigation } from "@remix-run/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { TraineeForm, type TraineeValues } from "~/components/workspace/TraineeForm.tsx";
import { isWriter } from "../../domain/roles.ts";
import { loadWorkspace, refusedWith, runWs } from "~/components/workspace/forms.server.ts";
import { traineeInput } from "~/components/workspace/trainee.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";
import { data } from "@remix-run/node";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const ws = await loadWorkspace(context, params.school!);
  if (!isWriter(ws.school.roles))
    throw data({ message: translator(context.ctx.locale)("errors:forbidden") }, { status: 403 });
  return null;
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const { values, input } = traineeInput(await request.formData());
  const result = await runWs(context, () => context.trpc.trainees.create({ school, ...input }));
  if (!result.ok) return refusedWith(result.response, values);
  // To the new trainee's card: what comes next (enrolling, the contract, a lesson) is done there.
  throw redirect(`/s/${school}/trainees/${result.value.id}?created=1`);
}

export default function NewTrainee() {
  const actionData = useActionData() as Refused<TraineeValues> | undefined;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const t = useT();
  return (
    <main className="ws-main">
      <p>
        <Link to={`/s/${school.slug}/trainees`}>{t("workspace:trainee.backToList")}</Link>
      </p>
      <h1>{t("workspace:trainee.newTitle")}</h1>
      <TraineeForm
        values={actionData?.values ?? {}}
        fieldErrors={actionData?.error.fieldErrors}
        message={actionData?.error.message}
        existingId={actionData?.error.existingId}
        submitLabel={t("workspace:trainee.create")}
        busy={navigation.state === "submitting"}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
